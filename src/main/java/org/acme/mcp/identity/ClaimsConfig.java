package org.acme.mcp.identity;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where access tokens carry scopes, roles and the client: the defaults fit Keycloak and Entra ID. Keys:
 * {@code mcp.rbac.*-claims} (the per-tool overrides under {@code mcp.rbac.tools} are {@code RbacConfig}'s).
 */
@ConfigMapping(prefix = "mcp.rbac")
public interface ClaimsConfig {

    /**
     * Claims holding granted OAuth scopes as a space-separated string: {@code scope} (RFC 9068, Keycloak) and
     * {@code scp} (Entra ID).
     */
    @WithDefault("scope,scp")
    List<String> scopeClaims();

    /**
     * Claim paths holding role arrays, segments separated by {@code /}: Keycloak realm roles
     * ({@code realm_access/roles}), Entra ID app roles ({@code roles}). Keycloak client roles:
     * {@code resource_access/<client-id>/roles}.
     */
    @WithDefault("realm_access/roles,roles")
    List<String> roleClaims();

    /**
     * Claims naming the OAuth client a token was issued to, first present wins: Keycloak and Entra v2 {@code azp},
     * Entra v1 {@code appid}, RFC 9068 {@code client_id}. Used by the per-client rate limit, audit records,
     * {@code whoami} and client blocks.
     */
    @WithDefault("azp,appid,client_id")
    List<String> clientClaims();

    /** Claim paths whose values also count as roles, e.g. {@code groups}. None by default. */
    Optional<List<String>> groupClaims();

    /**
     * Scope hierarchies (MCP 2026-07-28: a broader scope implies narrower ones), e.g.
     * {@code mcp.rbac.scope-implies."mcp.admin"=mcp.read,mcp.write}: a token granting the key holds the listed scopes
     * too, transitively, wherever scopes are checked. None by default.
     */
    Map<String, List<String>> scopeImplies();
}
