package org.acme.mcp.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.acme.mcp.support.KeycloakServer;
import org.acme.mcp.support.KeycloakTokens;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.NpmPackages;
import org.acme.mcp.support.SdkClients;
import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * The packaged prod server against a real Keycloak (26.5.6 distribution, realm from deploy/keycloak), driven by the
 * official MCP Java SDK with real tokens from the password and client-credentials grants.
 */
@QuarkusIntegrationTest
@TestProfile(ProdLikeProfile.class)
@QuarkusTestResource(value = KeycloakServer.class, restrictToAnnotatedClass = true)
class KeycloakEndToEndIT {

    static final String BASE = "http://localhost:8081";

    static String realm() {
        return KeycloakServer.realmUrl();
    }

    static String userToken(String user) {
        return KeycloakTokens.password(realm(), "mcp-test-cli", "test-cli-secret", user, user, null);
    }

    @Test
    void aUserTokenFromThePasswordGrantDrivesTheSdkClient() {
        String token = userToken("alice");
        String sub = KeycloakTokens.claims(token).get("sub").asText();
        try (McpSyncClient client = SdkClients.connect(BASE, token)) {
            assertEquals("2025-11-25", client.initialize().protocolVersion());
            Set<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).collect(Collectors.toSet());
            assertTrue(names.containsAll(Set.of("whoami", "text-stats", "time-in-zone")), names.toString());
            Map<?, ?> who = (Map<?, ?>) client.callTool(new McpSchema.CallToolRequest("whoami", Map.of()))
                    .structuredContent();
            assertEquals(realm(), who.get("issuer"));
            assertEquals(sub, who.get("subject"));
            assertEquals("mcp-test-cli", who.get("client"));
            assertTrue(((java.util.List<?>) who.get("roles")).contains("mcp-reader"), who.toString());
            assertTrue(((java.util.List<?>) who.get("scopes")).contains("mcp.read"), who.toString());
        }
    }

    @Test
    void theSdkStatelessClientSpeaks20260728WithTheSameToken() {
        String token = userToken("alice");
        String sub = KeycloakTokens.claims(token).get("sub").asText();
        io.modelcontextprotocol.modern.client.McpSyncClient client = SdkClients.stateless(BASE, token);
        assertEquals(java.util.List.of("2026-07-28"), client.discover().supportedVersions());
        Set<String> names = client.tools().list().tools().stream()
                .map(io.modelcontextprotocol.modern.McpSchema.Tool::name).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("whoami", "text-stats", "time-in-zone")), names.toString());
        Map<?, ?> who = (Map<?, ?>) client.tool("whoami").arguments(Map.of()).call().structuredContent();
        assertEquals(realm(), who.get("issuer"));
        assertEquals(sub, who.get("subject"));
        assertEquals("mcp-test-cli", who.get("client"));
    }

    @Test
    void theTypeScriptClientPinnedTo20260728WorksWithTheSameToken() throws Exception {
        String token = userToken("alice");
        String output = NpmPackages.run("ts-client/stateless-client.mjs", BASE + "/mcp", token);
        JsonObject seen = new JsonObject(output.lines().reduce((first, last) -> last).orElseThrow());
        assertEquals("2026-07-28", seen.getString("version"), output);
        assertTrue(seen.getJsonArray("tools").getList().containsAll(java.util.List.of("whoami", "time-in-zone")),
                output);
        assertEquals(KeycloakTokens.claims(token).get("sub").asText(), seen.getJsonObject("who").getString("subject"));
        assertEquals(3, seen.getInteger("words"));
    }

    @Test
    void aServiceTokenFromTheClientCredentialsGrantWorks() {
        String token = KeycloakTokens.clientCredentials(realm(), "mcp-service", "service-secret", null);
        try (McpSyncClient client = SdkClients.connect(BASE, token)) {
            client.initialize();
            McpSchema.CallToolResult stats = client.callTool(
                    new McpSchema.CallToolRequest("text-stats", Map.of("text", "one two two")));
            assertEquals(3, ((Map<?, ?>) stats.structuredContent()).get("words"));
        }
    }

    @Test
    void aTokenWithoutTheAudienceMapperIsRefused() {
        String token = KeycloakTokens.clientCredentials(realm(), "no-audience-client", "no-audience-secret", null);
        assertFalse(KeycloakTokens.claims(token).has("aud"), "realm sanity: this client gets no audience");
        McpHttp.request(token).body(McpHttp.initializeBody()).post(BASE + "/mcp").then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer error=\"invalid_token\""));
        try (McpSyncClient client = SdkClients.connect(BASE, token)) {
            RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, client::initialize);
            assertEquals(401, SdkClients.httpStatusOf(e));
        }
    }

    @Test
    void aTokenOfAnotherRealmOfTheSameKeycloakIsRefused() {
        String master = KeycloakServer.baseUrl() + "/realms/master";
        String token = KeycloakTokens.password(master, "admin-cli", null, "admin", "admin", null);
        McpHttp.request(token).body(McpHttp.initializeBody()).post(BASE + "/mcp").then().statusCode(401);
    }

    @Test
    void sessionsAreBoundToTheKeycloakUser() {
        String alice = userToken("alice");
        String session = McpHttp.request(alice).body(McpHttp.initializeBody()).post(BASE + "/mcp").header("Mcp-Session-Id");
        assertNotNull(session);
        McpHttp.request(userToken("bob")).header("Mcp-Session-Id", session)
                .body("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}").post(BASE + "/mcp").then().statusCode(404);
    }

    @Test
    void theMetadataPointsAtTheRealm() {
        given().get(BASE + "/.well-known/oauth-protected-resource/mcp").then().statusCode(200)
                .body("authorization_servers", contains(realm()))
                .body("resource", org.hamcrest.Matchers.equalTo(BASE + "/mcp"));
    }

    static java.util.Set<String> toolsOf(String token) {
        try (McpSyncClient client = SdkClients.connect(BASE, token)) {
            client.initialize();
            return client.listTools().tools().stream().map(McpSchema.Tool::name).collect(Collectors.toSet());
        }
    }

    @Test
    void keycloakRolesDecideWhichToolsACallerSees() {
        assertEquals(Set.of("whoami", "text-stats", "time-in-zone", "sort-lines"), toolsOf(userToken("alice")));
        assertEquals(Set.of("whoami", "text-stats", "time-in-zone", "sort-lines", "session-stats"),
                toolsOf(userToken("bob")));
        assertEquals(Set.of("whoami", "text-stats", "time-in-zone", "sort-lines", "session-stats", "end-user-sessions",
                "kill-switch-status", "kill-switch-engage", "kill-switch-release"),
                toolsOf(userToken("carol")));
    }

    static io.restassured.response.Response endUserSessions(String token) {
        String session = McpHttp.request(token).body(McpHttp.initializeBody()).post(BASE + "/mcp").header("Mcp-Session-Id");
        return McpHttp.request(token).header("Mcp-Session-Id", session)
                .body("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"end-user-sessions\","
                        + "\"arguments\":{\"subject\":\"nobody\"}}}")
                .post(BASE + "/mcp");
    }

    /** The MCP incremental-consent story with real Keycloak tokens: scope challenge, then step-up, then success. */
    @Test
    void incrementalConsentThenStepUpForTheAdminTool() {
        // 1. carol's everyday token carries only the default scope: 403 naming the scope to ask for
        io.restassured.response.Response first = endUserSessions(userToken("carol"));
        assertEquals(403, first.statusCode(), first.asString());
        assertEquals("Bearer error=\"insufficient_scope\", resource_metadata=\"" + BASE
                + "/.well-known/oauth-protected-resource/mcp\", scope=\"mcp.admin mcp.read\"",
                first.header("WWW-Authenticate"));
        // 2. a token with that scope from a grant without a fresh login (no auth_time): RFC 9470 step-up
        String withScope = KeycloakTokens.password(realm(), "mcp-test-cli", "test-cli-secret", "carol", "carol",
                "mcp.admin");
        assertTrue(KeycloakTokens.claims(withScope).get("scope").asText().contains("mcp.admin"));
        io.restassured.response.Response second = endUserSessions(withScope);
        assertEquals(401, second.statusCode(), second.asString());
        assertTrue(second.header("WWW-Authenticate").startsWith("Bearer error=\"insufficient_user_authentication\""),
                second.header("WWW-Authenticate"));
        assertTrue(second.header("WWW-Authenticate").contains("max_age=\"300\""), second.header("WWW-Authenticate"));
        // 3. a fresh interactive login (authorization code + PKCE, as the MCP Inspector does) with the scope: allowed
        String fresh = KeycloakTokens.authorizationCode(realm(), "mcp-inspector", "http://127.0.0.1/callback", "carol",
                "carol", "mcp.admin");
        io.restassured.response.Response third = endUserSessions(fresh);
        assertEquals(200, third.statusCode(), third.asString());
        assertEquals(0, (int) third.jsonPath().get("result.structuredContent.sessions"), third.asString());
    }

    /** The realm's public clients get no login without PKCE S256: no challenge, or a plain one, is refused. */
    @Test
    void keycloakRefusesAnAuthorizationRequestWithoutPkceS256() {
        String callback = "http://127.0.0.1/callback";
        String none = KeycloakTokens.authorizationStart(realm(), "mcp-inspector", callback, Map.of());
        assertTrue(none.startsWith(callback) && none.contains("error=invalid_request"), none);
        String plain = KeycloakTokens.authorizationStart(realm(), "mcp-inspector", callback,
                Map.of("code_challenge", "a".repeat(43), "code_challenge_method", "plain"));
        assertTrue(plain.startsWith(callback) && plain.contains("error=invalid_request"), plain);
        // the control: with S256 the login page is served
        assertEquals("HTTP 200", KeycloakTokens.authorizationStart(realm(), "mcp-inspector", callback,
                Map.of("code_challenge", KeycloakTokens.s256Challenge(), "code_challenge_method", "S256")));
    }

    @Test
    void keycloakDoesNotGrantTheAdminScopeToOthersAndTheToolStaysHidden() {
        String alice = KeycloakTokens.password(realm(), "mcp-test-cli", "test-cli-secret", "alice", "alice", "mcp.admin");
        assertFalse(KeycloakTokens.claims(alice).get("scope").asText().contains("mcp.admin"));
        io.restassured.response.Response r = endUserSessions(alice);
        assertEquals(200, r.statusCode());
        assertEquals("Unknown tool: end-user-sessions", r.jsonPath().getString("error.message"));
    }

}
