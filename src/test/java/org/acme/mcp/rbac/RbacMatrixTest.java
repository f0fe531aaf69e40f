package org.acme.mcp.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.SdkClients;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Three identities × every sample tool: what tools/list shows and what tools/call does, over raw HTTP and through the
 * official SDK client. Plus the scope and step-up challenges.
 */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class RbacMatrixTest {

    @TestHTTPResource("/")
    java.net.URL base;

    static final Map<String, String> ARGS = Map.of(
            "whoami", "{}",
            "text-stats", "{\"text\":\"a b\"}",
            "time-in-zone", "{\"zone\":\"UTC\"}",
            "sort-lines", "{\"text\":\"b\\na\"}",
            "session-stats", "{}",
            "end-user-sessions", "{\"subject\":\"nobody\"}",
            "kill-switch-status", "{}");

    static String reader() {
        return Tokens.keycloak().subject("reader").roles("mcp-reader").scope("mcp.read").sign();
    }

    static String operator() {
        return Tokens.keycloak().subject("operator").roles("mcp-reader", "mcp-operator").scope("mcp.read mcp.write").sign();
    }

    static String admin() {
        return Tokens.keycloak().subject("admin").roles("mcp-reader", "mcp-operator", "mcp-admin")
                .scope("mcp.read mcp.write mcp.admin").authenticatedAgo(10).sign();
    }

    static Stream<Arguments> identities() {
        return Stream.of(
                Arguments.of("reader", (Supplier<String>) RbacMatrixTest::reader,
                        Set.of("whoami", "text-stats", "time-in-zone", "sort-lines")),
                Arguments.of("operator", (Supplier<String>) RbacMatrixTest::operator,
                        Set.of("whoami", "text-stats", "time-in-zone", "sort-lines", "session-stats")),
                Arguments.of("admin", (Supplier<String>) RbacMatrixTest::admin,
                        Set.of("whoami", "text-stats", "time-in-zone", "sort-lines", "session-stats",
                                "end-user-sessions", "kill-switch-status", "kill-switch-engage", "kill-switch-release")));
    }

    @ParameterizedTest(name = "{0} over HTTP")
    @MethodSource("identities")
    void overHttp(String who, Supplier<String> token, Set<String> allowed) {
        String t = token.get();
        String session = McpHttp.initialize(t);
        List<String> listed = McpHttp.call(t, session, "tools/list", "{}", 1).jsonPath().getList("result.tools.name");
        assertEquals(new TreeSet<>(allowed), new TreeSet<>(listed), who + " sees");
        int id = 10;
        for (String tool : ARGS.keySet()) {
            Response r = McpHttp.call(t, session, "tools/call",
                    "{\"name\":\"" + tool + "\",\"arguments\":" + ARGS.get(tool) + "}", ++id);
            assertEquals(200, r.statusCode(), who + " " + tool + ": " + r.asString());
            if (allowed.contains(tool)) {
                assertTrue(r.jsonPath().get("result") != null && !Boolean.TRUE.equals(r.jsonPath().get("result.isError")),
                        who + " may call " + tool + ": " + r.asString());
            } else {
                // exactly the answer an unknown tool gets: a hidden tool cannot be probed
                Response unknown = McpHttp.call(t, session, "tools/call",
                        "{\"name\":\"" + tool + "-x\",\"arguments\":{}}", id);
                assertEquals(unknown.asString().replace(tool + "-x", tool), r.asString(), who + " " + tool);
                assertEquals(-32602, (int) r.jsonPath().get("error.code"));
            }
        }
    }

    @ParameterizedTest(name = "{0} through the SDK")
    @MethodSource("identities")
    void throughTheSdk(String who, Supplier<String> token, Set<String> allowed) {
        try (McpSyncClient client = SdkClients.connect(base.toString().replaceAll("/$", ""), token.get())) {
            client.initialize();
            Set<String> listed = client.listTools().tools().stream().map(McpSchema.Tool::name).collect(Collectors.toSet());
            assertEquals(allowed, listed, who + " sees");
            for (String tool : ARGS.keySet()) {
                Map<String, Object> args = tool.equals("text-stats") || tool.equals("sort-lines") ? Map.of("text", "a b")
                        : tool.equals("time-in-zone") ? Map.of("zone", "UTC")
                                : tool.equals("end-user-sessions") ? Map.of("subject", "nobody") : Map.of();
                if (allowed.contains(tool)) {
                    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, args));
                    assertFalse(Boolean.TRUE.equals(result.isError()), who + " " + tool);
                } else {
                    McpError e = assertThrows(McpError.class, () -> client.callTool(new McpSchema.CallToolRequest(tool, args)));
                    assertEquals(-32602, e.getJsonRpcError().code(), who + " " + tool);
                }
            }
        }
    }

    @Test
    void aMissingScopeGetsTheStepUpChallengeNamingIt() {
        String token = Tokens.keycloak().subject("reader2").roles("mcp-reader").scope("openid").sign();
        String session = McpHttp.initialize(token);
        List<String> listed = McpHttp.call(token, session, "tools/list", "{}", 1).jsonPath().getList("result.tools.name");
        assertTrue(listed.contains("text-stats"), "listed: obtainable by asking for the scope");
        Response r = McpHttp.call(token, session, "tools/call", "{\"name\":\"text-stats\",\"arguments\":{\"text\":\"a\"}}", 7);
        assertEquals(403, r.statusCode());
        assertEquals("Bearer error=\"insufficient_scope\", resource_metadata=\""
                + "http://localhost:8081/.well-known/oauth-protected-resource/mcp\", scope=\"mcp.read\"",
                r.header("WWW-Authenticate"));
        assertEquals(7, (int) r.jsonPath().get("id"));
        assertEquals(-32001, (int) r.jsonPath().get("error.code"));
    }

    @Test
    void theScopeChallengeKeepsTheScopesAlreadyGranted() {
        String token = Tokens.keycloak().subject("admin2").roles("mcp-admin").scope("mcp.read").authenticatedAgo(5).sign();
        String session = McpHttp.initialize(token);
        Response r = McpHttp.call(token, session, "tools/call",
                "{\"name\":\"end-user-sessions\",\"arguments\":{\"subject\":\"x\"}}", 3);
        assertEquals(403, r.statusCode());
        assertTrue(r.header("WWW-Authenticate").endsWith("scope=\"mcp.admin mcp.read\""), r.header("WWW-Authenticate"));
    }

    @Test
    void aStaleLoginGetsTheRfc9470Challenge() {
        for (Tokens stale : List.of(
                Tokens.keycloak().subject("admin3").roles("mcp-admin").scope("mcp.admin").authenticatedAgo(3600),
                Tokens.keycloak().subject("admin4").roles("mcp-admin").scope("mcp.admin"))) {
            String token = stale.sign();
            String session = McpHttp.initialize(token);
            Response r = McpHttp.call(token, session, "tools/call",
                    "{\"name\":\"end-user-sessions\",\"arguments\":{\"subject\":\"x\"}}", 4);
            assertEquals(401, r.statusCode());
            assertEquals("Bearer error=\"insufficient_user_authentication\", resource_metadata=\""
                    + "http://localhost:8081/.well-known/oauth-protected-resource/mcp\", max_age=\"300\"",
                    r.header("WWW-Authenticate"));
        }
    }

    @Test
    void anAdminEndsAUsersSessions() {
        String victim = Tokens.keycloak().subject("compromised").roles("mcp-reader").scope("mcp.read").sign();
        String victimSession = McpHttp.initialize(victim);
        String bystander = Tokens.keycloak().subject("not compromised").roles("mcp-reader").scope("mcp.read").sign();
        String bystanderSession = McpHttp.initialize(bystander);
        String admin = admin();
        String session = McpHttp.initialize(admin);
        McpHttp.call(admin, session, "tools/call",
                "{\"name\":\"end-user-sessions\",\"arguments\":{\"subject\":\"compromised\"}}", 5).then()
                .statusCode(200).body("result.structuredContent.sessions", org.hamcrest.Matchers.equalTo(1));
        McpHttp.call(victim, victimSession, "tools/list", "{}", 6).then().statusCode(404);
        McpHttp.call(bystander, bystanderSession, "tools/list", "{}", 7).then().statusCode(200);
    }

    @Test
    void noCallerGetsAToolWithoutRolesWhenTheTokenHasNone() {
        String token = Tokens.keycloak().subject("nobody").without("realm_access").scope("mcp.read").sign();
        String session = McpHttp.initialize(token);
        List<String> listed = McpHttp.call(token, session, "tools/list", "{}", 1).jsonPath().getList("result.tools.name");
        assertEquals(Set.of("whoami", "text-stats", "time-in-zone", "sort-lines"), Set.copyOf(listed));
    }
}
