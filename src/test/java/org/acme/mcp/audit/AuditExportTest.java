package org.acme.mcp.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.acme.mcp.api.SandboxException;
import org.acme.mcp.sandbox.SandboxExecutor;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Audit events leave as OpenTelemetry log records, one per kind, with the caller and without any token. */
@QuarkusTest
@TestProfile(AuditExportTest.TelemetryOn.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class AuditExportTest {

    public static class TelemetryOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.bsp.schedule.delay", "50ms",
                    "quarkus.otel.blrp.schedule.delay", "50ms");
        }
    }

    @Inject
    InMemoryLogRecordExporter logs;

    @Inject
    SandboxExecutor sandbox;

    @Inject
    InMemorySpanExporter spans;

    List<LogRecordData> auditRecords() {
        return logs.getFinishedLogRecordItems().stream()
                .filter(r -> r.getInstrumentationScopeInfo().getName().equals(AuditLog.SCOPE)).toList();
    }

    @Test
    void everyKindIsExported() throws Exception {
        String subject = "otel-" + UUID.randomUUID();
        String token = Tokens.keycloak().subject(subject).roles("mcp-reader").scope("mcp.read").sign();
        String session = McpHttp.initialize(token);
        McpHttp.call(token, session, "tools/call", "{\"name\":\"sort-lines\",\"arguments\":{\"text\":\"b\\na\"}}", 2);
        McpHttp.call(token, session, "tools/call", "{\"name\":\"end-user-sessions\",\"arguments\":{\"subject\":\"x\"}}", 3);
        McpHttp.call(token, session, "tools/list", "{}", 4);
        McpHttp.call(Tokens.keycloak().subject("intruder").sign(), session, "tools/list", "{}", 5);
        McpHttp.request(Tokens.keycloak().signedWith(TestIssuer.ATTACKER, AlgorithmIdentifiers.RSA_USING_SHA256).sign())
                .body(McpHttp.initializeBody()).post("/mcp");
        McpHttp.request(token).header("Origin", "https://evil.example").body(McpHttp.initializeBody()).post("/mcp");
        assertThrows(SandboxException.class, () -> sandbox.run("hostile", List.of("/usr/bin/yes"), "")); // refused
        sandbox.run("hostile", List.of("/usr/bin/bash", "-c", "while :; do :; done"), ""); // killed by the CPU limit

        Set<String> expected = Set.of("audit.auth.success", "audit.auth.failure", "audit.session.created",
                "audit.session.rejected", "audit.tool.call", "audit.tools.list", "audit.sandbox.run",
                "audit.security.transport");
        Set<String> seen = Set.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && !(seen = names()).containsAll(expected)) {
            Thread.sleep(100);
        }
        assertTrue(seen.containsAll(expected), "exported: " + seen);

        List<LogRecordData> denied = auditRecords().stream()
                .filter(r -> "audit.tool.call".equals(r.getAttributes().get(AttributeKey.stringKey("event.name")))
                        && subject.equals(r.getAttributes().get(AttributeKey.stringKey("enduser.id")))
                        && "denied".equals(r.getAttributes().get(AttributeKey.stringKey("audit.outcome"))))
                .toList();
        assertFalse(denied.isEmpty(), "the denial is exported with its caller");
        Set<String> sandboxOutcomes = sandboxOutcomes();
        while (System.nanoTime() < deadline && sandboxOutcomes.stream().noneMatch(o -> o.startsWith("error/"))) {
            Thread.sleep(100);
            sandboxOutcomes = sandboxOutcomes();
        }
        assertTrue(sandboxOutcomes.contains("denied/null"), "refused program: " + sandboxOutcomes);
        assertTrue(sandboxOutcomes.stream().anyMatch(o -> o.matches("error/1[3-5][0-9]")), "killed run: " + sandboxOutcomes);
        List<SpanData> toolSpans = List.of();
        while (System.nanoTime() < deadline && (toolSpans = spans.getFinishedSpanItems().stream()
                .filter(s -> "sort-lines".equals(s.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name"))))
                .toList()).isEmpty()) {
            Thread.sleep(100);
        }
        assertFalse(toolSpans.isEmpty(), "a span for the tool call: " + spans.getFinishedSpanItems());
        assertEquals("tools/call", toolSpans.get(0).getAttributes().get(AttributeKey.stringKey("mcp.method.name")));

        // trail records name the trace that was active when they were written
        assertTrue(AuditTrailIntegrationTest.records().stream().anyMatch(r -> "tool.call".equals(r.getString("type"))
                && subject.equals(r.getJsonObject("attrs").getString("enduser.id"))
                && r.getJsonObject("attrs").getString("trace_id", "").matches("[0-9a-f]{32}")), "trace ids in the trail");

        String everything = auditRecords().stream().map(r -> r.getAttributes().toString() + r.getBodyValue())
                .collect(Collectors.joining("\n"));
        assertFalse(everything.contains(token.split("\\.")[2]), "a token signature was exported");
        assertFalse(everything.contains("eyJ"), "something token-shaped was exported");
    }

    @Test
    void tokensInTheQueryStringAreNotExportedInSpans() throws Exception {
        String token = Tokens.keycloak().subject("query-" + UUID.randomUUID()).sign();
        String marker = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        McpHttp.request(token).queryParam(marker, "1").queryParam("access_token", token)
                .body(McpHttp.initializeBody()).post("/mcp").then().statusCode(400);
        McpHttp.request(null).urlEncodingEnabled(false).get("/mcp?" + marker + "&" + token).then().statusCode(401);

        List<SpanData> marked = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && (marked = spans.getFinishedSpanItems().stream()
                .filter(s -> String.valueOf(s.getAttributes().get(AttributeKey.stringKey("url.query"))).contains(marker))
                .toList()).size() < 2) {
            Thread.sleep(100);
        }
        assertEquals(2, marked.size(), "both requests have a span with their query: " + spans.getFinishedSpanItems());
        assertEquals(marker + "=REDACTED&access_token=REDACTED",
                marked.stream().map(s -> s.getAttributes().get(AttributeKey.stringKey("url.query")))
                        .filter(q -> q.contains("access_token")).findFirst().orElseThrow());
        String everything = spans.getFinishedSpanItems().stream().map(s -> s.getName() + s.getAttributes())
                .collect(Collectors.joining("\n"));
        assertFalse(everything.contains(token.split("\\.")[2]), "a token signature was exported in a span");
        assertFalse(everything.contains("eyJ"), "something token-shaped was exported in a span");
    }

    Set<String> sandboxOutcomes() {
        return auditRecords().stream()
                .filter(r -> "audit.sandbox.run".equals(r.getAttributes().get(AttributeKey.stringKey("event.name"))))
                .map(r -> r.getAttributes().get(AttributeKey.stringKey("audit.outcome")) + "/"
                        + r.getAttributes().get(AttributeKey.stringKey("process.exit.code")))
                .collect(Collectors.toSet());
    }

    Set<String> names() {
        return auditRecords().stream().map(r -> r.getAttributes().get(AttributeKey.stringKey("event.name")))
                .collect(Collectors.toSet());
    }
}
