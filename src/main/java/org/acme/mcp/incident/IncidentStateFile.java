package org.acme.mcp.incident;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.acme.mcp.incident.IncidentState.Entry;
import org.acme.mcp.incident.IncidentState.Kind;

import io.vertx.core.json.JsonObject;

/**
 * Reads and writes the kill switch's state file: one JSON object, {@code {"version":1,"disabledTools":{…},
 * "blockedSubjects":{…},"blockedClients":{…}}}, each entry {@code {"by":…,"reason":…,"since":ISO-8601}}.
 * <p>
 * Reading is strict: anything unexpected is an {@link IncidentStateException}, because guessing at a damaged file
 * could silently lift a block. Writing replaces the file atomically (a temporary file in the same directory, forced
 * to disk, then renamed over it), so a crash leaves the old or the new state, never a torn one; the file is
 * readable and writable by its owner only.
 */
final class IncidentStateFile {

    static final int VERSION = 1;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Map<Kind, String> SECTIONS = Map.of(Kind.TOOL, "disabledTools", Kind.SUBJECT,
            "blockedSubjects", Kind.CLIENT, "blockedClients");

    private final Path file;

    IncidentStateFile(Path file) {
        this.file = file.toAbsolutePath();
    }

    Path path() {
        return file;
    }

    /** The stored state; {@link IncidentState#EMPTY} when there is no file yet. */
    IncidentState load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return IncidentState.EMPTY;
        } catch (IOException | RuntimeException e) {
            throw new IncidentStateException("Incident state file " + file + " cannot be read (" + e + ")", e);
        }
        try {
            return parse(new JsonObject(text));
        } catch (RuntimeException e) { // whatever the content made the parser throw: refuse, naming the file
            throw new IncidentStateException("Incident state file " + file + " is corrupt: "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        }
    }

    /** Replaces the stored state atomically. */
    void save(IncidentState state) throws IOException {
        byte[] json = toJson(state).encodePrettily().getBytes(StandardCharsets.UTF_8);
        Path dir = file.getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(OWNER_ONLY) }
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", attrs);
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(json);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp); // gone after a successful move; removes the leftover of a failed one
        }
    }

    /** Makes the rename itself durable where the file system allows it (Linux does; others may refuse). */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // the file is in place; only its durability across a power loss is not guaranteed here
        }
    }

    static IncidentState parse(JsonObject json) {
        Object version = json.getValue("version");
        if (!(version instanceof Integer v) || v != VERSION) {
            throw new IllegalArgumentException("version must be " + VERSION + ", found " + version);
        }
        for (String key : json.fieldNames()) {
            if (!key.equals("version") && !SECTIONS.containsValue(key)) {
                throw new IllegalArgumentException("unknown member " + key);
            }
        }
        IncidentState state = IncidentState.EMPTY;
        for (Kind kind : Kind.values()) {
            String section = SECTIONS.get(kind);
            JsonObject entries = json.getJsonObject(section, new JsonObject());
            for (String target : entries.fieldNames()) {
                String problem = Targets.problem(kind, target);
                if (problem != null) {
                    throw new IllegalArgumentException(section + ": " + problem);
                }
                JsonObject entry = entries.getJsonObject(target);
                if (entry == null) {
                    throw new IllegalArgumentException(section + "." + target + " must be an object");
                }
                String reason = required(entry, "reason");
                String by = required(entry, "by");
                if (Targets.reasonProblem(reason) != null || by.length() > 1024
                        || by.chars().anyMatch(Character::isISOControl)) {
                    throw new IllegalArgumentException(section + "." + target + ": bad reason or by");
                }
                state = state.with(kind, target, new Entry(by, reason, Instant.parse(required(entry, "since"))));
            }
        }
        return state;
    }

    static JsonObject toJson(IncidentState state) {
        JsonObject json = new JsonObject().put("version", VERSION);
        for (Kind kind : Kind.values()) {
            Map<String, Object> entries = new LinkedHashMap<>();
            state.of(kind).forEach((target, e) -> entries.put(target, new JsonObject().put("by", e.by())
                    .put("reason", e.reason()).put("since", e.since().toString())));
            json.put(SECTIONS.get(kind), new JsonObject(entries));
        }
        return json;
    }

    private static String required(JsonObject entry, String member) {
        if (!(entry.getValue(member) instanceof String value)) {
            throw new IllegalArgumentException("entry without a string " + member);
        }
        return value;
    }

    /** The state file cannot be trusted: the server must not start on a guess. */
    static class IncidentStateException extends RuntimeException {
        IncidentStateException(String message, Throwable cause) {
            super(message + ". Refusing to start: fix or remove the file (removing it lifts every runtime block).",
                    cause);
        }
    }
}
