package org.acme.mcp.transport;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;

/** Streamable HTTP behaviour of the secured endpoint: lifecycle, sessions bound to callers, tools. */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class SessionAndTransportTest {

    static String alice() {
        return Tokens.keycloak().subject("alice").sign();
    }

    static String bob() {
        return Tokens.keycloak().subject("bob").sign();
    }

    @Test
    void initializeNegotiatesTheProtocolAndIssuesAVisibleAsciiSessionId() {
        McpHttp.request(alice()).body(McpHttp.initializeBody()).post("/mcp").then()
                .statusCode(200)
                .header("Mcp-Session-Id", matchesPattern("^[\\x21-\\x7E]{22,}$"))
                .header("Cache-Control", notNullValue())
                .header("X-Content-Type-Options", "nosniff")
                .body("result.protocolVersion", equalTo("2025-11-25"))
                .body("result.capabilities.tools", notNullValue());
    }

    @Test
    void anUnknownProtocolVersionIsAnsweredWithASupportedOne() {
        McpHttp.request(alice()).body(McpHttp.initializeBody().replace("2025-11-25", "2099-01-01")).post("/mcp").then()
                .statusCode(200).body("result.protocolVersion", equalTo("2025-11-25"));
    }

    @Test
    void everyProtocolVersionAgreedAtInitializeIsAcceptedAfterwards() {
        String token = alice();
        for (String version : List.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25")) {
            Response init = McpHttp.request(token).body(McpHttp.initializeBody().replace("2025-11-25", version))
                    .post("/mcp");
            String agreed = init.jsonPath().getString("result.protocolVersion");
            assertTrue(McpRequest.Era.SESSIONS.versions.contains(agreed), version + " -> " + agreed);
            McpHttp.request(token).header("Mcp-Session-Id", init.header("Mcp-Session-Id"))
                    .header("MCP-Protocol-Version", agreed)
                    .body("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}").post("/mcp").then()
                    .statusCode(200).body("id", equalTo(2));
        }
    }

    /**
     * MCP: session ids are cryptographically secure. Pinned to what the extension issues: a random (version 4) UUID,
     * 122 bits from {@code SecureRandom}, base64url-encoded; an upgrade that changes the scheme must be looked at.
     */
    @Test
    void sessionIdsAreUniqueRandomUuids() {
        Set<String> ids = new HashSet<>();
        String token = alice();
        for (int i = 0; i < 50; i++) {
            String id = McpHttp.request(token).body(McpHttp.initializeBody()).post("/mcp").header("Mcp-Session-Id");
            UUID uuid = UUID.fromString(new String(Base64.getUrlDecoder().decode(id), StandardCharsets.US_ASCII));
            assertEquals(4, uuid.version(), id);
            assertEquals(2, uuid.variant(), id);
            ids.add(id);
        }
        assertEquals(50, ids.size());
    }

    /**
     * MCP: both sides keep to the negotiated capabilities; the template declares tools and logging only
     * ({@code FeatureRbacTest}: a server with prompts declares and serves them).
     */
    @Test
    void requestsOfUndeclaredCapabilitiesAreMethodsNotFound() {
        String token = alice();
        Response init = McpHttp.request(token).body(McpHttp.initializeBody()).post("/mcp");
        java.util.Map<String, Object> declared = init.jsonPath().getMap("result.capabilities");
        assertEquals(Set.of("tools", "logging"), declared.keySet());
        String session = McpHttp.initialize(token);
        int id = 40;
        for (String method : List.of("resources/list", "resources/read", "resources/templates/list",
                "resources/subscribe", "prompts/list", "prompts/get", "completion/complete")) {
            McpHttp.call(token, session, method, "{\"name\":\"x\",\"uri\":\"file:///etc/passwd\"}", ++id).then()
                    .statusCode(200).body("id", equalTo(id)).body("error.code", equalTo(-32601))
                    .body("result", is((Object) null));
        }
        McpHttp.call(token, session, "tools/list", "{}", ++id).then().statusCode(200).body("result.tools", notNullValue());
    }

    @Test
    void notificationsGet202WithNoBody() {
        String token = alice();
        String session = McpHttp.request(token).body(McpHttp.initializeBody()).post("/mcp").header("Mcp-Session-Id");
        McpHttp.request(token).header("Mcp-Session-Id", session)
                .body("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").post("/mcp").then()
                .statusCode(202).body(is(emptyString()));
    }

    @Test
    void unhandledNotificationsAreAcceptedAndIgnored() {
        String token = alice();
        String session = McpHttp.initialize(token);
        for (String notification : List.of("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/nope\"}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":1,\"progress\":1}}")) {
            McpHttp.request(token).header("Mcp-Session-Id", session).body(notification).post("/mcp").then()
                    .statusCode(202).body(is(emptyString()));
        }
        McpHttp.call(token, session, "ping", "{}", 5).then().statusCode(200).body("id", equalTo(5));
        McpHttp.request(token).header("Mcp-Session-Id", session).delete("/mcp");
        McpHttp.request(token).header("Mcp-Session-Id", session)
                .body("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/nope\"}").post("/mcp").then().statusCode(404);
    }

    @Test
    void messagesThatAreNotJsonRpcGet400WithoutAnId() {
        String token = alice();
        String session = McpHttp.initialize(token);
        for (String bad : List.of("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}",
                "{\"id\":1,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":42}",
                "{\"jsonrpc\":\"2.0\",\"id\":1}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{\"code\":1,\"message\":\"x\"}}")) {
            McpHttp.request(token).header("Mcp-Session-Id", session).body(bad).post("/mcp").then()
                    .statusCode(400).body("error.code", equalTo(-32600)).body("$", not(hasKey("id")));
        }
    }

    @Test
    void toolsAreListedWithExplicitNamesSchemasAndAnnotations() {
        String token = alice();
        String session = McpHttp.initialize(token);
        Response list = McpHttp.call(token, session, "tools/list", "{}", 2);
        java.util.List<String> names = list.jsonPath().getList("result.tools.name");
        assertTrue(names.stream().allMatch(n -> n.matches("^[A-Za-z0-9_.-]{1,128}$")), names.toString());
        assertEquals(names.size(), new HashSet<>(names).size(), "unique names");
        list.then()
                .statusCode(200)
                .body("result.tools.name", containsInAnyOrder("whoami", "text-stats", "time-in-zone", "sort-lines"))
                .body("result.tools.inputSchema.type", containsInAnyOrder("object", "object", "object", "object"))
                .body("result.tools.annotations.readOnlyHint", containsInAnyOrder(true, true, true, true))
                .body("result.tools.annotations.destructiveHint", containsInAnyOrder(false, false, false, false))
                .body("result.tools.annotations.openWorldHint", containsInAnyOrder(false, false, false, false));
    }

    @Test
    void toolsWork() {
        String token = alice();
        String session = McpHttp.initialize(token);
        McpHttp.call(token, session, "tools/call", "{\"name\":\"whoami\",\"arguments\":{}}", 3).then()
                .statusCode(200)
                .header("Content-Type", startsWith("application/json")) // MCP: JSON or an SSE stream, nothing else
                .body("id", equalTo(3))
                .body("result.structuredContent.subject", equalTo("alice"))
                .body("result.structuredContent.issuer", equalTo(TestIssuer.issuer()))
                .body("result.structuredContent.scopes", hasItems("mcp.read"))
                .body("result.structuredContent.roles", hasItems("mcp-reader"));
        McpHttp.call(token, session, "tools/call",
                "{\"name\":\"text-stats\",\"arguments\":{\"text\":\"a b a\\nc\"}}", 4).then()
                .body("result.structuredContent.words", equalTo(4))
                .body("result.structuredContent.lines", equalTo(2))
                .body("result.structuredContent.topWords[0].word", equalTo("a"));
        McpHttp.call(token, session, "tools/call", "{\"name\":\"time-in-zone\",\"arguments\":{\"zone\":\"UTC\"}}", 5).then()
                .body("result.structuredContent.utcOffset", equalTo("Z"));
        McpHttp.call(token, session, "tools/call", "{\"name\":\"time-in-zone\",\"arguments\":{\"zone\":\"Nowhere/X\"}}", 6)
                .then().body("result.isError", is(true));
        McpHttp.call(token, session, "tools/call", "{\"name\":\"no-such-tool\",\"arguments\":{}}", 7).then()
                .body("error.code", equalTo(-32602));
    }

    @Test
    void argumentsThatBreakTheSchemaAreAToolError() {
        // MCP: input validation errors are tool results with isError, so that the model can correct its call
        String token = alice();
        String session = McpHttp.initialize(token);
        for (String arguments : List.of("{}", "{\"zone\":null}", "{\"zone\":{\"a\":1}}")) {
            McpHttp.call(token, session, "tools/call", "{\"name\":\"time-in-zone\",\"arguments\":" + arguments + "}", 8)
                    .then().statusCode(200).body("id", equalTo(8)).body("result.isError", is(true))
                    .body("result.content[0].text", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()))
                    .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Exception")));
        }
    }

    @Test
    void whoamiNeverReturnsTheToken() {
        String token = alice();
        String session = McpHttp.initialize(token);
        String body = McpHttp.call(token, session, "tools/call", "{\"name\":\"whoami\",\"arguments\":{}}", 3).asString();
        assertFalse(body.contains(token.split("\\.")[2]), body);
    }

    @Test
    void aSessionIdWithoutATokenIsRefused() {
        String session = McpHttp.initialize(alice());
        McpHttp.call(null, session, "tools/list", "{}", 2).then().statusCode(401);
    }

    @Test
    void aSessionCannotBeUsedByAnotherCaller() {
        String aliceSession = McpHttp.initialize(alice());
        Response hijack = McpHttp.call(bob(), aliceSession, "tools/call", "{\"name\":\"whoami\",\"arguments\":{}}", 2);
        assertEquals(404, hijack.statusCode());
        assertFalse(hijack.asString().contains("alice"), hijack.asString());
        // Bob can neither listen on it nor end it
        McpHttp.request(bob()).header("Mcp-Session-Id", aliceSession).accept("text/event-stream").get("/mcp").then()
                .statusCode(404);
        McpHttp.request(bob()).header("Mcp-Session-Id", aliceSession).delete("/mcp").then().statusCode(404);
        // and alice's session is untouched
        McpHttp.call(alice(), aliceSession, "tools/list", "{}", 3).then().statusCode(200);
    }

    @Test
    void theSameUserWithANewTokenKeepsTheSession() {
        String session = McpHttp.initialize(alice());
        McpHttp.call(alice(), session, "tools/list", "{}", 2).then().statusCode(200);
    }

    @Test
    void deleteEndsTheSession() {
        String token = alice();
        String session = McpHttp.initialize(token);
        int status = McpHttp.request(token).header("Mcp-Session-Id", session).delete("/mcp").statusCode();
        assertTrue(status == 200 || status == 204, "DELETE answered " + status);
        McpHttp.call(token, session, "tools/list", "{}", 2).then().statusCode(404);
    }

    @Test
    void theExtensionsOwnCloseMethodIsNotServed() {
        // q/close would end the session past the session.ended record; MCP ends sessions with DELETE
        String token = alice();
        String session = McpHttp.initialize(token);
        McpHttp.call(token, session, "q/close", "{}", 2).then().statusCode(200)
                .body("error.code", equalTo(-32601))
                .body("error.message", equalTo("Method not found: q/close (end a session with DELETE)"));
        McpHttp.request(token).header("Mcp-Session-Id", session).header("MCP-Protocol-Version", McpHttp.PROTOCOL)
                .body("{\"jsonrpc\":\"2.0\",\"method\":\"q/close\"}").post("/mcp").then().statusCode(202);
        McpHttp.call(token, session, "ping", "{}", 3).then().statusCode(200).body("result", notNullValue());
    }

    @Test
    void responsesFromClientsAreAcceptedAndDropped() {
        // the extension would hand one to the pending request with its id, whichever session posted it
        String token = alice();
        String session = McpHttp.initialize(token);
        for (String response : List.of("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"result\":{\"action\":\"accept\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":2.5,\"error\":{\"code\":-1,\"message\":\"no\"}}")) {
            McpHttp.request(token).header("Mcp-Session-Id", session).header("MCP-Protocol-Version", McpHttp.PROTOCOL)
                    .body(response).post("/mcp").then().statusCode(202).body(emptyString());
        }
    }

    @Test
    void membersThatMustBeObjectsButAreNotGetInvalidParams() {
        // the extension reads them with getJsonObject: anything else threw inside it and the request went unanswered
        String token = alice();
        String session = McpHttp.initialize(token);
        RestAssuredConfig fiveSeconds = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 5000).setParam("http.connection.timeout", 5000));
        for (String params : List.of("\"x\"", "[1]", "7", "{\"name\":\"whoami\",\"arguments\":\"x\"}",
                "{\"_meta\":[]}")) {
            String method = params.contains("whoami") ? "tools/call" : "tools/list";
            McpHttp.request(token).config(fiveSeconds).header("Mcp-Session-Id", session)
                    .header("MCP-Protocol-Version", McpHttp.PROTOCOL)
                    .body("{\"jsonrpc\":\"2.0\",\"id\":21,\"method\":\"" + method + "\",\"params\":" + params + "}")
                    .post("/mcp").then().statusCode(200).body("id", equalTo(21)).body("error.code", equalTo(-32602));
        }
        McpHttp.call(token, session, "ping", "{}", 22).then().statusCode(200).body("result", notNullValue());
    }

    @Test
    void getWithoutSessionIsNotAStream() {
        McpHttp.request(alice()).accept("text/event-stream").get("/mcp").then().statusCode(405);
    }

    @Test
    void malformedInputGetsClearJsonRpcErrors() {
        String token = alice();
        String session = McpHttp.initialize(token);
        // a broken sequence, an overlong "/", an encoded surrogate: each past an ASCII prefix (the fast path)
        for (byte[] bad : List.of(new byte[] { (byte) 0xC3, (byte) 0x28 }, new byte[] { (byte) 0xC0, (byte) 0xAF },
                new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 })) {
            byte[] notUtf8 = ("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\",\"params\":{\"a\":\"x"
                    + new String(bad, StandardCharsets.ISO_8859_1) + "\"}}").getBytes(StandardCharsets.ISO_8859_1);
            McpHttp.request(token).header("Mcp-Session-Id", session).body(notUtf8).post("/mcp").then()
                    .statusCode(400).body("error.code", equalTo(-32700))
                    .body("error.message", equalTo("Request body is not UTF-8"));
        }
        McpHttp.request(token).header("Mcp-Session-Id", session)
                .body("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\",\"params\":{\"a\":\"caf\u00e9 \u2603\"}}"
                        .getBytes(StandardCharsets.UTF_8))
                .post("/mcp").then().statusCode(200).body("id", equalTo(4));
        McpHttp.request(token).header("Mcp-Session-Id", session).body("{\"jsonrpc\":\"2.0\", \"id\": 1, \"meth").post("/mcp")
                .then().body("error.code", equalTo(-32700))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Exception")));
        // one message per body: neither a batch nor a second message behind the first gets through
        for (String notOne : List.of("[{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}]",
                "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"} {\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}")) {
            McpHttp.request(token).header("Mcp-Session-Id", session).body(notOne).post("/mcp").then()
                    .statusCode(400).body("error.code", equalTo(-32700));
        }
        McpHttp.call(token, session, "no/such/method", "{}", 9).then().body("error.code", equalTo(-32601));
    }

    @Test
    void jsonDepthLimitIsExact() {
        String token = alice();
        String session = McpHttp.initialize(token);
        // the message object and params are two levels: 62 arrays inside make 64, the default limit
        for (int arrays : new int[] { 62, 63 }) {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":" + "[".repeat(arrays)
                    + "]".repeat(arrays) + "}}";
            var response = McpHttp.request(token).header("Mcp-Session-Id", session).body(body).post("/mcp").then();
            if (arrays == 62) {
                response.statusCode(200).body("id", equalTo(1));
            } else {
                response.statusCode(400).body("error.code", equalTo(-32700))
                        .body("error.message", equalTo("JSON nested too deeply"));
            }
        }
    }

    @Test
    void stringIdsAreEchoed() {
        String token = alice();
        String session = McpHttp.initialize(token);
        McpHttp.request(token).header("Mcp-Session-Id", session)
                .body("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"ping\"}").post("/mcp").then()
                .statusCode(200).body("id", equalTo("abc"));
    }

    @Test
    void allowedOriginPasses() {
        McpHttp.request(alice()).header("Origin", "http://localhost:6274").body(McpHttp.initializeBody()).post("/mcp")
                .then().statusCode(200);
    }

    @Test
    void aForeignOriginIsRefusedBeforeAuthenticationWithoutAChallenge() {
        // a browser page of another site learns nothing about this server's authorization server
        McpHttp.request(null).header("Origin", "https://evil.example").body(McpHttp.initializeBody()).post("/mcp")
                .then().statusCode(403).header("WWW-Authenticate", org.hamcrest.Matchers.nullValue())
                .body("error.message", equalTo("Origin not allowed"));
    }

    @Test
    void aForeignOriginCannotOpenAStreamOrEndASession() {
        // every connection, not only POSTs: a page of another site must not hold a stream or end a session
        String token = alice();
        String session = McpHttp.initialize(token);
        McpHttp.request(token).header("Origin", "https://evil.example").header("Mcp-Session-Id", session)
                .accept("text/event-stream").get("/mcp").then().statusCode(403)
                .body("error.message", equalTo("Origin not allowed"));
        McpHttp.request(token).header("Origin", "https://evil.example").header("Mcp-Session-Id", session)
                .delete("/mcp").then().statusCode(403).body("error.message", equalTo("Origin not allowed"));
        McpHttp.call(token, session, "ping", "{}", 2).then().statusCode(200).body("result", notNullValue());
    }
}
