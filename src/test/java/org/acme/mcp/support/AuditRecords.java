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

/** Reads the audit trail of the server under test. */
public final class AuditRecords {

    /** Where the %test profile writes the trail, and its key. */
    public static final Path TRAIL = Path.of("target", "audit-test");
    public static final String KEY = "test-audit-key";
    /** Where the packaged server of the integration-test twins writes it ({@code BlackBoxProfile}), and its key. */
    public static final Path IT_TRAIL = Path.of("target", "audit-blackbox-it");
    public static final String IT_KEY = "blackbox-it-audit-key-0123";

    /** The trail of the server under test: in-process ({@code @QuarkusTest}) or the packaged one. */
    public static Path trail() {
        return Arc.container() == null ? IT_TRAIL : TRAIL;
    }

    public static byte[] key() {
        return (Arc.container() == null ? IT_KEY : KEY).getBytes(StandardCharsets.UTF_8);
    }

    private AuditRecords() {
    }

    public static List<JsonObject> all() {
        // events are written by a background thread: wait for those recorded so far
        if (Arc.container() == null) {
            awaitQuietTrail(); // the server is another process (integration tests): wait until it stops writing
        } else if (!Arc.container().instance(AuditLog.class).get().flush(Duration.ofSeconds(10))) {
            throw new AssertionError("audit trail not flushed within 10 s");
        }
        return in(trail());
    }

    /** Every record of the trail in {@code dir}, in order. */
    public static List<JsonObject> in(Path dir) {
        List<JsonObject> records = new ArrayList<>();
        try {
            for (Path segment : AuditTrail.segments(dir)) {
                for (String line : Files.readAllLines(segment, StandardCharsets.UTF_8)) {
                    records.add(new JsonObject(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    private static void awaitQuietTrail() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long size = -1;
        try {
            while (System.nanoTime() < deadline) {
                Thread.sleep(250);
                long now = 0;
                for (Path segment : AuditTrail.segments(trail())) {
                    now += Files.size(segment);
                }
                if (now == size) {
                    return;
                }
                size = now;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records of one type for one subject. */
    public static List<JsonObject> of(String subject, String type) {
        return all().stream().filter(r -> type.equals(r.getString("type"))
                && subject.equals(r.getJsonObject("attrs").getString("enduser.id"))).toList();
    }

    /**
     * The first record of one type for one subject, waiting for it: a call's record is written when its span ends,
     * which may be just after the client has its answer.
     */
    public static JsonObject first(String subject, String type) {
        return atLeast(1, subject, type).get(0);
    }

    /** The records of one type for one subject once there are at least {@code count} of them (waiting, as above). */
    public static List<JsonObject> atLeast(int count, String subject, String type) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<JsonObject> found = of(subject, type);
        while (found.size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            found = of(subject, type);
        }
        if (found.size() < count) {
            throw new AssertionError(count + " " + type + " records for " + subject + " expected, found " + found);
        }
        return found;
    }
}
