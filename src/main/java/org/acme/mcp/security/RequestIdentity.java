package org.acme.mcp.security;

import java.security.Permission;
import java.security.Principal;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.quarkus.security.credential.Credential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * A cached identity as one request sees it: the per-request attributes quarkus-oidc sets (the routing context, the
 * authentication request context) come from this request, everything else from the cached identity, uncopied. Copying
 * the identity per request (its roles, credentials and attributes) cost more than the cache lookup it follows.
 */
final class RequestIdentity implements SecurityIdentity {

    static final String ROUTING_CONTEXT = RoutingContext.class.getName();
    static final String REQUEST_CONTEXT = AuthenticationRequestContext.class.getName();

    private final SecurityIdentity cached;
    private final RoutingContext request;

    RequestIdentity(SecurityIdentity cached, RoutingContext request) {
        this.cached = cached;
        this.request = request;
    }

    @Override
    public Principal getPrincipal() {
        return cached.getPrincipal();
    }

    @Override
    public boolean isAnonymous() {
        return cached.isAnonymous();
    }

    @Override
    public Set<String> getRoles() {
        return cached.getRoles();
    }

    @Override
    public boolean hasRole(String role) {
        return cached.hasRole(role);
    }

    @Override
    public Set<Permission> getPermissions() {
        return cached.getPermissions();
    }

    @Override
    public <T extends Credential> T getCredential(Class<T> type) {
        return cached.getCredential(type);
    }

    @Override
    public Set<Credential> getCredentials() {
        return cached.getCredentials();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getAttribute(String name) {
        return ROUTING_CONTEXT.equals(name) ? (T) request
                : REQUEST_CONTEXT.equals(name) ? (T) request.get(REQUEST_CONTEXT) : cached.getAttribute(name);
    }

    @Override
    public Map<String, Object> getAttributes() {
        Map<String, Object> all = new HashMap<>(cached.getAttributes());
        all.put(ROUTING_CONTEXT, request);
        all.put(REQUEST_CONTEXT, request.get(REQUEST_CONTEXT));
        return Collections.unmodifiableMap(all);
    }

    @Override
    public Uni<Boolean> checkPermission(Permission permission) {
        return cached.checkPermission(permission);
    }

    @Override
    public boolean checkPermissionBlocking(Permission permission) {
        return cached.checkPermissionBlocking(permission);
    }
}
