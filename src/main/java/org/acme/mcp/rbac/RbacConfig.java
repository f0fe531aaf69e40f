package org.acme.mcp.rbac;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where scopes and roles are found in access tokens, and operator overrides of tool policies. Keys: {@code mcp.rbac.*}.
 */
@ConfigMapping(prefix = "mcp.rbac")
public interface RbacConfig {

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
     * Per-tool overrides, keyed by tool name: {@code mcp.rbac.tools."end-session".disabled=true}. They can only make
     * access stricter than the code says; a key naming no tool stops the server at start-up.
     */
    Map<String, ToolOverride> tools();

    interface ToolOverride {

        /** Hide the tool from everyone and refuse its calls. */
        @WithDefault("false")
        boolean disabled();

        /** Scopes required in addition to those the code declares. */
        Optional<Set<String>> scopes();

        /** Narrows the roles the code accepts to these (only roles the code already accepts are kept). */
        Optional<Set<String>> roles();

        /** Tighter {@code auth_time} limit than the code's (the shorter one applies). */
        Optional<Duration> maxAuthAge();

        /** Accepted {@code acr} values; intersected with the code's when it declares some. */
        Optional<Set<String>> acr();
    }
}
