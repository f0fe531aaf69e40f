package org.acme.mcp.api;

import java.util.Optional;
import java.util.Set;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who calls: what this server read from the caller's verified access token, once per token, with the claim names
 * {@code mcp.rbac.*-claims} configure (Keycloak and Entra ID spell them differently). Never the token itself.
 *
 * @param issuer the token's {@code iss}
 * @param subject the token's {@code sub}: with the issuer, the stable key of a user (names can be reassigned)
 * @param scopes the OAuth scopes granted
 * @param roles the roles and groups granted
 * @param authTime when the user last authenticated ({@code auth_time}, epoch seconds), if the token says
 * @param acr the authentication context class ({@code acr}), if the token says
 * @param client the OAuth client the token was issued to ({@code azp} or the configured claim), if it says
 */
public record Caller(String issuer, String subject, Set<String> scopes, Set<String> roles, Optional<Long> authTime,
        Optional<String> acr, Optional<String> client) {

    /** The identity attribute the caller is kept in, set once per verified token. */
    public static final String ATTRIBUTE = Caller.class.getName();

    /** The caller an authenticated identity carries; empty for anonymous identities. */
    public static Optional<Caller> of(SecurityIdentity identity) {
        return Optional.ofNullable(identity == null ? null : identity.getAttribute(ATTRIBUTE));
    }
}
