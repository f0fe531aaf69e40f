package org.acme.mcp.security;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The OAuth 2.1 resource-server settings of this MCP server. Keys: {@code mcp.security.*}.
 * <p>
 * Token validation itself (signature, issuer, audience, lifetime) is configured on quarkus-oidc
 * ({@code quarkus.oidc.*}); {@link ProdSecurityGuard} refuses to start a prod server whose
 * configuration leaves any of those checks off.
 */
@ConfigMapping(prefix = "mcp.security")
public interface SecurityConfig {

    /**
     * Canonical URI of the MCP endpoint (RFC 8707 resource indicator), e.g. {@code https://mcp.example.com/mcp}:
     * lowercase scheme and host, no trailing slash, no fragment. Access tokens must name it (or one of
     * {@code quarkus.oidc.token.audience}) in {@code aud}; the protected-resource metadata advertises it.
     * No default: a server must know its own name.
     */
    URI resource();

    /**
     * Authorization servers advertised in the protected-resource metadata. Defaults to the OIDC issuer
     * ({@code quarkus.oidc.token.issuer}, else {@code quarkus.oidc.auth-server-url}).
     */
    Optional<List<String>> authorizationServers();

    /**
     * Scopes listed as {@code scopes_supported} in the protected-resource metadata besides those derived from the tool
     * declarations and {@link #challengeScopes()}.
     */
    Optional<List<String>> scopesSupported();

    /**
     * Prefix that turns a scope name as tokens carry it into the name clients must request, used in challenges and
     * metadata. Empty for Keycloak; {@code api://<app-id>/} for Entra ID, whose tokens carry {@code mcp.read} in
     * {@code scp} for a request of {@code api://<app-id>/mcp.read}.
     */
    Optional<String> scopePrefix();

    /**
     * Scopes named in the {@code scope} parameter of a 401 challenge: the least-privilege baseline a client
     * needs to start, not the whole catalogue (MCP 2025-11-25, scope minimisation).
     */
    @WithDefault("mcp.read")
    List<String> challengeScopes();

    /**
     * Lets a prod server reach its identity provider ({@code quarkus.oidc.auth-server-url}) and advertise its issuer
     * over plain {@code http} on a non-loopback host. Off: whoever can change the signing keys in transit can mint
     * tokens this server accepts. Only for a private network you control end to end (e.g. the compose network in
     * {@code deploy/compose}).
     */
    @WithDefault("false")
    boolean allowPlainHttpIdentityProvider();

    /** Checks on the bearer token made before it reaches the OIDC validator. */
    Token token();

    /** HTTP transport hardening. */
    Transport transport();

    interface Token {

        /**
         * Longest accepted bearer token, in characters. Longer ones are refused as {@code invalid_token} without
         * being parsed. Entra ID tokens with many groups reach 4-6 KiB.
         */
        @WithDefault("8192")
        int maxLength();

        /**
         * JWS algorithms accepted in the token header. Asymmetric only (RS, PS, ES 256-512, EdDSA): listing
         * {@code none}, an HMAC or anything else stops the start (a token signed with the public key as an HMAC
         * secret is the classic key-confusion attack).
         */
        @WithDefault("RS256,RS384,RS512,PS256,PS384,PS512,ES256,ES384,ES512")
        Set<String> allowedAlgorithms();

        /** Tokens already verified, kept so that a client's next request skips the signature check. */
        Cache cache();

        /**
         * How long a revocation ({@link TokenRevocations}) is remembered: set it above the longest access-token
         * lifetime of the identity provider, so that every token it refuses has expired before it is forgotten.
         */
        @WithDefault("24H")
        Duration revocationRetention();
    }

    interface Cache {

        /** Off: every request verifies its token's signature. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Tokens kept at most (least recently used ones go first). An entry holds the parsed token and identity,
         * about 14 KiB (measured by the security benchmark): 2000 entries take about 28 MiB of heap.
         */
        @WithDefault("2000")
        int maxEntries();

        /**
         * Longest a verified token is kept, and never past its {@code exp}. Bounds how long a token signed with a key
         * the identity provider has since withdrawn from its JWKS stays accepted.
         */
        @WithDefault("5M")
        Duration maxTtl();
    }

    interface Transport {

        /**
         * Browser origins allowed to call the server, exact {@code scheme://host[:port]} values. A request whose
         * {@code Origin} header is present and not listed gets 403. Requests without an {@code Origin} (non-browser
         * clients) are not affected. Empty by default: no browser origin is trusted.
         */
        Optional<Set<String>> allowedOrigins();

        /**
         * Values accepted in the {@code Host} header ({@code host[:port]}), against DNS rebinding. Defaults to the
         * authority of {@link SecurityConfig#resource()}.
         */
        Optional<Set<String>> allowedHosts();

        /**
         * Live MCP sessions one caller (issuer + subject) may hold; one more {@code initialize} gets 429 until a session
         * ends (DELETE or idle expiry). Bounds the memory a single token can make the server hold.
         */
        @WithDefault("16")
        int maxSessionsPerCaller();

        /**
         * SSE streams ({@code GET /mcp}) one session may have open at once; one more gets 429 until one closes. Streams
         * of an ended session are ended within 30 s. Clients need one; the rest leaves room for reconnects.
         */
        @WithDefault("4")
        int maxStreamsPerSession();

        /** Deepest JSON nesting accepted in a request body; deeper bodies get 400 before any parsing. */
        @WithDefault("64")
        int maxJsonDepth();

        /**
         * Where TLS is terminated: {@code app} (this server, via the Quarkus TLS registry), {@code proxy} (a
         * TLS-terminating proxy in front of it; plain HTTP behind) or {@code none} (plain HTTP, dev and test only:
         * a prod server refuses to start with it).
         */
        @WithDefault("app")
        TlsTermination tlsTermination();
    }

    enum TlsTermination {
        APP,
        PROXY,
        NONE
    }
}
