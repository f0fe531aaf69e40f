package org.acme.mcp.roundtrip;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import io.vertx.core.json.JsonObject;

/**
 * Seals what a {@code requestState} carries: AES-256-GCM, so the client can neither read nor change it (MCP calls the
 * state attacker-controlled). A sealed state is {@code s1.} and the base64url of a random nonce and the ciphertext with
 * its tag; anything else, or anything that fails the tag, opens to nothing. The key is derived from
 * {@code mcp.round-trip.state-key}; without one the server does not start.
 */
@Startup
@Singleton
public class RequestStateSeal {

    private static final String PREFIX = "s1.";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Far above any state a tool should keep; bounds the work an attacker can ask for. */
    private static final int MAX_SEALED_CHARS = 64 * 1024;
    private static final byte[] CONTEXT = "mcp request state v1".getBytes(StandardCharsets.US_ASCII);

    private final String secret;
    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    RequestStateSeal(RoundTripConfig config) {
        this.secret = config.stateKey().filter(k -> k.length() >= 32).orElseThrow(() -> new IllegalStateException(
                "mcp.round-trip.state-key (MCP_REQUEST_STATE_KEY) must be set, 32+ characters, the same on every"
                        + " replica: it seals the requestState of multi-round-trip requests, which clients must not be"
                        + " able to forge"));
        this.key = new SecretKeySpec(derive(CONTEXT), "AES");
    }

    /**
     * A key of {@code purpose} alone (HMAC-SHA256 of it under the secret), the same on every replica: what is derived
     * for one purpose says nothing about the key of another.
     */
    public byte[] derive(byte[] purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(purpose);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** {@code payload}, sealed. */
    public String seal(JsonObject payload) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(CONTEXT);
            byte[] sealed = cipher.doFinal(payload.encode().getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** What {@code sealed} carries, if this server sealed it and nobody changed a bit of it. */
    public Optional<JsonObject> open(String sealed) {
        if (sealed.length() > MAX_SEALED_CHARS || !sealed.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            String encoded = sealed.substring(PREFIX.length());
            byte[] bytes = Base64.getUrlDecoder().decode(encoded);
            // one spelling only: the decoder ignores a last character's unused bits, which must not let a changed
            // string through
            if (bytes.length <= NONCE_BYTES + TAG_BITS / 8
                    || !Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(encoded)) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(CONTEXT);
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return Optional.of(new JsonObject(new String(plain, StandardCharsets.UTF_8)));
        } catch (RuntimeException | GeneralSecurityException e) {
            return Optional.empty(); // not base64url, or the tag does not match: not ours, or changed
        }
    }
}
