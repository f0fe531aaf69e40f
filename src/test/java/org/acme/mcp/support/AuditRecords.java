package org.acme.mcp.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditTrail;

import io.quarkus.arc.Arc;

import io.vertx.core.json.JsonObject;

/** Reads the audit trail the %test profile writes ({@code target/audit-test}). */
public final class AuditRecords {

    public static final Path TRAIL = Path.of("target", "audit-test");

    private AuditRecords() {
    }

    public static List<JsonObject> all() {
        // events are written by a background thread: wait for those recorded so far
        if (Arc.container() != null && !Arc.container().instance(AuditLog.class).get().flush(Duration.ofSeconds(10))) {
            throw new AssertionError("audit trail not flushed within 10 s");
        }
        List<JsonObject> records = new ArrayList<>();
        try {
            for (Path segment : AuditTrail.segments(TRAIL)) {
                for (String line : Files.readAllLines(segment, StandardCharsets.UTF_8)) {
                    records.add(new JsonObject(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    /** Records of one type for one subject. */
    public static List<JsonObject> of(String subject, String type) {
        return all().stream().filter(r -> type.equals(r.getString("type"))
                && subject.equals(r.getJsonObject("attrs").getString("enduser.id"))).toList();
    }
}
