package org.acme.mcp.stateless;

import org.acme.mcp.audit.SessionlessRequest;

import io.quarkiverse.mcp.server.runtime.ContextSupport;
import io.quarkiverse.mcp.server.runtime.McpRequest;
import io.quarkiverse.mcp.server.runtime.McpRequestImpl;
import io.quarkiverse.mcp.server.runtime.SecuritySupport;
import io.quarkiverse.mcp.server.runtime.Sender;
import io.quarkiverse.mcp.server.runtime.config.McpServerRuntimeConfig;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * One 2026-07-28 request as the extension's message handler sees it: the message the pipeline already parsed, the
 * caller's identity from the HTTP request, and a sender that answers on this request's own response.
 */
final class StatelessExchange extends McpRequestImpl<StatelessConnection> implements Sender, SessionlessRequest {

    private final StatelessResponse response;
    private final McpServerRuntimeConfig config;
    private final org.acme.mcp.pipeline.McpRequest http;

    StatelessExchange(String serverName, McpServerRuntimeConfig config, JsonObject message,
            StatelessConnection connection, RoutingContext ctx, CurrentVertxRequest current,
            CurrentIdentityAssociation identities, StatelessResponse response) {
        super(serverName, message, connection, null, security(ctx), context(ctx, current), identities);
        this.response = response;
        this.config = config;
        this.http = org.acme.mcp.pipeline.McpRequest.of(ctx);
    }

    @Override
    public org.acme.mcp.pipeline.McpRequest http() {
        return http;
    }

    @Override
    public McpRequest withoutSession() {
        return new WithoutSession(this, config, serverName());
    }

    @Override
    public Sender sender() {
        return this;
    }

    @Override
    public Future<Void> send(JsonObject message) {
        messageSent(message);
        return response.send(message);
    }

    private static SecuritySupport security(RoutingContext ctx) {
        return association -> {
            if (ctx.user() instanceof QuarkusHttpUser user) {
                association.setIdentity(user.getSecurityIdentity());
            } else {
                association.setIdentity(QuarkusHttpUser.getSecurityIdentity(ctx, null));
            }
        };
    }

    /** Tools and interceptors see this HTTP request as the current one, as on the extension's own route. */
    private static ContextSupport context(RoutingContext ctx, CurrentVertxRequest current) {
        return () -> current.setCurrent(ctx);
    }
}
