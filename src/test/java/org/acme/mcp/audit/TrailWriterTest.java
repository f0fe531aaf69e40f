package org.acme.mcp.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batched writer loses nothing: with a queue far too small, producers write their events themselves. */
class TrailWriterTest {

    @TempDir
    Path dir;

    @Test
    void everyEventReachesTheTrailEvenWhenTheQueueOverflows() throws Exception {
        byte[] key = "writer-test-key-0123".getBytes(StandardCharsets.UTF_8);
        TrailWriter writer = new TrailWriter(new AuditTrail(dir, 1 << 20, key), 1);
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int producer = t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    writer.submit(AuditEvent.of("test", "ok", Map.of("n", producer + "-" + i)));
                }
            });
            producers.add(thread);
            thread.start();
        }
        for (Thread thread : producers) {
            thread.join();
        }
        assertTrue(writer.flush(Duration.ofSeconds(10)));
        writer.close();
        assertTrue(writer.healthy());
        AuditChainVerifier.Result verdict = AuditChainVerifier.verify(dir, key);
        assertTrue(verdict.intact(), verdict.toString());
        assertEquals(4000, verdict.records());
        long distinct = AuditTrail.segments(dir).stream().flatMap(p -> {
            try {
                return Files.readAllLines(p).stream();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).map(l -> l.replaceAll(".*\"n\":\"([0-9-]+)\".*", "$1")).distinct().count();
        assertEquals(4000, distinct, "every event once");
    }
}
