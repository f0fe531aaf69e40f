package org.acme.mcp.roundtrip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.acme.mcp.conformance.FixturesProfile;
import org.acme.mcp.support.AuditRecords;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.StatelessHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * Attacks on the {@code requestState} of multi-round-trip requests, each against a destructive tool that counts what
 * it did ({@link AskFirstFeatures}): a changed, foreign-user, foreign-client, other-arguments, other-tool, expired or
 * replayed state is refused with -32602 and audited, and nothing runs; the genuine retry, made after all of them with the
 * same state, still works (a refused attempt does not use it up).
 */
@QuarkusTest
@TestProfile(FixturesProfile.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class RequestStateAttackTest {

    static final JsonObject ELICITATION = new JsonObject().put("elicitation", new JsonObject());
    static final JsonObject SURE = new JsonObject().put("confirm",
            new JsonObject().put("action", "accept").put("content", new JsonObject().put("sure", true)));

    @Inject
    RequestStateSeal seal;

    static String token(String subject, String client) {
        return Tokens.keycloak().subject(subject).claim("azp", client).scope("mcp.read").sign();
    }

    /** A 2026-07-28 tools/call whose client declares {@code capabilities}, with what a retry adds. */
    static Response call(String token, String tool, JsonObject arguments, JsonObject capabilities, JsonObject extra) {
        JsonObject params = new JsonObject().put("name", tool).put("arguments", arguments)
                .put("_meta", StatelessHttp.meta().put("io.modelcontextprotocol/clientCapabilities", capabilities));
        if (extra != null) {
            params.mergeIn(extra);
        }
        return StatelessHttp.send(token, 7, "tools/call", params);
    }

    static JsonObject retry(String state, JsonObject responses) {
        return new JsonObject().put("requestState", state).put("inputResponses", responses);
    }

    static JsonObject target(String target) {
        return new JsonObject().put("target", target);
    }

    /** The {@code input_required} result of a first call. */
    static JsonObject asked(String token, JsonObject arguments) {
        Response first = call(token, "confirm-delete", arguments, ELICITATION, null);
        assertEquals(200, first.statusCode(), first.asString());
        JsonObject result = new JsonObject(first.asString()).getJsonObject("result");
        assertEquals("input_required", result.getString("resultType"), result.encode());
        assertEquals("elicitation/create", result.getJsonObject("inputRequests").getJsonObject("confirm")
                .getString("method"));
        return result;
    }

    static void assertRefused(Response response, String what) {
        assertEquals(400, response.statusCode(), what + ": " + response.asString());
        JsonObject body = new JsonObject(response.asString());
        assertEquals(7, body.getValue("id"), what);
        assertEquals(-32602, body.getJsonObject("error").getInteger("code"), what + ": " + body);
    }

    @Test
    void everyForgedOrMisusedStateIsRefusedAuditedAndRunsNothingAndTheGenuineRetryStillWorks() {
        String subject = "rt-alice-" + UUID.randomUUID();
        String alice = token(subject, "client-a");
        String state = asked(alice, target("db-1")).getString("requestState");
        int before = AskFirstFeatures.DELETIONS.get();

        char[] flipped = state.toCharArray();
        int middle = flipped.length / 2;
        flipped[middle] = flipped[middle] == 'A' ? 'B' : 'A';
        assertRefused(call(alice, "confirm-delete", target("db-1"), ELICITATION, retry(new String(flipped), SURE)),
                "one character changed");
        assertRefused(call(alice, "confirm-delete", target("db-1"), ELICITATION, retry(state + "-TAMPERED", SURE)),
                "a suffix");
        String mallory = "rt-mallory-" + UUID.randomUUID();
        assertRefused(call(token(mallory, "client-a"), "confirm-delete", target("db-1"), ELICITATION,
                retry(state, SURE)), "another user");
        assertRefused(call(token(subject, "client-b"), "confirm-delete", target("db-1"), ELICITATION,
                retry(state, SURE)), "the same user through another client");
        assertRefused(call(alice, "confirm-delete", target("db-2"), ELICITATION, retry(state, SURE)),
                "other arguments");
        assertRefused(call(alice, "test_input_required_result_tampered_state", new JsonObject(), ELICITATION,
                retry(state, SURE)), "another tool");
        assertRefused(call(alice, "confirm-delete", target("db-1"), ELICITATION,
                retry(state, new JsonObject().put("confirm", new JsonObject().put("action", "maybe")))),
                "an answer of the wrong shape");
        JsonObject payload = seal.open(state).orElseThrow();
        String expired = seal.seal(payload.put("exp", System.currentTimeMillis() - 1));
        assertRefused(call(alice, "confirm-delete", target("db-1"), ELICITATION, retry(expired, SURE)), "expired");
        assertEquals(before, AskFirstFeatures.DELETIONS.get(), "a refused retry ran the tool");

        Response genuine = call(alice, "confirm-delete", target("db-1"), ELICITATION, retry(state, SURE));
        assertEquals(200, genuine.statusCode(), genuine.asString());
        JsonObject result = new JsonObject(genuine.asString()).getJsonObject("result");
        assertEquals("complete", result.getString("resultType"));
        assertEquals("deleted db-1", result.getJsonArray("content").getJsonObject(0).getString("text"));
        assertEquals(before + 1, AskFirstFeatures.DELETIONS.get());

        assertRefused(call(alice, "confirm-delete", target("db-1"), ELICITATION, retry(state, SURE)), "replayed");
        assertEquals(before + 1, AskFirstFeatures.DELETIONS.get(), "a replayed state ran the tool again");

        List<String> reasons = AuditRecords.atLeast(6, subject, "request.state").stream()
                .peek(r -> assertEquals("denied", r.getString("outcome")))
                .map(r -> r.getJsonObject("attrs").getString("audit.reason")).toList();
        assertTrue(reasons.containsAll(List.of("requestState not sealed by this server, or changed",
                "requestState issued to another client", "requestState issued for other arguments",
                "requestState issued for another feature", "requestState expired",
                "requestState used already (replayed)")), reasons.toString());
        assertEquals("requestState issued to another caller", AuditRecords.first(mallory, "request.state")
                .getJsonObject("attrs").getString("audit.reason"));
        assertEquals("input_required", AuditRecords.first(subject, "tool.call").getString("outcome"));
    }

    @Test
    void aDeclinedConfirmationRunsNothingAndAClientThatCannotBeAskedGetsMissingCapability() {
        String alice = token("rt-decliner-" + UUID.randomUUID(), "client-a");
        int before = AskFirstFeatures.DELETIONS.get();
        String state = asked(alice, target("db-3")).getString("requestState");
        Response declined = call(alice, "confirm-delete", target("db-3"), ELICITATION, retry(state,
                new JsonObject().put("confirm", new JsonObject().put("action", "decline"))));
        assertEquals("not deleted: decline", new JsonObject(declined.asString()).getJsonObject("result")
                .getJsonArray("content").getJsonObject(0).getString("text"));

        Response cannot = call(alice, "confirm-delete", target("db-3"), new JsonObject().put("sampling",
                new JsonObject()), null);
        assertEquals(400, cannot.statusCode(), cannot.asString());
        JsonObject error = new JsonObject(cannot.asString()).getJsonObject("error");
        assertEquals(-32021, error.getInteger("code"));
        assertEquals(new JsonObject().put("elicitation", new JsonObject().put("form", new JsonObject())),
                error.getJsonObject("data").getJsonObject("requiredCapabilities"));
        assertEquals(before, AskFirstFeatures.DELETIONS.get());
    }

    @Test
    void aResourceAsksToo() {
        String alice = token("rt-reader-" + UUID.randomUUID(), "client-a");
        JsonObject read = new JsonObject().put("uri", "test://ask-first/logs")
                .put("_meta", StatelessHttp.meta().put("io.modelcontextprotocol/clientCapabilities", ELICITATION));
        JsonObject first = new JsonObject(StatelessHttp.send(alice, 1, "resources/read", read).asString())
                .getJsonObject("result");
        assertEquals("input_required", first.getString("resultType"), first.encode());
        assertTrue(!first.containsKey("ttlMs"), "an input_required answer must not be cached");
        JsonObject second = new JsonObject(StatelessHttp.send(alice, 2, "resources/read", read.copy()
                .mergeIn(retry(first.getString("requestState"), new JsonObject().put("why", new JsonObject()
                        .put("action", "accept").put("content", new JsonObject().put("reason", "audit"))))))
                .asString())
                .getJsonObject("result");
        assertEquals("logs read because audit", second.getJsonArray("contents").getJsonObject(0).getString("text"));
    }

    @Test
    void aSessionCallerIsToldToUse20260728AndNothingRuns() {
        String alice = token("rt-legacy-" + UUID.randomUUID(), "client-a");
        int before = AskFirstFeatures.DELETIONS.get();
        String session = McpHttp.initialize(alice);
        JsonObject answer = new JsonObject(McpHttp.call(alice, session, "tools/call",
                "{\"name\":\"confirm-delete\",\"arguments\":{\"target\":\"db-4\"}}", 3).asString());
        JsonObject error = answer.getJsonObject("error");
        assertEquals(-32600, error.getInteger("code"), answer.encode());
        assertTrue(error.getString("message").contains("MCP-Protocol-Version: 2026-07-28"), error.encode());
        assertEquals(before, AskFirstFeatures.DELETIONS.get());
    }
}
