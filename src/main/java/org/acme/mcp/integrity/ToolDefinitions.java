package org.acme.mcp.integrity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.acme.mcp.guard.InvisibleCharacters;

import io.quarkiverse.mcp.server.ToolManager;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Tool definitions exactly as {@code tools/list} shows them, in a canonical form that can be hashed and compared:
 * object keys sorted at every level, no insignificant whitespace, UTF-8. Nothing is left out, so a change anywhere a
 * model can read (a schema property's description, an annotation, {@code _meta}) changes the hash.
 */
public final class ToolDefinitions {

    private ToolDefinitions() {
    }

    /** The definition of every tool, by name. */
    public static Map<String, JsonObject> of(Iterable<ToolManager.ToolInfo> tools) {
        Map<String, JsonObject> definitions = new TreeMap<>();
        for (ToolManager.ToolInfo tool : tools) {
            definitions.put(tool.name(), definition(tool));
        }
        return definitions;
    }

    /** One tool's definition as plain JSON (schema generators may hand back other object types). */
    public static JsonObject definition(ToolManager.ToolInfo tool) {
        return new JsonObject(tool.asJson().encode());
    }

    /** Canonical JSON text of a value: objects with sorted keys, no whitespace. */
    public static String canonical(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /** Hex SHA-256 of the canonical form: the hash clients can pin and the lockfile records. */
    public static String sha256(JsonObject definition) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical(definition).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /**
     * What differs between an approved and a current definition, one line per changed leaf, named by its path
     * (e.g. {@code inputSchema.properties.text.description}), with both values shown and invisible characters escaped.
     */
    public static List<String> differences(JsonObject approved, JsonObject current) {
        List<String> out = new ArrayList<>();
        diff("", approved, current, out);
        return out;
    }

    private static void diff(String path, Object approved, Object current, List<String> out) {
        if (approved instanceof JsonObject a && current instanceof JsonObject c) {
            TreeSet<String> keys = new TreeSet<>(a.fieldNames());
            keys.addAll(c.fieldNames());
            for (String key : keys) {
                diff(path.isEmpty() ? key : path + "." + key, a.getValue(key), c.getValue(key), out);
            }
        } else if (approved instanceof JsonArray a && current instanceof JsonArray c && a.size() == c.size()) {
            for (int i = 0; i < a.size(); i++) {
                diff(path + "[" + i + "]", a.getValue(i), c.getValue(i), out);
            }
        } else if (!canonical(approved).equals(canonical(current))) {
            if (approved == null) {
                out.add(path + " added: " + preview(current));
            } else if (current == null) {
                out.add(path + " removed (was " + preview(approved) + ")");
            } else {
                out.add(path + " changed: " + preview(approved) + " -> " + preview(current));
            }
        }
    }

    /** A short, single-line rendering in which hidden characters show up. */
    static String preview(Object value) {
        String text = canonical(value);
        String shown = text.length() > 160 ? text.substring(0, 160) + "...(" + text.length() + " chars)" : text;
        return InvisibleCharacters.neutralise(shown);
    }

    private static void write(Object value, StringBuilder out) {
        if (value instanceof JsonObject o) {
            value = o.getMap();
        } else if (value instanceof JsonArray a) {
            value = a.getList();
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            out.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d));
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            string(value.toString(), out);
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
