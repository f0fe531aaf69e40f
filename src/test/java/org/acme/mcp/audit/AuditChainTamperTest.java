package org.acme.mcp.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edits, deletions, reordering and truncation of the trail are each detected at the right record. */
class AuditChainTamperTest {

    static final byte[] KEY = "test-hmac-key-0123456789".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    /** 10 records in segments of about 3 records. */
    @BeforeEach
    void write() throws IOException {
        try (AuditTrail trail = new AuditTrail(dir, 900, KEY)) {
            for (int i = 1; i <= 10; i++) {
                trail.append(AuditEvent.of("tool.call", "ok", Map.of("tool", "t" + i, "subject", "s")));
            }
        }
        assertTrue(AuditTrail.segments(dir).size() >= 3, "rotation happened: " + AuditTrail.segments(dir));
    }

    AuditChainVerifier.Result verify() throws IOException {
        return AuditChainVerifier.verify(dir, KEY);
    }

    /** All lines with their files, in chain order. */
    List<Path> files() throws IOException {
        return AuditTrail.segments(dir);
    }

    void rewrite(Path file, List<String> lines) throws IOException {
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    @Test
    void anIntactTrailVerifies() throws IOException {
        AuditChainVerifier.Result r = verify();
        assertTrue(r.intact(), r.toString());
        assertEquals(10, r.records());
    }

    @Test
    void anEditIsDetectedAtTheEditedRecord() throws IOException {
        Path second = files().get(1);
        List<String> lines = new ArrayList<>(Files.readAllLines(second));
        String original = lines.get(0);
        lines.set(0, original.replace("\"outcome\":\"ok\"", "\"outcome\":\"denied\""));
        rewrite(second, lines);
        AuditChainVerifier.Result r = verify();
        assertFalse(r.intact());
        assertEquals(second.getFileName().toString(), r.segment());
        assertEquals(1, r.line());
        assertTrue(r.problem().contains("was edited"), r.toString());
    }

    @Test
    void anEditWithARecomputedPlainHashIsStillDetected() throws IOException {
        // An editor without the HMAC key can only recompute a plain SHA-256, which does not match
        Path first = files().get(0);
        List<String> lines = new ArrayList<>(Files.readAllLines(first));
        ChainCodec.Line line = ChainCodec.parse(lines.get(1));
        String forgedBody = line.body().replace("\"t2\"", "\"tX\"");
        lines.set(1, new ChainCodec(null).seal(forgedBody).line());
        rewrite(first, lines);
        AuditChainVerifier.Result r = verify();
        assertFalse(r.intact());
        assertEquals(2, r.line());
    }

    @Test
    void aDeletionIsDetectedWhereTheGapIs() throws IOException {
        Path first = files().get(0);
        List<String> lines = new ArrayList<>(Files.readAllLines(first));
        lines.remove(1); // record 2
        rewrite(first, lines);
        AuditChainVerifier.Result r = verify();
        assertFalse(r.intact());
        assertEquals(2, r.line());
        assertTrue(r.problem().contains("expected record 2, found 3") && r.problem().contains("deleted"), r.toString());
    }

    @Test
    void reorderingIsDetected() throws IOException {
        Path first = files().get(0);
        List<String> lines = new ArrayList<>(Files.readAllLines(first));
        Collections.swap(lines, 0, 1);
        rewrite(first, lines);
        AuditChainVerifier.Result r = verify();
        assertFalse(r.intact());
        assertEquals(1, r.line());
        assertTrue(r.problem().contains("expected record 1, found 2"), r.toString());
    }

    @Test
    void truncationIsDetected() throws IOException {
        List<Path> files = files();
        Path last = files.get(files.size() - 1);
        List<String> lines = new ArrayList<>(Files.readAllLines(last));
        lines.remove(lines.size() - 1);
        rewrite(last, lines);
        AuditChainVerifier.Result r = verify();
        assertFalse(r.intact());
        assertTrue(r.problem().contains("truncated: the trail ends at record 9 but HEAD names record 10"), r.toString());
    }

    @Test
    void aDeletedSegmentIsDetected() throws IOException {
        Files.delete(files().get(1));
        AuditChainVerifier.Result r = verify();
        assertFalse(r.intact());
        assertTrue(r.problem().contains("missing (deleted)"), r.toString());
    }

    @Test
    void aTornLastLineIsDetected() throws IOException {
        List<Path> files = files();
        Path last = files.get(files.size() - 1);
        String content = Files.readString(last);
        Files.writeString(last, content.substring(0, content.length() - 20));
        AuditChainVerifier.Result r = verify();
        assertFalse(r.intact());
        assertTrue(r.problem().contains("not a complete record"), r.toString());
    }

    @Test
    void anEditedHeadIsDetected() throws IOException {
        Files.writeString(dir.resolve("HEAD"), "%020d".formatted(10) + " " + "0".repeat(64) + " " + "0".repeat(64) + "\n");
        assertTrue(verify().problem().contains("HEAD was edited"));
    }

    @Test
    void theWrongKeyFailsVerification() throws IOException {
        assertFalse(AuditChainVerifier.verify(dir, "other-key".getBytes(StandardCharsets.UTF_8)).intact());
    }

    @Test
    void aCrashLeavesItsTornLineVisibleAndTheChainGoesOnAfterIt() throws IOException {
        List<Path> files = files();
        Path last = files.get(files.size() - 1);
        String content = Files.readString(last);
        Files.writeString(last, content.substring(0, content.length() - 20)); // torn last record (10)
        try (AuditTrail trail = new AuditTrail(dir, 900, KEY)) {
            assertEquals(10, trail.append(AuditEvent.of("server.start", "ok", Map.of())), "continues after record 9");
        }
        assertTrue(Files.readString(last).endsWith(content.substring(content.length() - 40, content.length() - 20)),
                "the torn segment is left as it was");
        AuditChainVerifier.Result r = verify();
        assertFalse(r.intact(), "the crash is visible");
        assertEquals(last.getFileName().toString(), r.segment());
        assertTrue(r.problem().contains("not a complete record"), r.toString());
    }

    @Test
    void theChainContinuesAcrossRestarts() throws IOException {
        try (AuditTrail trail = new AuditTrail(dir, 900, KEY)) {
            assertEquals(11, trail.append(AuditEvent.of("server.start", "ok", Map.of())));
        }
        AuditChainVerifier.Result r = verify();
        assertTrue(r.intact(), r.toString());
        assertEquals(11, r.records());
    }
}
