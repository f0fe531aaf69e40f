package org.acme.mcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.acme.mcp.audit.AuditChainVerifier;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.OtlpReceiver;
import org.acme.mcp.support.StatelessHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The packaged prod server exports audit events over the OTLP wire protocol to a receiver this test runs on
 * loopback, and the test decodes the protobuf. Then the collector goes away: calls still succeed quickly and the
 * local trail stays complete.
 */
@QuarkusIntegrationTest
@TestProfile(OtlpExportIT.Profile.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = OtlpReceiver.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OtlpExportIT {

    static final String BASE = "http://localhost:8081";
    static final Path TRAIL = Path.of("target", "audit-otlp-it");
    static final String REPLICA = "otlp-replica-7";

    public static class Profile extends ProdLikeProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.remove("quarkus.otel.sdk.disabled");
            config.put("mcp.audit.trail.directory", TRAIL.toString());
            config.put("mcp.audit.trail.hmac-key", "it-key-0123456789abc");
            config.put("mcp.audit.replica-id", REPLICA);
            return config;
        }
    }

    static String call(String token, String session, String tool, int id) {
        return McpHttp.request(token).header("Mcp-Session-Id", session).header("MCP-Protocol-Version", McpHttp.PROTOCOL)
                .body("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                        + "\",\"arguments\":{}}}")
                .post(BASE + "/mcp").then().statusCode(200).extract().asString();
    }

    static String session(String token) {
        return McpHttp.request(token).body(McpHttp.initializeBody()).post(BASE + "/mcp").then().statusCode(200).extract()
                .header("Mcp-Session-Id");
    }

    static Map<String, String> attributes(List<KeyValue> kvs) {
        Map<String, String> map = new HashMap<>();
        kvs.forEach(kv -> map.put(kv.getKey(), kv.getValue().getStringValue()));
        return map;
    }

    @Test
    @Order(1) // before the collector goes away
    void spansNameTheRevisionAndOnlySessionsHaveASessionId() throws Exception {
        String token = Tokens.keycloak().subject("otlp-spans-" + UUID.randomUUID()).sign();
        call(token, session(token), "whoami", 7001);
        StatelessHttp.send(token, 7002, "tools/call", new io.vertx.core.json.JsonObject().put("name", "whoami")
                .put("arguments", new io.vertx.core.json.JsonObject())).then().statusCode(200);
        Map<String, Map<String, String>> byRequestId = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && !byRequestId.keySet().containsAll(Set.of("7001", "7002"))) {
            Thread.sleep(200);
            for (OtlpReceiver.Export export : OtlpReceiver.RECEIVED) {
                if (export.path().equals("/v1/traces")) {
                    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(export.body());
                    request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList()
                            .forEach(span -> {
                                Map<String, String> a = attributes(span.getAttributesList());
                                if ("tools/call".equals(a.get("mcp.method.name"))) {
                                    // the extension's spans name the id as an older convention did
                                    byRequestId.put(a.getOrDefault("jsonrpc.request.id", a.get("rpc.jsonrpc.request_id")),
                                            a);
                                }
                            })));
                }
            }
        }
        Map<String, String> session = byRequestId.get("7001");
        Map<String, String> stateless = byRequestId.get("7002");
        assertTrue(session != null && stateless != null, "spans: " + byRequestId);
        assertEquals("2025-11-25", session.get("mcp.protocol.version"), session.toString());
        assertTrue(session.containsKey("mcp.session.id"), session.toString());
        assertEquals("2026-07-28", stateless.get("mcp.protocol.version"), stateless.toString());
        assertTrue(!stateless.containsKey("mcp.session.id"), "a 2026-07-28 request has no session: " + stateless);
        assertEquals("whoami", stateless.get("gen_ai.tool.name"));
    }

    @Test
    @Order(2)
    void auditEventsCrossTheWireAndSurviveACollectorOutage() throws Exception {
        String subject = "otlp-" + UUID.randomUUID();
        String token = Tokens.keycloak().subject(subject).sign();
        String session = session(token);
        call(token, session, "whoami", 2);
        call(token, session, "end-user-sessions", 3); // hidden for this caller: a denial

        Set<String> events = new HashSet<>();
        Set<String> metrics = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && !(events.contains("audit.tool.call/ok/whoami")
                && events.contains("audit.tool.call/denied/end-user-sessions") && metrics.contains("audit.events")
                && metrics.contains("mcp.server.operation.duration"))) {
            Thread.sleep(200);
            for (OtlpReceiver.Export export : OtlpReceiver.RECEIVED) {
                if (export.path().equals("/v1/logs")) {
                    ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(export.body());
                    request.getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl -> {
                        String replica = attributes(rl.getResource().getAttributesList()).get("service.instance.id");
                        if (sl.getScope().getName().equals("org.acme.mcp.audit")) {
                            sl.getLogRecordsList().forEach(lr -> {
                                Map<String, String> a = attributes(lr.getAttributesList());
                                if (subject.equals(a.get("enduser.id")) && REPLICA.equals(replica)) {
                                    events.add(a.get("event.name") + "/" + a.get("audit.outcome") + "/"
                                            + a.getOrDefault("gen_ai.tool.name", ""));
                                }
                            });
                        }
                    }));
                } else if (export.path().equals("/v1/metrics")) {
                    ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(export.body());
                    request.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList()
                            .forEach(sm -> sm.getMetricsList().forEach(m -> metrics.add(m.getName()))));
                }
            }
        }
        assertTrue(events.contains("audit.tool.call/ok/whoami"), "decoded: " + events);
        assertTrue(events.contains("audit.tool.call/denied/end-user-sessions"), "decoded: " + events);
        assertTrue(metrics.containsAll(Set.of("audit.events", "mcp.server.operation.duration")), "metrics: " + metrics);

        // Collector down: calls keep working and nothing is missing from the local trail
        OtlpReceiver.shutdown();
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            call(token, session, "whoami", 10 + i);
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2_000, "a call waited for the collector");
        }
        Thread.sleep(500);
        // the chain is named by the replica id
        Map<String, AuditChainVerifier.Result> chains = AuditChainVerifier.verifyAll(TRAIL,
                "it-key-0123456789abc".getBytes(StandardCharsets.UTF_8));
        assertTrue(chains.containsKey(REPLICA) && chains.get(REPLICA).intact(), chains.toString());
        long whoamiCalls = 0;
        for (Path segment : Files.list(TRAIL.resolve(REPLICA)).filter(p -> p.toString().endsWith(".jsonl")).toList()) {
            whoamiCalls += Files.readAllLines(segment).stream()
                    .filter(l -> l.contains(subject) && l.contains("\"type\":\"tool.call\"") && l.contains("\"whoami\""))
                    .count();
        }
        assertEquals(6, whoamiCalls, "every call is in the trail, collector or not");
    }
}
