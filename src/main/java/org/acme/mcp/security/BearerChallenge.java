package org.acme.mcp.security;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Builds the {@code WWW-Authenticate} values of MCP 2025-11-25 authorization (RFC 6750 §3 + RFC 9728 §5.1).
 * One place, so every 401/403 the server sends points clients at the same metadata document.
 */
@ApplicationScoped
public class BearerChallenge {

    private static final String OFFLINE_ACCESS = "offline_access";

    /** Where this server publishes its protected-resource metadata (RFC 9728 §3). */
    public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    /** RFC 6750 error codes this server uses. */
    public enum Error {
        INVALID_REQUEST("invalid_request"),
        INVALID_TOKEN("invalid_token"),
        INSUFFICIENT_SCOPE("insufficient_scope"),
        /** RFC 9470 step-up. */
        INSUFFICIENT_USER_AUTHENTICATION("insufficient_user_authentication");

        final String code;

        Error(String code) {
            this.code = code;
        }
    }

    private final String resourceMetadataUrl;
    private final String scopePrefix;
    private final String challengeScopes;

    BearerChallenge(SecurityConfig config) {
        this.resourceMetadataUrl = metadataUrl(config.resource());
        this.scopePrefix = config.scopePrefix().orElse("");
        this.challengeScopes = requestable(config.challengeScopes());
    }

    /** The challenge for a request without bearer credentials: no error code (RFC 6750 §3.1). */
    public String missingToken() {
        return build(null, challengeScopes);
    }

    /** The challenge for a request whose credentials were refused. */
    public String error(Error error) {
        return build(error, challengeScopes);
    }

    /** A 403 challenge naming the scopes the request needs (scope names as tokens carry them). */
    public String insufficientScope(Collection<String> scopes) {
        return build(Error.INSUFFICIENT_SCOPE, requestable(scopes));
    }

    /** RFC 9470 §3: the authentication is too old ({@code max_age}) or too weak ({@code acr_values}). */
    public String insufficientUserAuthentication(Optional<Duration> maxAge, Collection<String> acrValues) {
        StringBuilder extra = new StringBuilder();
        maxAge.ifPresent(age -> extra.append(", max_age=\"").append(age.toSeconds()).append('"'));
        if (!acrValues.isEmpty()) {
            extra.append(", acr_values=\"").append(String.join(" ", new TreeSet<>(acrValues))).append('"');
        }
        return build(Error.INSUFFICIENT_USER_AUTHENTICATION, "") + extra;
    }

    /**
     * Scope names as a client must request them: sorted, prefixed, space-separated. Never {@code offline_access}
     * (MCP 2026-07-28): a refresh token is the client's business with its authorization server, not this server's.
     */
    public String requestable(Collection<String> scopes) {
        return String.join(" ", new TreeSet<>(scopes).stream().filter(s -> !OFFLINE_ACCESS.equals(s))
                .map(s -> scopePrefix + s).toList());
    }

    private String build(Error error, String scope) {
        StringBuilder value = new StringBuilder("Bearer ");
        if (error != null) {
            value.append("error=\"").append(error.code).append("\", ");
        }
        value.append("resource_metadata=\"").append(resourceMetadataUrl).append('"');
        if (!scope.isEmpty()) {
            value.append(", scope=\"").append(scope).append('"');
        }
        return value.toString();
    }

    /**
     * RFC 9728 §3.1: the well-known segment goes between the host and the resource's path, so
     * {@code https://h/mcp} publishes its metadata at {@code https://h/.well-known/oauth-protected-resource/mcp}.
     */
    static String metadataUrl(URI resource) {
        String path = resource.getRawPath() == null ? "" : resource.getRawPath();
        return resource.getScheme() + "://" + resource.getRawAuthority() + WELL_KNOWN
                + (path.equals("/") ? "" : path);
    }
}
