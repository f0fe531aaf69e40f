package org.acme.mcp.incident;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.acme.mcp.security.VerifiedTokenCache;
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
 * The incident kill switch through the real MCP endpoint with real bearer tokens: a disabled tool vanishes for
 * everyone with the next request and comes back when enabled; a blocked subject or client gets 403 on its next
 * request even with a token already in the verified-token cache, others are unaffected; only a recently
 * authenticated administrator may use it, never against itself; every change and every refusal is audited.
 */
@QuarkusTest
@TestProfile(KillSwitchTest.OwnStateFile.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class KillSwitchTest {

    static final Path STATE = Path.of("target", "incident-kill-switch-test", "state.json");

    public static class OwnStateFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.deleteIfExists(STATE); // every run starts with nothing blocked
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("mcp.incident.state-file", STATE.toString(),
                    "mcp.incident.blocked-subjects", "configured-blocked-user",
                    "mcp.incident.blocked-clients", "configured-blocked-client");
        }
    }

    @Inject
    VerifiedTokenCache cache;

    private static final String ADMIN_CLIENT = "admin-console";

    private static String admin(String subject) {
        return Tokens.keycloak().subject(subject).claim("azp", ADMIN_CLIENT)
                .roles("mcp-reader", "mcp-operator", "mcp-admin").scope("mcp.read mcp.admin").authenticatedAgo(10).sign();
    }

    private static String reader(String subject, String client) {
        return Tokens.keycloak().subject(subject).claim("azp", client).roles("mcp-reader").scope("mcp.read").sign();
    }

    private static Response tool(String token, String session, String name, String args, int id) {
        return McpHttp.call(token, session, "tools/call", "{\"name\":\"" + name + "\",\"arguments\":" + args + "}", id);
    }

    private static Response engage(String token, String session, String kind, String target, String reason) {
        return tool(token, session, "kill-switch-engage", args(kind, target, reason), 90);
    }

    private static Response release(String token, String session, String kind, String target, String reason) {
        return tool(token, session, "kill-switch-release", args(kind, target, reason), 91);
    }

    private static String args(String kind, String target, String reason) {
        return new JsonObject().put("kind", kind).put("target", target).put("reason", reason).encode();
    }

    private static List<String> listed(String token, String session) {
        return McpHttp.call(token, session, "tools/list", "{}", 1).jsonPath().getList("result.tools.name");
    }

    private static void assertOk(Response r) {
        r.then().statusCode(200);
        assertNull(r.jsonPath().get("error"), r.asString());
        assertFalse(Boolean.TRUE.equals(r.jsonPath().get("result.isError")), r.asString());
    }

    private static void assertToolError(Response r, String message) {
        r.then().statusCode(200);
        assertTrue(Boolean.TRUE.equals(r.jsonPath().get("result.isError")), r.asString());
        assertTrue(r.jsonPath().getString("result.content[0].text").contains(message), r.asString());
    }

    private static void assertBlocked(Response r) {
        r.then().statusCode(403).body("error.code", org.hamcrest.Matchers.equalTo(-32001))
                .body("error.message", org.hamcrest.Matchers.equalTo("Access blocked by an administrator of this server"));
        assertNull(r.header("WWW-Authenticate"), "a block is nothing a new token can fix: no challenge");
    }

    private static Response statelessTool(String token, String name, JsonObject args, int id) {
        return StatelessHttp.call(token, id, name, args);
    }

    @Test
    void theKillSwitchActsOnBothRevisions() {
        String admin = admin("admin-" + UUID.randomUUID());
        String victimSub = "stateless-victim-" + UUID.randomUUID();
        String victim = reader(victimSub, "shared-cli");
        String victimSession = McpHttp.initialize(victim);
        JsonObject block = new JsonObject(args("subject", victimSub, "INC-24 engaged over 2026-07-28"));
        assertOk(statelessTool(admin, "kill-switch-engage", block, 20));
        assertBlocked(statelessTool(victim, "whoami", new JsonObject(), 21));
        assertBlocked(tool(victim, victimSession, "whoami", "{}", 22));
        assertEquals("2026-07-28", AuditRecords.first(victimSub, "incident.blocked").getJsonObject("attrs")
                .getString("mcp.protocol.version"));
        assertOk(statelessTool(admin, "kill-switch-release", block, 23));
        assertOk(statelessTool(victim, "whoami", new JsonObject(), 24));

        JsonObject disable = new JsonObject(args("tool", "text-stats", "INC-24 tool off"));
        assertOk(statelessTool(admin, "kill-switch-engage", disable, 25));
        try {
            assertFalse(StatelessHttp.send(victim, 26, "tools/list", null).jsonPath().getList("result.tools.name")
                    .contains("text-stats"), "a disabled tool is not listed on 2026-07-28");
            statelessTool(victim, "text-stats", new JsonObject().put("text", "a b"), 27).then().statusCode(200)
                    .body("error.message", org.hamcrest.Matchers.equalTo("Unknown tool: text-stats"));
        } finally {
            assertOk(statelessTool(admin, "kill-switch-release", disable, 28));
        }
    }

    private static List<JsonObject> changes(String admin, String outcome) {
        return AuditRecords.of(admin, "incident.change").stream().filter(r -> outcome.equals(r.getString("outcome")))
                .toList();
    }

    private static String stateFile() throws IOException {
        return Files.readString(STATE, StandardCharsets.UTF_8);
    }

    @Test
    void aDisabledToolVanishesForEveryoneAtOnceAndComesBackWhenEnabled() throws IOException {
        String adminSub = "admin-" + UUID.randomUUID();
        String admin = admin(adminSub);
        String adminSession = McpHttp.initialize(admin);
        String reader = reader("reader-" + UUID.randomUUID(), "cli");
        String session = McpHttp.initialize(reader);
        assertTrue(listed(reader, session).contains("text-stats"));
        assertOk(tool(reader, session, "text-stats", "{\"text\":\"a b\"}", 2));

        Response engaged = engage(admin, adminSession, "tool", "text-stats", "INC-7 exfiltration via text-stats");
        try {
            assertOk(engaged);
            assertEquals(true, engaged.jsonPath().get("result.structuredContent.changed"));
            assertEquals(true, engaged.jsonPath().get("result.structuredContent.persisted"));
            // the very next requests of another caller, in a session opened before
            assertFalse(listed(reader, session).contains("text-stats"));
            Response call = tool(reader, session, "text-stats", "{\"text\":\"a b\"}", 3);
            Response unknown = tool(reader, session, "text-stats-x", "{\"text\":\"a b\"}", 3);
            assertEquals(unknown.asString().replace("text-stats-x", "text-stats"), call.asString(),
                    "answered exactly like an unknown tool");
            assertFalse(listed(admin, adminSession).contains("text-stats"), "hidden from administrators too");
            assertTrue(stateFile().contains("\"text-stats\"") && stateFile().contains("INC-7"), stateFile());
            Response status = tool(admin, adminSession, "kill-switch-status", "{}", 4);
            assertEquals("text-stats", status.jsonPath().get("result.structuredContent.disabledTools[0].target"));
            assertEquals("INC-7 exfiltration via text-stats",
                    status.jsonPath().get("result.structuredContent.disabledTools[0].reason"));
        } finally {
            assertOk(release(admin, adminSession, "tool", "text-stats", "INC-7 fixed"));
        }
        assertTrue(listed(reader, session).contains("text-stats"));
        assertOk(tool(reader, session, "text-stats", "{\"text\":\"a b\"}", 5));
        assertFalse(stateFile().contains("\"text-stats\""), stateFile());

        List<JsonObject> ok = changes(adminSub, "ok");
        assertEquals(2, ok.size(), ok.toString());
        JsonObject engagedRecord = ok.get(0).getJsonObject("attrs");
        assertEquals("engage", engagedRecord.getString("audit.incident.action"));
        assertEquals("tool", engagedRecord.getString("audit.incident.kind"));
        assertEquals("text-stats", engagedRecord.getString("audit.incident.target"));
        assertEquals("INC-7 exfiltration via text-stats", engagedRecord.getString("audit.incident.reason"));
        assertEquals(ADMIN_CLIENT, engagedRecord.getString("client.id"));
        assertEquals("release", ok.get(1).getJsonObject("attrs").getString("audit.incident.action"));
    }

    @Test
    void aBlockedSubjectGets403OnItsNextRequestEvenWithACachedTokenAndOthersGoOn() {
        String adminSub = "admin-" + UUID.randomUUID();
        String admin = admin(adminSub);
        String adminSession = McpHttp.initialize(admin);
        String victimSub = "compromised-" + UUID.randomUUID();
        String victim = reader(victimSub, "shared-cli");
        String bystander = reader("bystander-" + UUID.randomUUID(), "shared-cli");
        String victimSession = McpHttp.initialize(victim);
        String bystanderSession = McpHttp.initialize(bystander);
        assertOk(tool(victim, victimSession, "whoami", "{}", 2));

        assertOk(engage(admin, adminSession, "subject", victimSub, "INC-8 stolen laptop"));
        long hits = cache.hits();
        assertBlocked(tool(victim, victimSession, "whoami", "{}", 3));
        assertTrue(cache.hits() > hits, "the refused request was a token-cache hit");
        assertBlocked(McpHttp.request(victim).body(McpHttp.initializeBody()).post("/mcp"));
        assertOk(tool(bystander, bystanderSession, "whoami", "{}", 4));

        List<JsonObject> refused = AuditRecords.of(victimSub, "incident.blocked");
        assertEquals(2, refused.size(), refused.toString());
        assertEquals("subject blocked", refused.get(0).getJsonObject("attrs").getString("audit.reason"));
        assertEquals("denied", refused.get(0).getString("outcome"));

        assertOk(release(admin, adminSession, "subject", victimSub, "INC-8 closed"));
        // the block ended the victim's sessions; a new one works
        tool(victim, victimSession, "whoami", "{}", 5).then().statusCode(404);
        assertOk(tool(victim, McpHttp.initialize(victim), "whoami", "{}", 6));
        assertEquals(2, changes(adminSub, "ok").size());
    }

    @Test
    void aBlockedClientGets403ForAllItsUsersAndOtherClientsGoOn() {
        String adminSub = "admin-" + UUID.randomUUID();
        String admin = admin(adminSub);
        String adminSession = McpHttp.initialize(admin);
        String leaky = "leaky-" + UUID.randomUUID();
        String user1 = "u1-" + UUID.randomUUID();
        String one = reader(user1, leaky);
        String two = reader("u2-" + UUID.randomUUID(), leaky);
        String other = reader("u3-" + UUID.randomUUID(), "good-client");
        String s1 = McpHttp.initialize(one);
        String s2 = McpHttp.initialize(two);
        String s3 = McpHttp.initialize(other);

        Response engaged = engage(admin, adminSession, "client", leaky, "INC-9 client secret leaked");
        assertOk(engaged);
        assertEquals(2, (int) engaged.jsonPath().get("result.structuredContent.sessionsEnded"));
        assertBlocked(tool(one, s1, "whoami", "{}", 2));
        assertBlocked(tool(two, s2, "whoami", "{}", 3));
        assertBlocked(McpHttp.request(reader("u4-" + UUID.randomUUID(), leaky)).body(McpHttp.initializeBody())
                .post("/mcp"));
        assertOk(tool(other, s3, "whoami", "{}", 4));
        JsonObject refusal = AuditRecords.of(user1, "incident.blocked").get(0).getJsonObject("attrs");
        assertEquals("client blocked", refusal.getString("audit.reason"));
        assertEquals(leaky, refusal.getString("client.id"));

        assertOk(release(admin, adminSession, "client", leaky, "INC-9 secret rotated"));
        assertOk(tool(one, McpHttp.initialize(one), "whoami", "{}", 5));
    }

    @Test
    void blocksFromConfigurationApplyAndCannotBeLiftedAtRuntime() {
        assertBlocked(McpHttp.request(reader("configured-blocked-user", "cli")).body(McpHttp.initializeBody()).post("/mcp"));
        assertBlocked(McpHttp.request(reader("u-" + UUID.randomUUID(), "configured-blocked-client"))
                .body(McpHttp.initializeBody()).post("/mcp"));
        String admin = admin("admin-" + UUID.randomUUID());
        String session = McpHttp.initialize(admin);
        assertToolError(release(admin, session, "subject", "configured-blocked-user", "try"),
                "blocked by configuration (mcp.incident.blocked-subjects)");
        Response status = tool(admin, session, "kill-switch-status", "{}", 2);
        assertEquals("configuration", status.jsonPath().get("result.structuredContent.blockedClients[0].source"));
    }

    @Test
    void onlyARecentlyAuthenticatedAdministratorMayUseIt() {
        String args = args("tool", "whoami", "INC-10");
        String reader = reader("r-" + UUID.randomUUID(), "cli");
        String readerSession = McpHttp.initialize(reader);
        assertTrue(listed(reader, readerSession).stream().noneMatch(t -> t.startsWith("kill-switch")));
        Response refused = tool(reader, readerSession, "kill-switch-engage", args, 2);
        Response unknown = tool(reader, readerSession, "kill-switch-engage-x", args, 2);
        assertEquals(unknown.asString().replace("kill-switch-engage-x", "kill-switch-engage"), refused.asString());

        String operator = Tokens.keycloak().subject("op-" + UUID.randomUUID()).roles("mcp-reader", "mcp-operator")
                .scope("mcp.read mcp.admin").authenticatedAgo(10).sign();
        assertEquals(-32602, (int) tool(operator, McpHttp.initialize(operator), "kill-switch-engage", args, 3)
                .jsonPath().get("error.code"));

        String noScope = Tokens.keycloak().subject("a-" + UUID.randomUUID()).roles("mcp-admin").scope("mcp.read")
                .authenticatedAgo(10).sign();
        tool(noScope, McpHttp.initialize(noScope), "kill-switch-engage", args, 4).then().statusCode(403)
                .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""));

        String staleLogin = Tokens.keycloak().subject("a-" + UUID.randomUUID()).roles("mcp-admin")
                .scope("mcp.read mcp.admin").authenticatedAgo(3600).sign();
        tool(staleLogin, McpHttp.initialize(staleLogin), "kill-switch-engage", args, 5).then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"insufficient_user_authentication\""));

        assertTrue(listed(reader, readerSession).contains("whoami"), "nothing was switched off");
    }

    @Test
    void aCallOnAnAdministratorsSessionWithoutItsValidTokenDoesNotRun() {
        String adminSub = "admin-" + UUID.randomUUID();
        String admin = admin(adminSub);
        String session = McpHttp.initialize(admin);
        String args = args("tool", "whoami", "INC-12");
        // the administrator's live session id, with no token, an expired one and one signed by another key
        List<String> withoutAValidToken = new ArrayList<>();
        withoutAValidToken.add(null);
        withoutAValidToken.add(Tokens.keycloak().subject(adminSub).claim("azp", ADMIN_CLIENT).roles("mcp-admin")
                .scope("mcp.read mcp.admin").authenticatedAgo(10).expiresIn(-120).sign());
        withoutAValidToken.add(Tokens.keycloak().subject(adminSub).claim("azp", ADMIN_CLIENT).roles("mcp-admin")
                .scope("mcp.read mcp.admin").authenticatedAgo(10).signedWith(TestIssuer.ATTACKER, "RS256").sign());
        for (String token : withoutAValidToken) {
            tool(token, session, "kill-switch-engage", args, 2).then().statusCode(401)
                    .header("WWW-Authenticate", containsString("Bearer"));
        }
        String reader = reader("r-" + UUID.randomUUID(), "cli");
        assertTrue(listed(reader, McpHttp.initialize(reader)).contains("whoami"), "nothing was switched off");
        assertTrue(changes(adminSub, "ok").isEmpty(), "no change was recorded");
        assertTrue(AuditRecords.of(adminSub, "tool.call").isEmpty(), "no tool call was recorded");
    }

    @Test
    void selfLockoutAndBadInputAreRefusedAndAudited() {
        String adminSub = "admin-" + UUID.randomUUID();
        String admin = admin(adminSub);
        String session = McpHttp.initialize(admin);
        assertToolError(engage(admin, session, "tool", "kill-switch-engage", "oops"), "cannot be disabled");
        assertToolError(engage(admin, session, "tool", "kill-switch-release", "oops"), "cannot be disabled");
        assertToolError(engage(admin, session, "subject", adminSub, "oops"), "your own subject");
        assertToolError(engage(admin, session, "client", ADMIN_CLIENT, "oops"), "the client you are calling from");
        assertToolError(engage(admin, session, "tool", "no-such-tool", "typo"), "Unknown tool: no-such-tool");
        assertToolError(engage(admin, session, "user", "x", "typo"), "kind must be one of tool, subject, client");
        assertToolError(engage(admin, session, "subject", "two words", "INC"), "visible ASCII");
        assertToolError(engage(admin, session, "subject", "x".repeat(256), "INC"), "visible ASCII");
        assertToolError(engage(admin, session, "subject", "bad\u0000sub", "INC"), "visible ASCII");
        assertToolError(engage(admin, session, "subject", "someone", " "), "reason is required");
        assertToolError(engage(admin, session, "subject", "someone", "line\nbreak"), "reason is required");
        assertToolError(engage(admin, session, "subject", "someone", "r".repeat(201)), "reason is required");

        assertOk(tool(admin, session, "whoami", "{}", 2)); // still in
        assertTrue(listed(admin, session).contains("kill-switch-engage"));
        List<JsonObject> denied = changes(adminSub, "denied");
        assertEquals(12, denied.size(), denied.toString());
        assertEquals("You cannot block your own subject", denied.get(2).getJsonObject("attrs").getString("audit.reason"));
        assertTrue(changes(adminSub, "ok").isEmpty());
        assertTrue(AuditRecords.all().stream().noneMatch(r -> "incident.change".equals(r.getString("type"))
                && r.getJsonObject("attrs").getString("audit.incident.target", "").contains("\u0000")),
                "control characters never reach the trail");
    }

    @Test
    void connectedClientsHearThatTheToolListChanged() throws Exception {
        String admin = admin("admin-" + UUID.randomUUID());
        String adminSession = McpHttp.initialize(admin);
        String reader = reader("listener-" + UUID.randomUUID(), "cli");
        String session = McpHttp.initialize(reader);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest stream = HttpRequest.newBuilder(URI.create(Tokens.RESOURCE)).GET()
                .header("Authorization", "Bearer " + reader).header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", session).header("MCP-Protocol-Version", McpHttp.PROTOCOL).build();
        CompletableFuture<String> notified = new CompletableFuture<>();
        client.sendAsync(stream, HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> r.body()
                .filter(line -> line.contains("notifications/tools/list_changed")).findFirst()
                .ifPresent(notified::complete));
        try {
            Thread.sleep(500); // let the stream open before the change
            assertOk(engage(admin, adminSession, "tool", "time-in-zone", "INC-11"));
            assertTrue(notified.get(10, TimeUnit.SECONDS).contains("list_changed"));
        } finally {
            assertOk(release(admin, adminSession, "tool", "time-in-zone", "INC-11 done"));
            notified.cancel(true);
        }
    }
}
