package org.acme.mcp.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

import org.acme.mcp.support.AuditRecords;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Who called what, with which token, what was decided, what happened: each event kind lands in the local trail,
 * the chain verifies, and no token or sensitive argument is in it.
 */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class AuditTrailIntegrationTest {

    static List<JsonObject> records() {
        return AuditRecords.all();
    }

    static List<JsonObject> of(List<JsonObject> records, String subject, String type) {
        return records.stream().filter(r -> type.equals(r.getString("type"))
                && subject.equals(r.getJsonObject("attrs").getString("enduser.id"))).toList();
    }

    @Test
    void everyDecisionIsRecordedAndTheChainVerifies() throws IOException {
        String subject = "audit-" + UUID.randomUUID();
        String token = Tokens.keycloak().subject(subject).roles("mcp-reader").scope("mcp.read").sign();
        String session = McpHttp.initialize(token);
        McpHttp.call(token, session, "tools/call", "{\"name\":\"whoami\",\"arguments\":{}}", 2).then().statusCode(200);
        McpHttp.call(token, session, "tools/call", "{\"name\":\"sort-lines\",\"arguments\":{\"text\":\"b\\na\"}}", 3)
                .then().statusCode(200);
        // an argument the tool does not declare is refused, and recorded like any call: its value redacted by its name
        McpHttp.call(token, session, "tools/call",
                "{\"name\":\"time-in-zone\",\"arguments\":{\"zone\":\"UTC\",\"password\":\"hunter2-" + subject + "\"}}", 9)
                .then().statusCode(200);
        McpHttp.call(token, session, "tools/call",
                "{\"name\":\"end-user-sessions\",\"arguments\":{\"subject\":\"x\"}}", 4).then().statusCode(200);
        String scopeless = Tokens.keycloak().subject(subject).roles("mcp-reader").scope("openid").sign();
        McpHttp.call(scopeless, McpHttp.initialize(scopeless), "tools/call",
                "{\"name\":\"text-stats\",\"arguments\":{\"text\":\"a\"}}", 5).then().statusCode(403);
        String intruder = Tokens.keycloak().subject("intruder-" + subject).sign();
        McpHttp.call(intruder, session, "tools/list", "{}", 6).then().statusCode(404);
        String forged = Tokens.keycloak().subject(subject)
                .signedWith(TestIssuer.ATTACKER, AlgorithmIdentifiers.RSA_USING_SHA256)
                .sign();
        McpHttp.request(forged).body(McpHttp.initializeBody()).post("/mcp").then().statusCode(401);
        McpHttp.request(token).header("Origin", "https://evil.example").body(McpHttp.initializeBody()).post("/mcp").then()
                .statusCode(403);
        McpHttp.call(token, session, "tools/list", "{}", 7).then().statusCode(200);
        McpHttp.request(token).header("Mcp-Session-Id", session).body("{\"x\":\"" + "a".repeat(1_100_000) + "\"}")
                .post("/mcp").then().statusCode(413);
        McpHttp.request(token).header("Mcp-Session-Id", session)
                .body("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\",\"params\":" + "[".repeat(80) + "]".repeat(80) + "}")
                .post("/mcp").then().statusCode(400);

        List<JsonObject> records = records();
        assertEquals(2, of(records, subject, "session.created").size(), "two sessions created");
        JsonObject whoami = of(records, subject, "tool.call").stream()
                .filter(r -> "whoami".equals(r.getJsonObject("attrs").getString("gen_ai.tool.name"))).findFirst().orElseThrow();
        assertEquals("ok", whoami.getString("outcome"));
        assertEquals(64, whoami.getJsonObject("attrs").getString("audit.arguments.sha256").length());
        assertEquals(TestIssuer.issuer(), whoami.getJsonObject("attrs").getString("enduser.issuer"));
        assertEquals("mcp-test-cli", whoami.getJsonObject("attrs").getString("client.id"));

        JsonObject sorted = of(records, subject, "tool.call").stream()
                .filter(r -> "sort-lines".equals(r.getJsonObject("attrs").getString("gen_ai.tool.name"))).findFirst()
                .orElseThrow();
        assertEquals("ok", sorted.getString("outcome"), sorted.encode());
        List<JsonObject> runs = of(records, subject, "sandbox.run"); // the program's run names the tool's caller
        assertEquals(List.of("ok"), runs.stream().map(r -> r.getString("outcome")).toList(), records.toString());
        JsonObject withPassword = of(records, subject, "tool.call").stream()
                .filter(r -> "tool_error".equals(r.getString("outcome"))).findFirst().orElseThrow();
        assertTrue(withPassword.getJsonObject("attrs").getString("audit.arguments.preview")
                .contains("\"password\":\"[redacted]\""), withPassword.encode());

        List<String> denials = of(records, subject, "tool.call").stream().filter(r -> "denied".equals(r.getString("outcome")))
                .map(r -> r.getJsonObject("attrs").getString("audit.reason")).toList();
        assertTrue(denials.containsAll(List.of("unknown tool or not permitted", "insufficient_scope",
                "undeclared argument")), denials.toString());
        assertEquals(1, of(records, "intruder-" + subject, "session.rejected").size(), "hijack attempt recorded");
        assertEquals("sort-lines,text-stats,time-in-zone,whoami",
                of(records, subject, "tools.list").get(0).getJsonObject("attrs").getString("audit.tools.listed"),
                "what the listing showed");
        assertTrue(records.stream().anyMatch(r -> "security.transport".equals(r.getString("type"))
                && "request body too large".equals(r.getJsonObject("attrs").getString("audit.reason"))), "oversized body");
        assertTrue(records.stream().anyMatch(r -> "security.input".equals(r.getString("type"))
                && "JSON nested too deeply".equals(r.getJsonObject("attrs").getString("audit.reason"))));
        assertTrue(records.stream().anyMatch(r -> "auth.failure".equals(r.getString("type"))
                && "token refused by the validator".equals(r.getJsonObject("attrs").getString("audit.reason"))));
        assertTrue(records.stream().anyMatch(r -> "security.transport".equals(r.getString("type"))
                && "https://evil.example".equals(r.getJsonObject("attrs").getString("http.request.header.origin"))));

        String all = String.join("\n", records.stream().map(JsonObject::encode).toList());
        for (String t : List.of(token, scopeless, intruder, forged)) {
            assertFalse(all.contains(t.split("\\.")[2]), "a token signature is in the trail");
        }
        assertFalse(all.contains("hunter2-" + subject), "a sensitive argument is in the trail");
        assertFalse(all.contains("eyJ"), "something token-shaped is in the trail");

        AuditChainVerifier.Result verdict = AuditChainVerifier.verify(AuditRecords.trail(), AuditRecords.key());
        assertTrue(verdict.intact(), verdict.toString());
    }

    @Test
    void theArgumentsDigestIsOfTheBytesTheClientSent() {
        String subject = "digest-" + UUID.randomUUID();
        String token = Tokens.keycloak().subject(subject).roles("mcp-reader").scope("mcp.read").sign();
        String session = McpHttp.initialize(token);
        // spaces, an escape and a non-ASCII letter: re-encoding the parsed arguments would spell them otherwise
        String sent = "{ \"zone\" :  \"Europe/Z\\u00fcrich-é\" }";
        McpHttp.call(token, session, "tools/call", "{\"name\":\"time-in-zone\",\"arguments\":" + sent + "}", 2)
                .then().statusCode(200);

        JsonObject call = AuditRecords.first(subject, "tool.call");
        assertEquals(Redaction.sha256(sent), call.getJsonObject("attrs").getString("audit.arguments.sha256"), call.encode());
        assertFalse(Redaction.sha256(new JsonObject(sent).encode()).equals(Redaction.sha256(sent)));
    }
}
