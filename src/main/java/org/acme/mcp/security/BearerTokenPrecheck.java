package org.acme.mcp.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.vertx.core.json.JsonObject;

/**
 * Cheap structural checks on the {@code Authorization} header, run before the OIDC validator sees the token.
 * <p>
 * They keep garbage away from the JWKS and introspection paths (an unauthenticated caller must not be able to make
 * the server call its identity provider) and refuse algorithm tricks ({@code alg=none}, HMAC with the public key)
 * before any key is looked up. Signature, issuer, audience and lifetime are verified by quarkus-oidc afterwards.
 */
public final class BearerTokenPrecheck {

    private static final int MAX_REMEMBERED_HEADERS = 256;
    private final Map<String, String> headerAlgorithms = new ConcurrentHashMap<>();

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

    private final int maxLength;
    private final Set<String> allowedAlgorithms;

    /** The only algorithms {@code mcp.security.token.allowed-algorithms} may list: asymmetric signatures. */
    public static final Set<String> ASYMMETRIC_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512", "EdDSA");

    /** @throws IllegalArgumentException when {@code allowedAlgorithms} names {@code none}, an HMAC or an unknown one */
    public BearerTokenPrecheck(int maxLength, Set<String> allowedAlgorithms) {
        List<String> refused = allowedAlgorithms.stream().filter(alg -> !ASYMMETRIC_ALGORITHMS.contains(alg)).sorted()
                .toList();
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("mcp.security.token.allowed-algorithms may list only asymmetric JWS"
                    + " algorithms " + new TreeSet<>(ASYMMETRIC_ALGORITHMS) + "; refused: " + refused);
        }
        this.maxLength = maxLength;
        this.allowedAlgorithms = Set.copyOf(allowedAlgorithms);
    }

    public Result check(List<String> authorizationHeaders) {
        return check(authorizationHeaders, token -> false);
    }

    /**
     * @param verifiedBefore whether a token already passed full validation (the verified-token cache): such a token
     *        skips the structural checks it passed then
     */
    public Result check(List<String> authorizationHeaders, Predicate<String> verifiedBefore) {
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
        if (verifiedBefore.test(token)) {
            return new Result(Verdict.CANDIDATE, token, null);
        }
        if (!isCompactJws(token)) {
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

    /** Three non-empty base64url segments separated by dots (a loop: this runs on every request). */
    static boolean isCompactJws(String token) {
        int dots = 0;
        int segment = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (segment == 0 || ++dots > 2) {
                    return false;
                }
                segment = 0;
            } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                segment++;
            } else {
                return false;
            }
        }
        return dots == 2 && segment > 0;
    }

    /**
     * The {@code alg} of the token's JWS header. An identity provider uses a handful of distinct headers (one per
     * signing key), so decoded ones are remembered, up to a small bound that junk headers cannot grow past.
     */
    private String algorithmOf(String token) {
        String header = token.substring(0, token.indexOf('.'));
        String known = headerAlgorithms.get(header);
        if (known != null) {
            return known;
        }
        String alg = decodeAlgorithm(header);
        if (alg != null && headerAlgorithms.size() < MAX_REMEMBERED_HEADERS) {
            headerAlgorithms.put(header, alg);
        }
        return alg;
    }

    private static String decodeAlgorithm(String header) {
        try {
            byte[] json = Base64.getUrlDecoder().decode(header);
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
