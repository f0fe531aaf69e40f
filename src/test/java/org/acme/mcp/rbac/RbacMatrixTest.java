package org.acme.mcp.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
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
import org.acme.mcp.support.ToolDeclarations;
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
import io.vertx.core.json.JsonObject;

/**
 * Three identities × every sample tool: what tools/list shows and what tools/call does, over raw HTTP and through the
 * official SDK client; every other shipped tool as its annotations say, derived from them ({@link ToolDeclarations}),
 * so a new tool is in the matrix without being added here. Plus the scope and step-up challenges.
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
            "end-user-sessions", "{\"subject\":\"no-such-user\"}",
            "kill-switch-status", "{}");

    /** The tools the identities below were written for; each identity sees these as listed and others as derived. */
    static final Set<String> SAMPLES = Set.of("whoami", "text-stats", "time-in-zone", "sort-lines", "session-stats",
            "end-user-sessions", "kill-switch-status", "kill-switch-engage", "kill-switch-release");

    /** What tools/list shows a caller with these roles: tools without roles, and tools naming one of them. */
    static Set<String> listedFor(String... roles) {
        return ToolDeclarations.all().stream()
                .filter(t -> t.roles().isEmpty() || Arrays.stream(roles).anyMatch(t.roles()::contains))
                .map(ToolDeclarations.Declared::name).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> samples(Collection<String> listed) {
        return listed.stream().filter(SAMPLES::contains).collect(Collectors.toCollection(TreeSet::new));
    }

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
                        Set.of("whoami", "text-stats", "time-in-zone", "sort-lines"), listedFor("mcp-reader")),
                Arguments.of("operator", (Supplier<String>) RbacMatrixTest::operator,
                        Set.of("whoami", "text-stats", "time-in-zone", "sort-lines", "session-stats"),
                        listedFor("mcp-reader", "mcp-operator")),
                Arguments.of("admin", (Supplier<String>) RbacMatrixTest::admin,
                        Set.of("whoami", "text-stats", "time-in-zone", "sort-lines", "session-stats",
                                "end-user-sessions", "kill-switch-status", "kill-switch-engage", "kill-switch-release"),
                        listedFor("mcp-reader", "mcp-operator", "mcp-admin")));
    }

    @ParameterizedTest(name = "{0} over HTTP")
    @MethodSource("identities")
    void overHttp(String who, Supplier<String> token, Set<String> allowed, Set<String> derived) {
        String t = token.get();
        String session = McpHttp.initialize(t);
        List<String> listed = McpHttp.call(t, session, "tools/list", "{}", 1).jsonPath().getList("result.tools.name");
        assertEquals(new TreeSet<>(allowed), samples(listed), who + " sees");
        assertEquals(derived, new TreeSet<>(listed), who + " sees, as the annotations say");
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
    void throughTheSdk(String who, Supplier<String> token, Set<String> allowed, Set<String> derived) {
        try (McpSyncClient client = SdkClients.connect(base.toString().replaceAll("/$", ""), token.get())) {
            client.initialize();
            Set<String> listed = client.listTools().tools().stream().map(McpSchema.Tool::name).collect(Collectors.toSet());
            assertEquals(allowed, samples(listed), who + " sees");
            assertEquals(derived, new TreeSet<>(listed), who + " sees, as the annotations say");
            for (String tool : ARGS.keySet()) {
                Map<String, Object> args = tool.equals("text-stats") || tool.equals("sort-lines") ? Map.of("text", "a b")
                        : tool.equals("time-in-zone") ? Map.of("zone", "UTC")
                                : tool.equals("end-user-sessions") ? Map.of("subject", "no-such-user") : Map.of();
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
    void anAdminEndsAUsersSessionsAndRevokesTheirTokens() {
        String victim = Tokens.keycloak().subject("compromised").roles("mcp-reader").scope("mcp.read").sign();
        String victimSession = McpHttp.initialize(victim);
        String bystander = Tokens.keycloak().subject("not compromised").roles("mcp-reader").scope("mcp.read").sign();
        String bystanderSession = McpHttp.initialize(bystander);
        String admin = admin();
        String session = McpHttp.initialize(admin);
        McpHttp.call(admin, session, "tools/call",
                "{\"name\":\"end-user-sessions\",\"arguments\":{\"subject\":\"compromised\"}}", 5).then()
                .statusCode(200).body("result.structuredContent.sessions", org.hamcrest.Matchers.equalTo(1));
        // the victim's token is revoked; a token issued after the revocation works, but the session is gone
        McpHttp.call(victim, victimSession, "tools/list", "{}", 6).then().statusCode(401);
        String renewed = Tokens.keycloak().subject("compromised").roles("mcp-reader").scope("mcp.read")
                .claim("iat", Instant.now().getEpochSecond() + 1).sign();
        McpHttp.call(renewed, victimSession, "tools/list", "{}", 7).then().statusCode(404);
        McpHttp.call(bystander, bystanderSession, "tools/list", "{}", 8).then().statusCode(200);
        // an administrator cannot revoke their own tokens
        McpHttp.call(admin, session, "tools/call",
                "{\"name\":\"end-user-sessions\",\"arguments\":{\"subject\":\"admin\"}}", 9)
                .then().statusCode(200).body("result.isError", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void noCallerGetsAToolWithoutRolesWhenTheTokenHasNone() {
        String token = Tokens.keycloak().subject("nobody").without("realm_access").scope("mcp.read").sign();
        String session = McpHttp.initialize(token);
        List<String> listed = McpHttp.call(token, session, "tools/list", "{}", 1).jsonPath().getList("result.tools.name");
        assertEquals(Set.of("whoami", "text-stats", "time-in-zone", "sort-lines"), samples(listed));
        assertEquals(listedFor(), new TreeSet<>(listed));
    }

    static Stream<ToolDeclarations.Declared> shippedTools() {
        return ToolDeclarations.all().stream();
    }

    /**
     * Every shipped tool, known to this test only by its annotations: a caller holding exactly what they ask for sees
     * it and gets a result; a caller without its role sees nothing and gets the unknown-tool answer; without its scopes
     * the scope challenge naming them; with an old login the step-up challenge.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shippedTools")
    void everyShippedToolAnswersAsItsAnnotationsSay(ToolDeclarations.Declared tool) {
        String token = tool.allowedCaller("matrix-" + tool.name()).sign();
        String session = McpHttp.initialize(token);
        List<Map<String, Object>> listed = McpHttp.call(token, session, "tools/list", "{}", 1).jsonPath()
                .getList("result.tools.findAll { it.name == '" + tool.name() + "' }");
        assertEquals(1, listed.size(), tool.name() + " is listed for its caller");
        String arguments = ARGS.getOrDefault(tool.name(),
                ToolDeclarations.argumentsFor(new JsonObject(listed.get(0)).getJsonObject("inputSchema")).encode());
        String call = "{\"name\":\"" + tool.name() + "\",\"arguments\":" + arguments + "}";
        Response allowed = McpHttp.call(token, session, "tools/call", call, 2);
        assertEquals(200, allowed.statusCode(), allowed.asString());
        assertNotNull(allowed.jsonPath().get("result"), tool.name() + " runs for its caller: " + allowed.asString());

        if (!tool.roles().isEmpty()) {
            String roleless = Tokens.keycloak().subject("matrix-roleless-" + tool.name())
                    .scope(String.join(" ", tool.scopes())).authenticatedAgo(5).without("realm_access").sign();
            String other = McpHttp.initialize(roleless);
            List<String> names = McpHttp.call(roleless, other, "tools/list", "{}", 1).jsonPath()
                    .getList("result.tools.name");
            assertFalse(names.contains(tool.name()), tool.name() + " is hidden without its role");
            Response hidden = McpHttp.call(roleless, other, "tools/call", call, 3);
            Response unknown = McpHttp.call(roleless, other, "tools/call",
                    call.replace("\"" + tool.name() + "\"", "\"" + tool.name() + "-x\""), 3);
            assertEquals(unknown.asString().replace(tool.name() + "-x", tool.name()), hidden.asString(), tool.name());
        }
        if (!tool.scopes().isEmpty()) {
            Tokens scopeless = tool.allowedCaller("matrix-scopeless-" + tool.name()).scope("openid");
            String t = scopeless.sign();
            Response challenged = McpHttp.call(t, McpHttp.initialize(t), "tools/call", call, 4);
            assertEquals(403, challenged.statusCode(), challenged.asString());
            String header = challenged.header("WWW-Authenticate");
            assertTrue(header.startsWith("Bearer error=\"insufficient_scope\""), header);
            tool.scopes().forEach(scope -> assertTrue(header.contains(scope), header + " names " + scope));
        }
        if (tool.maxAuthAgeSeconds().isPresent()) {
            String stale = tool.allowedCaller("matrix-stale-" + tool.name())
                    .authenticatedAgo(tool.maxAuthAgeSeconds().get() + 600).sign();
            Response stepUp = McpHttp.call(stale, McpHttp.initialize(stale), "tools/call", call, 5);
            assertEquals(401, stepUp.statusCode(), stepUp.asString());
            assertTrue(stepUp.header("WWW-Authenticate").startsWith("Bearer error=\"insufficient_user_authentication\""),
                    stepUp.header("WWW-Authenticate"));
        }
    }
}
