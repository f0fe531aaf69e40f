package org.acme.mcp.approval;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Singleton;

import org.acme.mcp.roundtrip.RequestStateSeal;

/**
 * The token the approval form carries against cross-site request forgery: an HMAC of the approval and the signed-in
 * user, under a key derived from {@code mcp.round-trip.state-key} ({@link RequestStateSeal#derive}, so every replica
 * computes the same). A page on
 * another site can make the user's browser post the form, cookies and all, but cannot know the token.
 */
@Singleton
public class ApprovalCsrf {

    private final SecretKeySpec key;

    ApprovalCsrf(RequestStateSeal seal) {
        this.key = new SecretKeySpec(seal.derive("mcp approval form v1".getBytes(StandardCharsets.US_ASCII)),
                "HmacSHA256");
    }

    /** The form token for {@code approval} as decided by {@code issuer}/{@code subject}. */
    String token(String approval, String issuer, String subject) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] tag = mac.doFinal((approval + "\n" + issuer + "\n" + subject).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Whether {@code sent} is the token of this approval and user, compared in constant time. */
    boolean valid(String sent, String approval, String issuer, String subject) {
        return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.US_ASCII),
                token(approval, issuer, subject).getBytes(StandardCharsets.US_ASCII));
    }
}
