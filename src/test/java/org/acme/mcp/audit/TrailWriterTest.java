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
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The batched writer loses nothing: with a queue far too small, producers write their events themselves. */
class TrailWriterTest {

    @TempDir
    Path dir;

    /** Capacity 1: nearly every event overflows to its caller; 100 000: every event goes through the queue. */
    @ParameterizedTest
    @ValueSource(ints = { 1, 100_000 })
    void everyEventReachesTheTrailOnceAndInAChain(int capacity) throws Exception {
        byte[] key = "writer-test-key-0123".getBytes(StandardCharsets.UTF_8);
        TrailWriter writer = new TrailWriter(new AuditTrail(dir, 1 << 20, key), capacity);
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int producer = t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    writer.submit(AuditEvent.of("test", "ok", Map.of("n", producer + "-" + i)));
                    if (i % 100 == 99) {
                        LockSupport.parkNanos(5_000_000); // lets the writer fall asleep between bursts
                    }
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
