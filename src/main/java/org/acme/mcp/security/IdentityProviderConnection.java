package org.acme.mcp.security;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.oidc.runtime.TenantConfigContext;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;

/**
 * Connects to the identity provider without waiting for a request. quarkus-oidc connects a tenant it could not reach
 * at start-up only when the next request with a token arrives; behind a load balancer an unready replica gets no
 * request, so a replica started during an outage of the provider would stay unready for good. This retries every
 * {@link #RETRY_MILLIS} until the provider answers; readiness recovers within that of the provider coming back.
 * Meanwhile requests with a token get 503 with {@code Retry-After}, never {@code invalid_token}
 * ({@link McpBearerAuthenticationMechanism}).
 */
@Startup
@Singleton
public class IdentityProviderConnection {

    private static final Logger LOG = Logger.getLogger(IdentityProviderConnection.class);
    static final long RETRY_MILLIS = 2000;

    private final Vertx vertx;
    private final TenantConfigBean tenants;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile boolean stopped;

    IdentityProviderConnection(TenantConfigBean tenants, Vertx vertx) {
        this.vertx = vertx;
        this.tenants = tenants;
        vertx.setTimer(1, id -> connect());
    }

    /** One attempt, then the next one {@link #RETRY_MILLIS} later until connected. */
    private void connect() {
        TenantConfigContext tenant = tenants.getDefaultTenant();
        if (stopped || tenant == null || !tenant.oidcConfig().tenantEnabled() || tenant.ready()) {
            return; // connected (or nothing to connect): quarkus-oidc takes it from here
        }
        vertx.setTimer(RETRY_MILLIS, id -> connect());
        if (!connecting.compareAndSet(false, true)) {
            return; // the previous attempt is still waiting for an answer
        }
        tenant.initialize().subscribe().with(ready -> {
            connecting.set(false);
            if (ready.ready()) {
                LOG.info("Identity provider reached: tokens can be verified");
            }
        }, failure -> {
            connecting.set(false);
            LOG.debugf("Identity provider still unreachable: %s", failure.toString());
        });
    }

    @PreDestroy
    void stop() {
        stopped = true;
    }
}
