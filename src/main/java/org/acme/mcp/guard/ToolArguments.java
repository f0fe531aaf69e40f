package org.acme.mcp.guard;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.mcp.server.ToolArg;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The text of one tool call's arguments, as the guards see it, with where it came from. Read from the
 * {@code arguments} JSON the client sent ({@link #ofJson}): every string and every member name, whatever Java types the
 * tool binds them to. Without the request message (a tool called outside an HTTP request), from the Java parameters
 * ({@link #of}): strings, collections, arrays, maps with their keys, records, other objects through Jackson; parameters
 * the extension injects ({@code McpConnection}, {@code Progress}, ...) are skipped. Numbers and booleans carry no text.
 *
 * @param texts in parameter order; {@code path} names the parameter and the position inside it, e.g. {@code items[2]}
 */
public record ToolArguments(String tool, List<Text> texts) {

    public record Text(String path, String value) {
    }

    /** Nesting followed at most; deeper values are not inspected (the transport caps JSON nesting at 64 anyway). */
    static final int MAX_DEPTH = 64;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    public ToolArguments {
        texts = List.copyOf(texts);
    }

    /** Characters of all texts together. */
    public long totalChars() {
        long total = 0;
        for (Text t : texts) {
            total += t.value().length();
        }
        return total;
    }

    /** The texts of the {@code arguments} object exactly as the client sent it. */
    public static ToolArguments ofJson(String tool, JsonObject arguments) {
        List<Text> texts = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Object> e : arguments) {
            String key = e.getKey();
            texts.add(new Text("<key " + i + ">", key));
            // a path carries a member name only when it looks like a parameter name, never arbitrary caller text
            walkRaw(SIMPLE_NAME.matcher(key).matches() ? key : "<value " + i + ">", e.getValue(), texts);
            i++;
        }
        return new ToolArguments(tool, texts);
    }

    private static void walkRaw(String path, Object value, List<Text> out) {
        if (value instanceof String s) {
            out.add(new Text(path, s));
        } else if (value instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                walkRaw(path + "[" + i + "]", array.getValue(i), out);
            }
        } else if (value instanceof JsonObject object) {
            int i = 0;
            for (Map.Entry<String, Object> e : object) {
                out.add(new Text(path + ".<key " + i + ">", e.getKey()));
                walkRaw(path + ".<value " + i++ + ">", e.getValue(), out);
            }
        } // numbers, booleans, null: no text; nesting is bounded by the transport (max-json-depth)
    }

    public static ToolArguments of(String tool, Method method, Object[] parameters) {
        List<Text> texts = new ArrayList<>();
        Parameter[] declared = method.getParameters();
        for (int i = 0; i < declared.length && i < parameters.length; i++) {
            if (declared[i].getType().getName().startsWith("io.quarkiverse.mcp.server.")) {
                continue; // injected by the extension, not sent by the client
            }
            ToolArg arg = declared[i].getAnnotation(ToolArg.class);
            String name = arg != null && !arg.name().equals(ToolArg.ELEMENT_NAME) ? arg.name() : declared[i].getName();
            walk(name, parameters[i], texts, 0);
        }
        return new ToolArguments(tool, texts);
    }

    private static void walk(String path, Object value, List<Text> out, int depth) {
        if (value == null || depth > MAX_DEPTH) {
            return;
        }
        if (value instanceof CharSequence s) {
            out.add(new Text(path, s.toString()));
        } else if (value instanceof Number || value instanceof Boolean) {
            return;
        } else if (value instanceof Character || value instanceof Enum<?>) {
            out.add(new Text(path, value.toString()));
        } else if (value instanceof Optional<?> o) {
            walk(path, o.orElse(null), out, depth + 1);
        } else if (value instanceof Map<?, ?> map) {
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                // entries by position, never by key: a path must not carry caller text
                walk(path + ".<key " + i + ">", e.getKey(), out, depth + 1);
                walk(path + ".<value " + i++ + ">", e.getValue(), out, depth + 1);
            }
        } else if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                walk(path + "[" + i++ + "]", item, out, depth + 1);
            }
        } else if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                walk(path + "[" + i + "]", Array.get(value, i), out, depth + 1);
            }
        } else if (value instanceof JsonNode node) {
            walkJson(path, node, out, depth);
        } else if (value.getClass().isRecord()) {
            for (RecordComponent c : value.getClass().getRecordComponents()) {
                try {
                    c.getAccessor().setAccessible(true);
                    walk(path + "." + c.getName(), c.getAccessor().invoke(value), out, depth + 1);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    walkJson(path, JSON.valueToTree(value), out, depth); // the way the extension serialises it
                    return;
                }
            }
        } else {
            walkJson(path, JSON.valueToTree(value), out, depth);
        }
    }

    private static void walkJson(String path, JsonNode node, List<Text> out, int depth) {
        if (node == null || depth > MAX_DEPTH) {
            return;
        }
        if (node.isTextual()) {
            out.add(new Text(path, node.textValue()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walkJson(path + "[" + i + "]", node.get(i), out, depth + 1);
            }
        } else if (node.isObject()) {
            int i = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                out.add(new Text(path + ".<key " + i + ">", e.getKey()));
                walkJson(path + ".<value " + i++ + ">", e.getValue(), out, depth + 1);
            }
        }
    }
}
