package org.acme.mcp.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.acme.mcp.support.AuditRecords;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.Processes;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Every tool call ends by its timeout (in-process and sandboxed), and the concurrency caps hold per caller and per
 * tool, refusing at once with a tool error; a tool that ignores interruption keeps its permit until it really ends.
 */
@QuarkusTest
@TestProfile(ConcurrencyAndTimeoutTest.Caps.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class ConcurrencyAndTimeoutTest {

    public static class Caps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("test.slow-tools", "on", "mcp.integrity.mode", "warn", "mcp.limits.tool-timeout", "2S",
                    "mcp.limits.max-concurrent-calls-per-caller", "1",
                    "mcp.limits.tools.sleepy.max-concurrent-calls", "2",
                    "mcp.limits.tools.\"sleepy-here\".own-thread", "false",
                    "mcp.limits.tools.\"stubborn-here\".own-thread", "false");
        }
    }

    static final ExecutorService CLIENTS = Executors.newFixedThreadPool(4);

    @Inject
    ConcurrencyLimits concurrency;

    @AfterAll
    static void stopClients() {
        CLIENTS.shutdownNow();
    }

    record Caller(String subject, String token, String session) {
        static Caller fresh() {
            String subject = "slow-" + UUID.randomUUID();
            String token = Tokens.keycloak().subject(subject).sign();
            return new Caller(subject, token, McpHttp.initialize(token));
        }

        JsonPath call(String tool, String args) {
            return McpHttp.call(token, session, "tools/call", "{\"name\":\"" + tool + "\",\"arguments\":" + args + "}",
                    ThreadLocalRandom.current().nextInt(1, 1_000_000)).then().statusCode(200).extract().jsonPath();
        }
    }

    static String text(JsonPath result) {
        return result.getString("result.content[0].text");
    }

    /** A call of a sleeping tool that would take 20 s: answered with the timeout error at the 2 s deadline, audited. */
    static void assertCutOffAtTheDeadline(Caller caller, String tool) {
        long start = System.nanoTime();
        JsonPath result = caller.call(tool, "{\"millis\":20000}");
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(result.getBoolean("result.isError"));
        assertEquals("Tool " + tool + " timed out after 2000 ms", text(result));
        assertTrue(tookMs >= 2000 && tookMs < 4000, "answered after " + tookMs + " ms");
        assertEquals(1, AuditRecords.of(caller.subject(), "tool.timeout").size());
    }

    @Test
    void anInProcessToolIsCutOffAtItsTimeout() {
        assertCutOffAtTheDeadline(Caller.fresh(), "sleepy");
    }

    @Test
    void onTheWorkerThreadAToolIsInterruptedAtItsTimeoutAndTheThreadIsLeftClean() {
        Caller caller = Caller.fresh();
        assertCutOffAtTheDeadline(caller, "sleepy-here");
        assertEquals(0, concurrency.running());
        // the interrupt went with the call: later calls on the (pooled) worker threads are not interrupted
        for (int i = 0; i < 20; i++) {
            assertEquals("slept", text(caller.call("sleepy-here", "{\"millis\":1}")));
        }
    }

    /** The price of own-thread=false: a tool that ignores interruption is answered when it ends, still as a timeout. */
    @Test
    void onTheWorkerThreadAToolThatIgnoresInterruptionGetsItsTimeoutErrorWhenItEnds() {
        Caller caller = Caller.fresh();
        long start = System.nanoTime();
        JsonPath result = caller.call("stubborn-here", "{\"millis\":3000}");
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals("Tool stubborn-here timed out after 2000 ms", text(result), "its late result is not delivered");
        assertTrue(tookMs >= 3000, "answered after " + tookMs + " ms");
        assertEquals(0, concurrency.running());
        assertEquals("done", text(caller.call("stubborn-here", "{\"millis\":10}")));
    }

    @Test
    void aSandboxedToolIsCutOffAndItsProgramKilled() throws Exception {
        Caller caller = Caller.fresh();
        String marker = String.valueOf(1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999));
        JsonPath result = caller.call("sandbox-sleep", "{\"marker\":\"" + marker + "\"}");
        assertEquals("Tool sandbox-sleep timed out after 2000 ms", text(result));
        Thread.sleep(500);
        assertEquals(List.of(), Processes.withMarker(marker), "sandboxed program still running");
    }

    /** The input guards run inside the timed call: a call that times out while they run never reaches its tool. */
    @Test
    void aCallThatTimesOutInItsInputGuardNeverRunsTheTool() throws Exception {
        Caller caller = Caller.fresh();
        int before = SlowTools.COUNTED.get();
        assertEquals("Tool counted timed out after 2000 ms", text(caller.call("counted", "{\"note\":\"slow-guard\"}")));
        Thread.sleep(1500); // the guard finishes meanwhile
        assertEquals(before, SlowTools.COUNTED.get(), "the tool ran after its caller was told it timed out");
        assertEquals(0, concurrency.running());
        assertEquals("run " + (before + 1), text(caller.call("counted", "{\"note\":\"fast\"}")));
    }

    @Test
    void aToolThatIgnoresInterruptionKeepsItsPermitUntilItEnds() throws Exception {
        Caller caller = Caller.fresh();
        JsonPath result = caller.call("stubborn", "{\"millis\":3500}");
        assertEquals("Tool stubborn timed out after 2000 ms", text(result));
        assertEquals(1, concurrency.running(), "the spinning call still counts");
        // and its caller (cap 1) cannot start another call meanwhile
        assertEquals("Too many calls running (caller limit): retry in a moment", text(caller.call("whoami", "{}")));
        Thread.sleep(2000);
        assertEquals(0, concurrency.running());
        assertEquals(Boolean.FALSE, caller.call("whoami", "{}").get("result.isError"));
    }

    @Test
    void oneCallerCannotRunMoreThanItsCapAndOthersAreUnaffected() throws Exception {
        Caller greedy = Caller.fresh();
        Caller other = Caller.fresh();
        Future<JsonPath> first = CLIENTS.submit(() -> greedy.call("sleepy", "{\"millis\":1200}"));
        Thread.sleep(400);
        JsonPath refused = greedy.call("whoami", "{}");
        assertTrue(refused.getBoolean("result.isError"));
        assertEquals("Too many calls running (caller limit): retry in a moment", text(refused));
        assertEquals(Boolean.FALSE, other.call("whoami", "{}").get("result.isError"));
        assertEquals("slept", text(first.get()));
        assertTrue(AuditRecords.of(greedy.subject(), "tool.call").stream().anyMatch(r -> "denied".equals(r.getString(
                "outcome")) && "concurrency limit: caller".equals(r.getJsonObject("attrs").getString("audit.reason"))));
    }

    @Test
    void aToolCapBoundsCallsOfThatToolAcrossCallers() throws Exception {
        List<Future<JsonPath>> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Caller caller = Caller.fresh();
            calls.add(CLIENTS.submit(() -> caller.call("sleepy", "{\"millis\":1200}")));
        }
        Thread.sleep(400);
        Caller third = Caller.fresh();
        assertEquals("Too many calls running (tool limit): retry in a moment",
                text(third.call("sleepy", "{\"millis\":1}")));
        assertEquals(Boolean.FALSE, third.call("whoami", "{}").get("result.isError"), "other tools still run");
        for (Future<JsonPath> call : calls) {
            assertEquals("slept", text(call.get()));
        }
        assertEquals("slept", text(third.call("sleepy", "{\"millis\":1}")));
    }
}
