package org.acme.mcp.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The line format of the trail, shared by writer and verifier and using the JDK only (the verifier runs without the
 * server's libraries). A record is one JSON object whose last two members are {@code "prev"} (the previous record's
 * hash) and {@code "hash"}: HMAC-SHA256 (or SHA-256 without a key) of the line up to {@code "hash"}, closed with
 * {@code "}"}.
 */
final class ChainCodec {

    static final String GENESIS = "0".repeat(64);
    private static final String HASH_MEMBER = ",\"hash\":\"";
    static final String PREV_MEMBER = ",\"prev\":\"";
    private static final Pattern SEQ = Pattern.compile("^\\{\"seq\":(\\d+),");

    private final Mac mac; // null without a key; reused (a provider lookup per record costs more than the HMAC)

    ChainCodec(byte[] key) {
        this.mac = key == null || key.length == 0 ? null : hmac(key);
    }

    private static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sealed record: its line and its hash, the next record's {@code prev}. */
    record Sealed(String line, String hash) {
    }

    /** Seals a record body (a JSON object ending with the {@code prev} member) into its line. */
    Sealed seal(String body) {
        String hash = hash(body);
        return new Sealed(body.substring(0, body.length() - 1) + HASH_MEMBER + hash + "\"}", hash);
    }

    synchronized String hash(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (mac == null) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return HexFormat.of().formatHex(mac.doFinal(bytes)); // doFinal resets the Mac for the next record
    }

    /** A parsed line, or {@code null} if the line is not a complete record. */
    record Line(long seq, String prev, String hash, String body) {
    }

    static Line parse(String line) {
        int h = line.lastIndexOf(HASH_MEMBER);
        int p = line.lastIndexOf(PREV_MEMBER, h);
        Matcher seq = SEQ.matcher(line);
        if (h < 0 || p < 0 || !seq.find() || !line.endsWith("\"}") || line.length() != h + HASH_MEMBER.length() + 64 + 2) {
            return null;
        }
        String prev = line.substring(p + PREV_MEMBER.length(), h - 1);
        String hash = line.substring(h + HASH_MEMBER.length(), h + HASH_MEMBER.length() + 64);
        return new Line(Long.parseLong(seq.group(1)), prev, hash, line.substring(0, h) + "}");
    }

    /**
     * The HEAD file's content: last sequence number and hash, sealed so that it cannot be rolled forward by hand.
     * Fixed length (zero-padded sequence number), so that it can be overwritten in place with one write.
     */
    String head(long seq, String hash) {
        String digits = Long.toString(seq); // zero-padded to 20 by hand: String.format costs more than the HMAC
        String text = "0".repeat(20 - digits.length()) + digits + " " + hash;
        return text + " " + hash("HEAD " + text) + "\n";
    }
}
