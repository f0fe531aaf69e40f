package org.acme.mcp.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.acme.mcp.support.AuditRecords;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.StatelessHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * Requests are budgeted per caller, and tool calls per caller, per client and per caller and tool: over a budget, 429
 * with Retry-After and an audit record; one caller's or client's exhaustion leaves the others alone; refused tool
 * calls cost nothing from the tool budgets.
 */
@QuarkusTest
@TestProfile(RateLimitTest.SmallBudgets.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class RateLimitTest {

    public static class SmallBudgets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mcp.limits.request-limit", String.valueOf(REQUESTS), "mcp.limits.request-period", "1H",
                    "mcp.limits.caller-limit", "3", "mcp.limits.caller-period", "1H",
                    "mcp.limits.client-limit", "5", "mcp.limits.client-period", "1H",
                    "mcp.limits.tools.\"time-in-zone\".limit", "1", "mcp.limits.tools.\"time-in-zone\".period", "1H");
        }
    }

    /** Enough for the tool-budget tests, which make at most 9 requests per caller (initializing takes 2). */
    static final int REQUESTS = 12;

    private static Response call(String token, String session, String tool, int id) {
        String args = tool.equals("time-in-zone") ? "{\"zone\":\"UTC\"}" : "{}";
        return McpHttp.call(token, session, "tools/call", "{\"name\":\"" + tool + "\",\"arguments\":" + args + "}", id);
    }

    private static String token(String subject, String client) {
        return Tokens.keycloak().subject(subject).claim("azp", client).sign();
    }

    @Test
    void aCallerOverItsBudgetGets429WithRetryAfterAndOthersAreUnaffected() {
        String client = "client-" + UUID.randomUUID();
        String alice = "alice-" + UUID.randomUUID();
        String aliceToken = token(alice, client);
        String session = McpHttp.initialize(aliceToken);
        for (int i = 0; i < 3; i++) {
            call(aliceToken, session, "whoami", 10 + i).then().statusCode(200);
        }
        Response refused = call(aliceToken, session, "whoami", 42);
        refused.then().statusCode(429);
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 3600, "Retry-After " + retryAfter);
        assertEquals(42, (int) refused.jsonPath().get("id"));
        assertTrue(refused.jsonPath().getString("error.message").startsWith("Rate limit exceeded (caller)"));
        // a new token or a new session of the same caller shares the budget
        String again = token(alice, client);
        call(again, McpHttp.initialize(again), "whoami", 43).then().statusCode(429);

        // another caller of another client still has its whole budget
        String bobToken = token("bob-" + UUID.randomUUID(), "other-" + UUID.randomUUID());
        call(bobToken, McpHttp.initialize(bobToken), "whoami", 2).then().statusCode(200);

        List<JsonObject> denials = AuditRecords.of(alice, "tool.call").stream()
                .filter(r -> "denied".equals(r.getString("outcome"))).toList();
        assertEquals(2, denials.size(), denials.toString());
        assertEquals("rate limit: caller", denials.get(0).getJsonObject("attrs").getString("audit.reason"));
    }

    @Test
    void aClientBudgetBoundsAllItsUsersTogether() {
        String client = "shared-" + UUID.randomUUID();
        String carol = token("carol-" + UUID.randomUUID(), client);
        String dave = token("dave-" + UUID.randomUUID(), client);
        String carolSession = McpHttp.initialize(carol);
        String daveSession = McpHttp.initialize(dave);
        for (int i = 0; i < 3; i++) {
            call(carol, carolSession, "whoami", 10 + i).then().statusCode(200);
        }
        call(dave, daveSession, "whoami", 20).then().statusCode(200);
        call(dave, daveSession, "whoami", 21).then().statusCode(200);
        Response refused = call(dave, daveSession, "whoami", 22);
        refused.then().statusCode(429);
        assertTrue(refused.jsonPath().getString("error.message").startsWith("Rate limit exceeded (client)"));
        // the same user through another client is a different budget for the client limit
        String daveElsewhere = Tokens.keycloak().subject("erin-" + UUID.randomUUID()).claim("azp", "x-" + UUID.randomUUID())
                .sign();
        call(daveElsewhere, McpHttp.initialize(daveElsewhere), "whoami", 23).then().statusCode(200);
    }

    @Test
    void aToolBudgetLimitsThatToolOnlyAndRefusedCallsCostNothing() {
        String subject = "frank-" + UUID.randomUUID();
        String token = token(subject, "c-" + UUID.randomUUID());
        String session = McpHttp.initialize(token);
        call(token, session, "time-in-zone", 1).then().statusCode(200);
        Response refused = call(token, session, "time-in-zone", 2);
        refused.then().statusCode(429);
        assertTrue(refused.jsonPath().getString("error.message").startsWith("Rate limit exceeded (tool)"));
        // calls refused by the tool budget or by authorization did not take from the caller budget: 2 of 3 are left
        call(token, session, "end-user-sessions", 3).then().statusCode(200); // hidden tool: -32602, not counted
        call(token, session, "whoami", 4).then().statusCode(200);
        call(token, session, "whoami", 5).then().statusCode(200);
        call(token, session, "whoami", 6).then().statusCode(429);
    }

    @Test
    void everyRequestCountsAndAFloodOfRefusedOnesIsAuditedOnce() {
        String subject = "grace-" + UUID.randomUUID();
        String token = token(subject, "c-" + UUID.randomUUID());
        String session = McpHttp.initialize(token); // two requests: initialize, notifications/initialized
        for (int i = 2; i < REQUESTS; i++) {
            McpHttp.call(token, session, "tools/list", "{}", i).then().statusCode(200);
        }
        for (int i = 0; i < 30; i++) {
            Response refused = McpHttp.call(token, session, i % 2 == 0 ? "tools/list" : "ping", "{}", 100 + i);
            refused.then().statusCode(429);
            assertTrue(Long.parseLong(refused.header("Retry-After")) >= 1);
            assertTrue(refused.jsonPath().getString("error.message").startsWith("Rate limit exceeded (requests)"));
        }
        // refused by authorization or not, a tool call is a request too
        call(token, session, "end-user-sessions", 200).then().statusCode(429);

        // another caller still has its whole budget
        String other = token("heidi-" + UUID.randomUUID(), "c-" + UUID.randomUUID());
        McpHttp.call(other, McpHttp.initialize(other), "tools/list", "{}", 2).then().statusCode(200);

        assertEquals(REQUESTS - 2, AuditRecords.of(subject, "tools.list").size());
        List<JsonObject> refusals = AuditRecords.of(subject, "mcp.request");
        assertEquals(1, refusals.size(), "one record for a run of 31 refused requests");
        assertEquals("rate limit: requests", refusals.get(0).getJsonObject("attrs").getString("audit.reason"));
        assertTrue(AuditRecords.of(subject, "tool.call").isEmpty(), "the refused tool call was not looked at");
    }

    @Test
    void statelessCallsShareTheCallerAndRequestBudgetsOfItsSessions() {
        String subject = "ivan-" + UUID.randomUUID();
        String token = token(subject, "c-" + UUID.randomUUID());
        String session = McpHttp.initialize(token); // 2 requests
        call(token, session, "whoami", 1).then().statusCode(200);
        StatelessHttp.call(token, 2, "whoami", new JsonObject()).then().statusCode(200);
        call(token, session, "whoami", 3).then().statusCode(200);
        // the caller's 3 tool calls are spent, over both revisions
        Response refused = StatelessHttp.call(token, 4, "whoami", new JsonObject());
        refused.then().statusCode(429);
        assertEquals(4, (int) refused.jsonPath().get("id"));
        assertTrue(refused.jsonPath().getString("error.message").startsWith("Rate limit exceeded (caller)"));
        JsonObject denial = AuditRecords.of(subject, "tool.call").stream()
                .filter(r -> "denied".equals(r.getString("outcome"))).findFirst().orElseThrow().getJsonObject("attrs");
        assertEquals("2026-07-28", denial.getString("mcp.protocol.version"));
        // and every stateless request takes from the request budget: 6 so far, 6 left
        for (int i = 0; i < 6; i++) {
            StatelessHttp.send(token, 10 + i, "tools/list", null).then().statusCode(200);
        }
        StatelessHttp.send(token, 20, "tools/list", null).then().statusCode(429);
    }
}
