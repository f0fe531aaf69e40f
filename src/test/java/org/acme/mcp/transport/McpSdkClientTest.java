package org.acme.mcp.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.acme.mcp.support.SdkClients;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The official MCP Java SDK drives the secured server end to end. */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class McpSdkClientTest {

    @TestHTTPResource("/")
    java.net.URL base;

    String baseUrl() {
        String url = base.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Test
    void initializeListAndCallWithAValidToken() {
        try (McpSyncClient client = SdkClients.connect(baseUrl(), Tokens.keycloak().subject("sdk-user").sign())) {
            McpSchema.InitializeResult init = client.initialize();
            assertEquals("2025-11-25", init.protocolVersion());
            assertTrue(init.capabilities().tools() != null, "tools capability");

            Set<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name).collect(Collectors.toSet());
            assertTrue(names.containsAll(Set.of("whoami", "text-stats", "time-in-zone")), names.toString());

            McpSchema.CallToolResult who = client.callTool(new McpSchema.CallToolRequest("whoami", Map.of()));
            assertFalse(Boolean.TRUE.equals(who.isError()));
            assertEquals("sdk-user", ((Map<?, ?>) who.structuredContent()).get("subject"));

            McpSchema.CallToolResult stats = client.callTool(
                    new McpSchema.CallToolRequest("text-stats", Map.of("text", "to be or not to be")));
            assertEquals(6, ((Map<?, ?>) stats.structuredContent()).get("words"));

            McpSchema.CallToolResult badZone = client.callTool(
                    new McpSchema.CallToolRequest("time-in-zone", Map.of("zone", "Mars/Olympus_Mons")));
            assertTrue(badZone.isError(), "invalid input is a tool error");
        }
    }

    @Test
    void refusedWithoutToken() {
        try (McpSyncClient client = SdkClients.connect(baseUrl(), null)) {
            assertEquals(401, SdkClients.httpStatusOf(assertThrows(RuntimeException.class, client::initialize)));
        }
    }

    @Test
    void refusedWithAForgedToken() {
        String forged = Tokens.keycloak().signedWith(TestIssuer.ATTACKER, "RS256").sign();
        try (McpSyncClient client = SdkClients.connect(baseUrl(), forged)) {
            assertEquals(401, SdkClients.httpStatusOf(assertThrows(RuntimeException.class, client::initialize)));
        }
    }

}
