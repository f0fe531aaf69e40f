package org.acme.mcp.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.acme.mcp.conformance.FixturesProfile;
import org.acme.mcp.fleet.ExpiringValues;
import org.acme.mcp.roundtrip.AskFirstFeatures;
import org.acme.mcp.roundtrip.RequestStateSeal;
import org.acme.mcp.support.AuditRecords;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.StatelessHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * The approval gate on the MCP endpoint, with the person's decision taken directly in {@link Approvals} (the page and
 * its sign-in are driven in a real browser by {@code ApprovalBrowserIT}): a tool that needs approval answers
 * {@code input_required} with a link to the page and runs only on the retry after an approval, once; pending is asked
 * again, denied is answered so; the approval of one user is useless to another; a client that cannot open a URL gets
 * -32021; a 2025-11-25 caller is told to use 2026-07-28; the page itself starts the code flow with PKCE and takes no
 * bearer token.
 */
@QuarkusTest
@TestProfile(FixturesProfile.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class ApprovalGateTest {

    static final JsonObject URL_ELICITATION = new JsonObject().put("elicitation",
            new JsonObject().put("url", new JsonObject()));
    static final JsonObject ACCEPTED = new JsonObject().put("approval", new JsonObject().put("action", "accept"));

    @Inject
    Approvals approvals;
    @Inject
    RequestStateSeal seal;
    @Inject
    ExpiringValues values;

    static String token(String subject) {
        return Tokens.keycloak().subject(subject).claim("azp", "client-a").scope("mcp.read").sign();
    }

    static Response call(String token, String target, JsonObject capabilities, String state) {
        JsonObject params = new JsonObject().put("name", "delete-forever")
                .put("arguments", new JsonObject().put("target", target))
                .put("_meta", StatelessHttp.meta().put("io.modelcontextprotocol/clientCapabilities", capabilities));
        if (state != null) {
            params.put("requestState", state).put("inputResponses", ACCEPTED);
        }
        return StatelessHttp.send(token, 9, "tools/call", params);
    }

    static JsonObject result(Response response) {
        assertEquals(200, response.statusCode(), response.asString());
        return new JsonObject(response.asString()).getJsonObject("result");
    }

    /** The approval id in the page URL of an {@code input_required} answer. */
    static String approvalId(JsonObject asked) {
        assertEquals("input_required", asked.getString("resultType"), asked.encode());
        JsonObject request = asked.getJsonObject("inputRequests").getJsonObject("approval");
        assertEquals("elicitation/create", request.getString("method"));
        assertEquals("url", request.getJsonObject("params").getString("mode"));
        String url = request.getJsonObject("params").getString("url");
        assertTrue(url.startsWith("http://localhost:8081/approvals/"), url);
        return url.substring(url.lastIndexOf('/') + 1);
    }

    Approval approval(String id) throws Exception {
        return approvals.find(id).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    void decide(String id, Approval.Status decision) throws Exception {
        assertTrue(approvals.decide(approval(id), decision).toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS));
    }

    @Test
    void theToolRunsOnlyAfterItsCallerApprovedItAndOnlyOnce() throws Exception {
        String subject = "approver-" + UUID.randomUUID();
        String alice = token(subject);
        int before = AskFirstFeatures.DELETIONS.get();
        JsonObject asked = result(call(alice, "db-1", URL_ELICITATION, null));
        String id = approvalId(asked);
        Approval opened = approval(id);
        assertEquals(subject, opened.subject());
        assertEquals("delete-forever", opened.tool());
        assertTrue(opened.arguments().contains("db-1"), opened.arguments());

        JsonObject pending = result(call(alice, "db-1", URL_ELICITATION, asked.getString("requestState")));
        assertEquals(id, approvalId(pending), "a retry before the decision is asked again, for the same approval");
        assertEquals(before, AskFirstFeatures.DELETIONS.get());

        String mallory = token("mallory-" + UUID.randomUUID());
        Response foreign = call(mallory, "db-1", URL_ELICITATION, pending.getString("requestState"));
        assertEquals(400, foreign.statusCode(), "another user's retry: " + foreign.asString());

        decide(id, Approval.Status.APPROVED);
        Response otherArguments = call(alice, "db-2", URL_ELICITATION, pending.getString("requestState"));
        assertEquals(400, otherArguments.statusCode(), "an approval of db-1 ran for db-2: " + otherArguments.asString());
        String approvedState = pending.getString("requestState");
        JsonObject done = result(call(alice, "db-1", URL_ELICITATION, approvedState));
        assertEquals("complete", done.getString("resultType"));
        assertEquals("deleted forever db-1", done.getJsonArray("content").getJsonObject(0).getString("text"));
        assertEquals(before + 1, AskFirstFeatures.DELETIONS.get());

        // the same approval once more, under a state that is otherwise valid (sealed anew with another id): only the
        // approval's own single use stops it
        String twin = seal.seal(seal.open(approvedState).orElseThrow().put("id", UUID.randomUUID().toString()));
        Response again = call(alice, "db-1", URL_ELICITATION, twin);
        assertEquals(400, again.statusCode(), "a used approval ran the tool again: " + again.asString());
        assertEquals(before + 1, AskFirstFeatures.DELETIONS.get());
        assertTrue(AuditRecords.of(subject, "approval").stream().anyMatch(r -> "ok".equals(r.getString("outcome"))));
    }

    @Test
    void anExpiredApprovalIsRefusedEvenIfApproved() throws Exception {
        String alice = token("late-" + UUID.randomUUID());
        int before = AskFirstFeatures.DELETIONS.get();
        JsonObject asked = result(call(alice, "db-5", URL_ELICITATION, null));
        String id = approvalId(asked);
        decide(id, Approval.Status.APPROVED);
        Approval approved = approval(id);
        Approval expired = new Approval(approved.id(), approved.issuer(), approved.subject(), approved.client(),
                approved.tool(), approved.digest(), approved.arguments(), approved.createdAtMillis(),
                System.currentTimeMillis() - 1, approved.status(), approved.decidedAtMillis());
        values.put("approval:" + id, expired.encode(), Duration.ofMinutes(1)).toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        Response late = call(alice, "db-5", URL_ELICITATION, asked.getString("requestState"));
        assertEquals(400, late.statusCode(), "an expired approval ran the tool: " + late.asString());
        assertEquals(before, AskFirstFeatures.DELETIONS.get());
    }

    @Test
    void thePageGetsTheArgumentsWholeOrTheCallCannotBeApproved() throws Exception {
        String alice = token("reader-" + UUID.randomUUID());
        String hiddenTail = "x".repeat(200) + "; DROP TABLE users \u202E";
        Approval opened = approval(approvalId(result(call(alice, hiddenTail, URL_ELICITATION, null))));
        assertTrue(opened.arguments().contains("DROP TABLE users \\u202E"), "what runs must be what is shown: "
                + opened.arguments());
        Response tooLong = call(alice, "y".repeat(20_000), URL_ELICITATION, null);
        assertEquals(400, tooLong.statusCode(), tooLong.asString());
        assertEquals(-32602, new JsonObject(tooLong.asString()).getJsonObject("error").getInteger("code"));
    }

    @Test
    void aDeniedCallNeverRuns() throws Exception {
        String alice = token("denier-" + UUID.randomUUID());
        int before = AskFirstFeatures.DELETIONS.get();
        JsonObject asked = result(call(alice, "db-3", URL_ELICITATION, null));
        decide(approvalId(asked), Approval.Status.DENIED);
        JsonObject denied = result(call(alice, "db-3", URL_ELICITATION, asked.getString("requestState")));
        assertEquals(true, denied.getBoolean("isError"), denied.encode());
        assertTrue(denied.getJsonArray("content").getJsonObject(0).getString("text").contains("denied"));
        assertEquals(before, AskFirstFeatures.DELETIONS.get());
    }

    @Test
    void aClientThatCannotOpenAPageGetsMissingCapabilityAndA20251125CallerIsToldTheRevision() {
        String alice = token("no-url-" + UUID.randomUUID());
        int before = AskFirstFeatures.DELETIONS.get();
        Response formOnly = call(alice, "db-4", new JsonObject().put("elicitation", new JsonObject()), null);
        assertEquals(400, formOnly.statusCode(), formOnly.asString());
        JsonObject error = new JsonObject(formOnly.asString()).getJsonObject("error");
        assertEquals(-32021, error.getInteger("code"));
        assertEquals(URL_ELICITATION, error.getJsonObject("data").getJsonObject("requiredCapabilities"));

        String session = McpHttp.initialize(alice);
        JsonObject legacy = new JsonObject(McpHttp.call(alice, session, "tools/call",
                "{\"name\":\"delete-forever\",\"arguments\":{\"target\":\"db-4\"}}", 2).asString());
        assertEquals(-32600, legacy.getJsonObject("error").getInteger("code"), legacy.encode());
        assertTrue(legacy.getJsonObject("error").getString("message").contains("2026-07-28"));
        assertEquals(before, AskFirstFeatures.DELETIONS.get());
    }

    @Test
    void thePageSignsInWithTheCodeFlowAndPkceAndTakesNoBearerToken() {
        Response anonymous = RestAssured.given().redirects().follow(false).get("/approvals/AAAAAAAAAAAAAAAAAAAAAA");
        assertEquals(302, anonymous.statusCode(), anonymous.asString());
        String location = anonymous.header("Location");
        assertTrue(location.startsWith(TestIssuer.issuer() + "/protocol/openid-connect/auth?"), location);
        assertTrue(location.contains("code_challenge_method=S256") && location.contains("code_challenge="), location);
        assertTrue(location.contains("client_id=test-approval"), location);

        Response withToken = RestAssured.given().redirects().follow(false)
                .header("Authorization", "Bearer " + token("bearer-" + UUID.randomUUID()))
                .get("/approvals/AAAAAAAAAAAAAAAAAAAAAA");
        assertEquals(302, withToken.statusCode(), "a bearer token signed someone in on the page: " + withToken.asString());
    }
}
