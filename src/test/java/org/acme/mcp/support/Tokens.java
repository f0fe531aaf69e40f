package org.acme.mcp.support;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Builds access tokens for tests: by default a valid Keycloak-shaped token of {@link TestIssuer} for the test
 * server's resource; every claim, the algorithm and the key can be changed to make forgeries.
 */
public final class Tokens {

    public static final String RESOURCE = "http://localhost:8081/mcp";

    private final Map<String, Object> claims = new LinkedHashMap<>();
    private final Map<String, Object> extraHeaders = new LinkedHashMap<>();
    private PublicJsonWebKey key = TestIssuer.RSA;
    private String alg = AlgorithmIdentifiers.RSA_USING_SHA256;
    private String kid;

    private Tokens() {
        long now = System.currentTimeMillis() / 1000;
        claims.put("iss", TestIssuer.issuer());
        claims.put("sub", "a1b2c3-alice");
        claims.put("aud", List.of(RESOURCE, "mcp-server"));
        claims.put("azp", "mcp-test-cli");
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + 300);
        claims.put("jti", java.util.UUID.randomUUID().toString());
        claims.put("typ", "Bearer");
        claims.put("scope", "openid mcp.read");
        claims.put("preferred_username", "alice");
        claims.put("realm_access", Map.of("roles", List.of("mcp-reader")));
    }

    /** A valid Keycloak-shaped token for user alice. */
    public static Tokens keycloak() {
        return new Tokens();
    }

    /** A valid Microsoft Entra ID v2 access token shape (claims as Entra issues them for an exposed API). */
    public static Tokens entra() {
        Tokens t = new Tokens();
        long now = System.currentTimeMillis() / 1000;
        t.claims.clear();
        t.claims.put("aud", TestIssuer.ENTRA_APP_ID_URI);
        t.claims.put("iss", TestIssuer.ENTRA_ISSUER);
        t.claims.put("iat", now);
        t.claims.put("nbf", now);
        t.claims.put("exp", now + 3600);
        t.claims.put("aio", "AWQAm/8TAAAA");
        t.claims.put("azp", "b3d8a8e1-3c11-4f4e-9b1a-5f2f0c1d2e3f");
        t.claims.put("azpacr", "0");
        t.claims.put("name", "Alice Example");
        t.claims.put("oid", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
        t.claims.put("preferred_username", "alice@contoso.example");
        t.claims.put("rh", "0.AXEA");
        t.claims.put("roles", List.of("mcp-operator"));
        t.claims.put("scp", "mcp.read mcp.write");
        t.claims.put("sub", "mX7Qv2d1c5Yq8Zr3-alice-pairwise");
        t.claims.put("tid", TestIssuer.ENTRA_TENANT);
        t.claims.put("uti", "k3Y1a2B3c4D5e6F7g8H9");
        t.claims.put("ver", "2.0");
        return t;
    }

    public Tokens claim(String name, Object value) {
        claims.put(name, value);
        return this;
    }

    public Tokens without(String name) {
        claims.remove(name);
        return this;
    }

    /** Keycloak-shaped realm roles. */
    public Tokens roles(String... roles) {
        return claim("realm_access", Map.of("roles", List.of(roles)));
    }

    public Tokens scope(String scope) {
        return claim("scope", scope);
    }

    /** When the user authenticated, in seconds relative to now (negative: in the past). */
    public Tokens authenticatedAgo(long seconds) {
        return claim("auth_time", System.currentTimeMillis() / 1000 - seconds);
    }

    public Tokens subject(String sub) {
        return claim("sub", sub);
    }

    /** Expiry relative to now, in seconds; iat and nbf move with it so that only the expiry is in question. */
    public Tokens expiresIn(long seconds) {
        long exp = System.currentTimeMillis() / 1000 + seconds;
        claim("iat", Math.min(exp - 300, System.currentTimeMillis() / 1000));
        claim("nbf", Math.min(exp - 300, System.currentTimeMillis() / 1000));
        return claim("exp", exp);
    }

    public Tokens notBeforeIn(long seconds) {
        return claim("nbf", System.currentTimeMillis() / 1000 + seconds);
    }

    public Tokens signedWith(PublicJsonWebKey key, String alg) {
        this.key = key;
        this.alg = alg;
        return this;
    }

    public Tokens kid(String kid) {
        this.kid = kid;
        return this;
    }

    public Tokens header(String name, Object value) {
        extraHeaders.put(name, value);
        return this;
    }

    public String claimsJson() {
        return JsonUtil.toJson(claims);
    }

    public String sign() {
        return sign(key.getPrivateKey(), alg, kid != null ? kid : key.getKeyId(), false);
    }

    /** HS256 with the issuer's public RSA key as the HMAC secret: the key-confusion attack. */
    public String signHmacWithPublicKey() {
        byte[] secret = TestIssuer.RSA.getPublicKey().getEncoded();
        return sign(new HmacKey(secret), AlgorithmIdentifiers.HMAC_SHA256, TestIssuer.RSA.getKeyId(), true);
    }

    /** An unsigned token ({@code alg=none}) with an empty or a junk signature part. */
    public String unsigned(String signaturePart) {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        return header + "." + b64(claimsJson()) + "." + signaturePart;
    }

    private String sign(Key signingKey, String algorithm, String keyId, boolean relaxKeyValidation) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claimsJson());
            jws.setAlgorithmHeaderValue(algorithm);
            jws.setKey(signingKey);
            jws.setHeader("typ", "JWT");
            if (keyId != null) {
                jws.setKeyIdHeaderValue(keyId);
            }
            extraHeaders.forEach((name, value) -> jws.getHeaders().setObjectHeaderValue(name, value));
            jws.setDoKeyValidation(!relaxKeyValidation);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces the payload of a signed token, keeping header and signature (a tampered token). */
    public static String tamper(String token, String newClaimsJson) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + b64(newClaimsJson) + "." + parts[2];
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
