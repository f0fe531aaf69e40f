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
import org.acme.mcp.support.SdkClients;
import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

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
            assertEquals(401, statusOf(e));
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

    static int statusOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof McpHttpClientTransportAuthorizationException auth) {
                return auth.getResponseInfo().statusCode();
            }
        }
        throw new AssertionError("no HTTP authorization error in the chain", t);
    }
}
