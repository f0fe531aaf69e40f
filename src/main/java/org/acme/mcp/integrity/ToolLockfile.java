package org.acme.mcp.integrity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The reviewed tool definitions: each tool's full definition and its SHA-256, pretty-printed with sorted keys so that
 * a change shows up as a readable diff in a pull request.
 */
public record ToolLockfile(Map<String, JsonObject> definitions) {

    /** Classpath location, packaged with the application from {@code src/main/resources}. */
    public static final String RESOURCE = "mcp-tools.lock.json";

    static final String HOW_TO_UPDATE = "Reviewed MCP tool definitions: start-up compares the live tools with this file."
            + " Update it with ./mvnw quarkus:dev -Dmcp.integrity.approve=true and review the diff.";

    public ToolLockfile {
        definitions = Map.copyOf(definitions);
    }

    public static ToolLockfile read(InputStream in, String source) throws IOException {
        JsonObject json;
        try {
            json = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException(source + " is not valid JSON: " + e.getMessage());
        }
        JsonObject tools = json.getJsonObject("tools");
        if (tools == null) {
            throw new IOException(source + " has no \"tools\" object");
        }
        Map<String, JsonObject> definitions = new TreeMap<>();
        List<String> broken = new ArrayList<>();
        for (String name : tools.fieldNames()) {
            JsonObject entry = tools.getJsonObject(name);
            JsonObject definition = entry == null ? null : entry.getJsonObject("definition");
            // a hand-edited definition must be re-hashed by the tool, never trusted as is
            if (definition == null || !ToolDefinitions.sha256(definition).equals(entry.getString("sha256"))) {
                broken.add(name);
            } else {
                definitions.put(name, definition);
            }
        }
        if (!broken.isEmpty()) {
            throw new IOException(source + ": the sha256 of " + broken + " does not match its definition (edited by hand?)");
        }
        return new ToolLockfile(definitions);
    }

    public void write(Path file) throws IOException {
        JsonObject tools = new JsonObject();
        new TreeMap<>(definitions).forEach((name, definition) -> tools.put(name,
                new JsonObject().put("sha256", ToolDefinitions.sha256(definition)).put("definition", sorted(definition))));
        String text = new JsonObject().put("about", HOW_TO_UPDATE).put("tools", tools).encodePrettily() + "\n";
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".mcp-tools", ".tmp");
        Files.writeString(temp, text);
        if (Files.getFileStore(temp).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--")); // a source file
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Every difference between these approved definitions and the current ones, naming tool and field. */
    public List<String> differences(Map<String, JsonObject> current) {
        List<String> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(definitions.keySet());
        names.addAll(current.keySet());
        for (String name : names) {
            JsonObject approved = definitions.get(name);
            JsonObject now = current.get(name);
            if (approved == null) {
                out.add("tool '" + name + "' is new (not in the lockfile)");
            } else if (now == null) {
                out.add("tool '" + name + "' is in the lockfile but no longer exists");
            } else if (!ToolDefinitions.sha256(approved).equals(ToolDefinitions.sha256(now))) {
                ToolDefinitions.differences(approved, now).forEach(d -> out.add("tool '" + name + "' " + d));
            }
        }
        return out;
    }

    private static Object sorted(Object value) {
        if (value instanceof JsonObject o) {
            JsonObject out = new JsonObject();
            new TreeSet<>(o.fieldNames()).forEach(k -> out.put(k, sorted(o.getValue(k))));
            return out;
        }
        if (value instanceof JsonArray a) {
            JsonArray out = new JsonArray();
            a.forEach(v -> out.add(sorted(v)));
            return out;
        }
        return value;
    }
}
