package org.acme.mcp.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;

import org.acme.mcp.incident.IncidentState.Entry;
import org.acme.mcp.incident.IncidentState.Kind;
import org.acme.mcp.incident.IncidentStateFile.IncidentStateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kill switch's state survives a restart, is written atomically with owner-only permissions, and a file that
 * cannot be trusted stops the start instead of silently lifting blocks.
 */
class IncidentStateFileTest {

    @TempDir
    Path dir;

    private static final Entry ENTRY = new Entry("https://idp.example subject-admin", "INC-1 stolen token",
            Instant.parse("2026-01-02T03:04:05Z"));

    private KillSwitch start(Path file) {
        return new KillSwitch(new IncidentStateFile(file), Set.of(), Set.of());
    }

    @Test
    void changesSurviveARestart() {
        Path file = dir.resolve("state.json");
        KillSwitch first = start(file);
        assertTrue(first.set(Kind.TOOL, "text-stats", ENTRY).persisted());
        assertTrue(first.set(Kind.SUBJECT, "compromised", ENTRY).persisted());
        assertTrue(first.set(Kind.CLIENT, "leaky-cli", ENTRY).persisted());
        assertTrue(first.set(Kind.CLIENT, "leaky-cli", null).persisted());

        KillSwitch restarted = start(file);
        assertTrue(restarted.disabled("text-stats"));
        assertFalse(restarted.disabled("whoami"));
        assertEquals(ENTRY, restarted.state().blockedSubjects().get("compromised"));
        assertTrue(restarted.state().blockedClients().isEmpty(), "the release survived too");
        assertEquals(first.state(), restarted.state());
    }

    @Test
    void theFileIsOwnerOnlyAndNoTemporaryFileIsLeft() throws IOException {
        Path file = dir.resolve("state.json");
        start(file).set(Kind.TOOL, "text-stats", ENTRY);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(java.util.List.of(file), files.toList());
        }
    }

    @Test
    void aFailedWriteKeepsTheOldFileIntactAndIsReportedAsNotPersisted() throws IOException {
        Path file = dir.resolve("state.json");
        KillSwitch killSwitch = start(file);
        killSwitch.set(Kind.SUBJECT, "first", ENTRY);
        String before = Files.readString(file);
        // make the rename fail: the state file's name is taken by a non-empty directory
        Path moved = dir.resolve("aside.json");
        Files.move(file, moved);
        Files.createDirectories(file.resolve("occupied"));

        KillSwitch.Outcome outcome = killSwitch.set(Kind.SUBJECT, "second", ENTRY);
        assertTrue(outcome.changed());
        assertFalse(outcome.persisted());
        assertTrue(outcome.persistenceError() != null && !outcome.persistenceError().isBlank());
        assertTrue(killSwitch.state().blockedSubjects().containsKey("second"), "applied in memory all the same");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Set.of(file, moved), Set.copyOf(files.toList()), "no temporary file left behind");
        }
        assertEquals(before, Files.readString(moved));

        // once the file system is fixed, repeating the call writes the state
        Files.delete(file.resolve("occupied"));
        Files.delete(file);
        KillSwitch.Outcome repeated = killSwitch.set(Kind.SUBJECT, "second", ENTRY);
        assertFalse(repeated.changed());
        assertTrue(repeated.persisted());
        assertTrue(start(file).state().blockedSubjects().keySet().containsAll(Set.of("first", "second")));
    }

    @Test
    void aMissingFileMeansNothingBlocked() {
        KillSwitch killSwitch = start(dir.resolve("new").resolve("state.json"));
        assertEquals(IncidentState.EMPTY, killSwitch.state());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "not json",
            "[]",
            "{\"disabledTools\":{}}",
            "{\"version\":2,\"disabledTools\":{}}",
            "{\"version\":1,\"disabledTools\":[]}",
            "{\"version\":1,\"blockedSubjects\":{\"x\":\"INC\"}}",
            "{\"version\":1,\"blockedSubjects\":{\"x\":{\"by\":\"a\",\"reason\":\"r\"}}}",
            "{\"version\":1,\"blockedSubjects\":{\"x\":{\"by\":\"a\",\"reason\":\"r\",\"since\":\"yesterday\"}}}",
            "{\"version\":1,\"blockedSubjects\":{\"x\":{\"by\":\"a\",\"reason\":42,\"since\":\"2026-01-01T00:00:00Z\"}}}",
            "{\"version\":1,\"blockedSubjects\":{\"two words\":{\"by\":\"a\",\"reason\":\"r\",\"since\":\"2026-01-01T00:00:00Z\"}}}",
            "{\"version\":1,\"blockedUsers\":{}}",
            "{\"version\":1,\"disabledTools\":null}",
            "{\"version\":1,\"blockedSubjects\":{\"x\":null}}",
            "{\"version\":1,\"blockedClients\":{\"c\":{\"by\":\"a\",\"reason\":\"r\",\"since\":\"2026-01-01T00:00:00Z\"}}",
    })
    void aCorruptFileStopsTheStart(String content) throws IOException {
        Path file = dir.resolve("state.json");
        Files.writeString(file, content);
        IncidentStateException e = assertThrows(IncidentStateException.class, () -> start(file));
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()) && e.getMessage().contains("Refusing to start"),
                e.getMessage());
    }

    @Test
    void anUnreadableFileStopsTheStart() throws IOException {
        Path file = dir.resolve("state.json");
        Files.createDirectories(file); // exists, cannot be read as a file (root ignores mode bits, so no chmod here)
        IncidentStateException e = assertThrows(IncidentStateException.class, () -> start(file));
        assertTrue(e.getMessage().contains("cannot be read"), e.getMessage());
    }

    @Test
    void aDirectoryThatCannotBeCreatedStopsTheStart() throws IOException {
        Path notADirectory = dir.resolve("plain-file");
        Files.writeString(notADirectory, "x");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> start(notADirectory.resolve("state.json")));
        assertTrue(e.getMessage().contains("MCP_INCIDENT_STATE_FILE"), e.getMessage());
    }

    @Test
    void aValidFileIsReadBack() throws IOException {
        Path file = dir.resolve("state.json");
        Files.writeString(file,
                """
                        {"version":1,"disabledTools":{"sort-lines":{"by":"iss admin","reason":"INC-2","since":"2026-01-01T00:00:00Z"}}}""");
        KillSwitch killSwitch = start(file);
        assertTrue(killSwitch.disabled("sort-lines"));
        assertEquals("INC-2", killSwitch.state().disabledTools().get("sort-lines").reason());
    }
}
