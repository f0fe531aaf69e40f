package org.acme.mcp.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonObject;

/**
 * Cheap structural checks on the {@code Authorization} header, run before the OIDC validator sees the token.
 * <p>
 * They keep garbage away from the JWKS and introspection paths (an unauthenticated caller must not be able to make
 * the server call its identity provider) and refuse algorithm tricks ({@code alg=none}, HMAC with the public key)
 * before any key is looked up. Signature, issuer, audience and lifetime are verified by quarkus-oidc afterwards.
 */
public final class BearerTokenPrecheck {

    /** What the header amounts to. */
    public enum Verdict {
        /** No bearer credentials at all: a plain 401 challenge without an error code (RFC 6750 §3.1). */
        ABSENT,
        /** A well-formed compact JWS with an allowed algorithm: hand it to the OIDC validator. */
        CANDIDATE,
        /** A bearer token that can never be valid here: 401 {@code invalid_token}. */
        INVALID_TOKEN,
        /** The request itself is malformed (e.g. two Authorization headers): 400 {@code invalid_request}. */
        INVALID_REQUEST
    }

    public record Result(Verdict verdict, String token, String reason) {
    }

    private static final String SCHEME = "bearer ";
    // RFC 6750 b64token characters; a compact JWS uses base64url segments separated by dots
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private final int maxLength;
    private final Set<String> allowedAlgorithms;

    public BearerTokenPrecheck(int maxLength, Set<String> allowedAlgorithms) {
        this.maxLength = maxLength;
        this.allowedAlgorithms = Set.copyOf(allowedAlgorithms);
    }

    public Result check(List<String> authorizationHeaders) {
        if (authorizationHeaders == null || authorizationHeaders.isEmpty()) {
            return new Result(Verdict.ABSENT, null, "no Authorization header");
        }
        if (authorizationHeaders.size() > 1) {
            return new Result(Verdict.INVALID_REQUEST, null, "more than one Authorization header");
        }
        String header = authorizationHeaders.get(0).strip();
        if (!header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            // Another scheme (Basic, DPoP, ...) carries no bearer token; the challenge tells the client what is expected
            return header.equalsIgnoreCase(SCHEME.strip())
                    ? new Result(Verdict.INVALID_TOKEN, null, "empty bearer token")
                    : new Result(Verdict.ABSENT, null, "not a Bearer Authorization header");
        }
        String token = header.substring(SCHEME.length());
        if (token.isEmpty()) {
            return new Result(Verdict.INVALID_TOKEN, null, "empty bearer token");
        }
        if (token.length() > maxLength) {
            return new Result(Verdict.INVALID_TOKEN, null, "token longer than " + maxLength + " characters");
        }
        if (!COMPACT_JWS.matcher(token).matches()) {
            return new Result(Verdict.INVALID_TOKEN, null, "not a signed JWT (compact JWS)");
        }
        String alg = algorithmOf(token);
        if (alg == null) {
            return new Result(Verdict.INVALID_TOKEN, null, "unreadable JWS header");
        }
        if (!allowedAlgorithms.contains(alg)) {
            return new Result(Verdict.INVALID_TOKEN, null, "JWS algorithm not allowed: " + sanitize(alg));
        }
        return new Result(Verdict.CANDIDATE, token, null);
    }

    private static String algorithmOf(String token) {
        try {
            byte[] json = Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.')));
            Object alg = new JsonObject(new String(json, StandardCharsets.UTF_8)).getValue("alg");
            return alg instanceof String s ? s : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String sanitize(String value) {
        String cut = value.length() > 16 ? value.substring(0, 16) : value;
        return cut.replaceAll("[^A-Za-z0-9_-]", "?");
    }
}
