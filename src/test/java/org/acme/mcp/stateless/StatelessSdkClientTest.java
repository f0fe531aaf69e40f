package org.acme.mcp.stateless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.acme.mcp.support.SdkClients;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.transport.McpHttpStatusException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The official MCP Java SDK's 2026-07-28 client (stateless, no initialize) drives the secured server end to end. */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class StatelessSdkClientTest {

    @TestHTTPResource("/")
    java.net.URL base;

    String baseUrl() {
        String url = base.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Test
    void discoverListAndCallWithAValidToken() {
        String token = Tokens.keycloak().subject("sdk-stateless").scope("mcp.read").sign();
        McpSyncClient client = SdkClients.stateless(baseUrl(), token);
        McpSchema.DiscoverResult discover = client.discover();
        assertEquals(List.of("2026-07-28"), discover.supportedVersions());
        assertTrue(discover.capabilities().tools() != null, "tools capability");

        Set<String> names = client.tools().list().tools().stream().map(McpSchema.Tool::name)
                .collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("whoami", "text-stats", "time-in-zone")), names.toString());
        assertFalse(names.contains("kill-switch-engage"), "the list filter: no admin role or scope");

        McpSchema.CallToolResult who = client.tool("whoami").arguments(Map.of()).call();
        assertFalse(Boolean.TRUE.equals(who.isError()));
        assertEquals("sdk-stateless", ((Map<?, ?>) who.structuredContent()).get("subject"));

        McpSchema.CallToolResult stats = client.tool("text-stats").arguments(Map.of("text", "to be or not to be"))
                .call();
        assertEquals(6, ((Map<?, ?>) stats.structuredContent()).get("words"));

        McpSchema.CallToolResult badZone = client.tool("time-in-zone").arguments(Map.of("zone", "Mars/Olympus_Mons"))
                .call();
        assertTrue(badZone.isError(), "invalid input is a tool error");
    }

    @Test
    void anAdminWithoutTheScopeGetsTheScopeChallenge() {
        String admin = Tokens.keycloak().subject("a-" + UUID.randomUUID()).roles("mcp-admin").scope("mcp.read").sign();
        McpSyncClient client = SdkClients.stateless(baseUrl(), admin);
        McpHttpStatusException refused = assertThrows(McpHttpStatusException.class,
                () -> client.tool("kill-switch-status").arguments(Map.of()).call());
        assertEquals(403, refused.statusCode());
        String challenge = refused.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(challenge.contains("error=\"insufficient_scope\"") && challenge.contains("mcp.admin"), challenge);
    }

    @Test
    void refusedWithoutOrWithAForgedToken() {
        String forged = Tokens.keycloak().signedWith(TestIssuer.ATTACKER, "RS256").sign();
        for (String token : new String[] { null, forged }) {
            McpSyncClient client = SdkClients.stateless(baseUrl(), token);
            assertEquals(401, assertThrows(McpHttpStatusException.class, client::discover).statusCode());
        }
    }
}
