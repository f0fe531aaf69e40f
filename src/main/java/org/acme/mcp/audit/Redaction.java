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
    static final int MAX_URI = 256;

    private final Set<String> sensitive = new HashSet<>();

    public Redaction(Set<String> extra) {
        BUILT_IN.forEach(n -> sensitive.add(n.toLowerCase(Locale.ROOT)));
        extra.forEach(n -> sensitive.add(n.toLowerCase(Locale.ROOT)));
    }

    /** What an audit record keeps of a call's arguments: the SHA-256 of their JSON and a redacted, short preview. */
    public record Summary(String sha256, String preview) {
    }

    /**
     * The digest proves what was sent without keeping it: the arguments' bytes as sent when they are known
     * ({@code sent}), otherwise their JSON re-encoded. The preview shows what may be shown: the redacted copy, whose
     * every value is cut short, so encoding it costs little however large the arguments are.
     */
    public Summary summarize(JsonObject arguments, SentArguments sent) {
        JsonObject all = arguments == null ? new JsonObject() : arguments;
        String preview = redact(all).encode();
        return new Summary(sent != null ? sent.sha256() : sha256(all.encode()),
                cut(preview, MAX_PREVIEW));
    }

    /**
     * The arguments as a person must see them to approve a call: every value whole (what is approved is what runs),
     * only those of sensitive names hidden.
     */
    public JsonObject hideSensitive(JsonObject arguments) {
        JsonObject result = new JsonObject();
        for (String name : arguments.fieldNames()) {
            Object value = arguments.getValue(name);
            result.put(name, sensitive.contains(name.toLowerCase(Locale.ROOT)) ? "[hidden]"
                    : value instanceof JsonObject o ? hideSensitive(o)
                            : value instanceof JsonArray a ? hideSensitive(a) : value);
        }
        return result;
    }

    private JsonArray hideSensitive(JsonArray array) {
        JsonArray result = new JsonArray();
        array.forEach(v -> result.add(v instanceof JsonObject o ? hideSensitive(o)
                : v instanceof JsonArray a ? hideSensitive(a) : v));
        return result;
    }

    private JsonObject redact(JsonObject object) {
        JsonObject result = new JsonObject();
        for (String name : object.fieldNames()) {
            Object value = object.getValue(name);
            result.put(name, sensitive.contains(name.toLowerCase(Locale.ROOT)) ? "[redacted]" : redactValue(value));
        }
        return result;
    }

    private Object redactValue(Object value) {
        if (value instanceof JsonObject o) {
            return redact(o);
        }
        if (value instanceof JsonArray a) {
            JsonArray result = new JsonArray();
            a.forEach(v -> result.add(redactValue(v)));
            return result;
        }
        if (value instanceof String s) {
            // cut first: only the kept part is scanned (a token cut before its first dot leaves just its header)
            return JWT.matcher(cut(s, MAX_VALUE)).replaceAll("[redacted-jwt]");
        }
        return value;
    }

    /**
     * A resource URI as a record may hold it: the values of query parameters with sensitive names redacted, bearer
     * tokens anywhere replaced, cut to {@value #MAX_URI} characters.
     */
    public String uri(String uri) {
        if (uri == null) {
            return "";
        }
        String kept = cut(uri, MAX_URI);
        int query = kept.indexOf('?');
        if (query >= 0) {
            StringBuilder out = new StringBuilder(kept.length()).append(kept, 0, query + 1);
            String[] parameters = kept.substring(query + 1).split("&", -1);
            for (int i = 0; i < parameters.length; i++) {
                int eq = parameters[i].indexOf('=');
                String name = eq < 0 ? parameters[i] : parameters[i].substring(0, eq);
                out.append(i == 0 ? "" : "&").append(eq >= 0 && sensitive.contains(name.toLowerCase(Locale.ROOT))
                        ? name + "=[redacted]"
                        : parameters[i]);
            }
            kept = out.toString();
        }
        return JWT.matcher(kept).replaceAll("[redacted-jwt]");
    }

    /** {@code text}, or its first {@code max} characters and an ellipsis. */
    static String cut(String text, int max) {
        return text.length() > max ? text.substring(0, max) + "…" : text;
    }

    /** Hex SHA-256 of a text's UTF-8 bytes. */
    public static String sha256(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return sha256(bytes, 0, bytes.length);
    }

    /** Hex SHA-256 of {@code length} bytes from {@code offset}. */
    static String sha256(byte[] bytes, int offset, int length) {
        MessageDigest digest = SHA256.get();
        digest.update(bytes, offset, length);
        return HexFormat.of().formatHex(digest.digest());
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
