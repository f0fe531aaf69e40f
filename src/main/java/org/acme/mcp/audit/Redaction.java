package org.acme.mcp.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Turns tool arguments into what an audit record may hold: a digest of all of them and a redacted, short preview. */
public final class Redaction {

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}(?:\\.[A-Za-z0-9_-]*){1,4}");

    static final Set<String> BUILT_IN = Set.of("password", "passwd", "secret", "token", "access_token", "refresh_token",
            "authorization", "api_key", "apikey", "key", "private_key", "credentials", "cookie");
    static final int MAX_VALUE = 64;
    static final int MAX_PREVIEW = 512;

    private final Set<String> sensitive = new HashSet<>();

    public Redaction(Set<String> extra) {
        BUILT_IN.forEach(n -> sensitive.add(n.toLowerCase(Locale.ROOT)));
        extra.forEach(n -> sensitive.add(n.toLowerCase(Locale.ROOT)));
    }

    /** What an audit record keeps of a call's arguments: the SHA-256 of their JSON and a redacted, short preview. */
    public record Summary(String sha256, String preview) {
    }

    /** The digest proves what was sent without keeping it; the preview shows what may be shown. */
    public Summary summarize(JsonObject arguments) {
        JsonObject all = arguments == null ? new JsonObject() : arguments;
        String encoded = all.encode();
        boolean[] changed = new boolean[1];
        JsonObject redacted = redact(all, changed);
        // usually nothing needs redacting: then one encoding serves both
        String preview = changed[0] ? redacted.encode() : encoded;
        return new Summary(sha256(encoded),
                preview.length() > MAX_PREVIEW ? preview.substring(0, MAX_PREVIEW) + "…" : preview);
    }

    /** A redacted copy; {@code changed[0]} is set when anything was redacted or cut. */
    private JsonObject redact(JsonObject object, boolean[] changed) {
        JsonObject result = new JsonObject();
        for (String name : object.fieldNames()) {
            Object value = object.getValue(name);
            if (sensitive.contains(name.toLowerCase(Locale.ROOT))) {
                result.put(name, "[redacted]");
                changed[0] = true;
            } else {
                result.put(name, redactValue(value, changed));
            }
        }
        return result;
    }

    private Object redactValue(Object value, boolean[] changed) {
        if (value instanceof JsonObject o) {
            return redact(o, changed);
        }
        if (value instanceof JsonArray a) {
            JsonArray result = new JsonArray();
            a.forEach(v -> result.add(redactValue(v, changed)));
            return result;
        }
        if (value instanceof String s) {
            // cut first: only the kept part is scanned (a token cut before its first dot leaves just its header)
            String kept = s.length() > MAX_VALUE ? s.substring(0, MAX_VALUE) + "…" : s;
            String shown = JWT.matcher(kept).replaceAll("[redacted-jwt]");
            changed[0] |= !shown.equals(s);
            return shown;
        }
        return value;
    }

    /** Hex SHA-256 of a text's UTF-8 bytes. */
    public static String sha256(String text) {
        return HexFormat.of().formatHex(SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    // one per thread: several hashes per request (token cache key, session, jti), and a provider lookup per hash
    // costs about as much as hashing a token; digest() resets it for the next use
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
}
