package org.acme.mcp.stateless;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.acme.mcp.support.AuditRecords;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.StatelessHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

/**
 * 2026-07-28 beside 2025-11-25 on the one endpoint: a request with that revision's {@code _meta} and headers is served
 * without a session, in that revision's form; every malformed one is refused with its error and the request's id,
 * before anything runs.
 */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class StatelessRequestTest {

    static String reader() {
        return Tokens.keycloak().subject("stateless-" + UUID.randomUUID()).scope("mcp.read").sign();
    }

    @Test
    void discoverNamesTheRevisionTheCapabilitiesAndTheServer() {
        StatelessHttp.send(reader(), 7, "server/discover", null).then().statusCode(200)
                .header("Mcp-Session-Id", nullValue())
                .body("id", equalTo(7))
                .body("result.resultType", equalTo("complete"))
                .body("result.supportedVersions", equalTo(List.of("2026-07-28")))
                .body("result.capabilities.tools", equalTo(java.util.Map.of()))
                .body("result.ttlMs", equalTo(60_000))
                .body("result.cacheScope", equalTo("private"))
                .body("result._meta.'io.modelcontextprotocol/serverInfo'.name", equalTo("secure-mcp-server"));
    }

    @Test
    void toolsAreListedAndCalledWithoutASession() {
        String token = reader();
        StatelessHttp.send(token, 1, "tools/list", null).then().statusCode(200)
                .header("Mcp-Session-Id", nullValue())
                .body("result.resultType", equalTo("complete"))
                .body("result.cacheScope", equalTo("private"))
                .body("result.ttlMs", equalTo(60_000))
                .body("result.tools.name", hasItem("time-in-zone"))
                .body("result.tools.name", not(hasItem("kill-switch-engage"))); // the list filter: no admin scope
        StatelessHttp.call(token, 2, "time-in-zone", new JsonObject().put("zone", "UTC")).then().statusCode(200)
                .header("Mcp-Session-Id", nullValue())
                .body("id", equalTo(2))
                .body("result.resultType", equalTo("complete"))
                .body("result.isError", equalTo(false))
                .body("result.content[0].text", containsString("UTC"))
                .body("result._meta.'io.modelcontextprotocol/serverInfo'.version", equalTo("1.0.0"))
                .body("result.ttlMs", nullValue());
    }

    @Test
    void bothErasAreAuditedInTheSemanticConventionsWords() {
        String subject = "stateless-audit-" + UUID.randomUUID();
        String token = Tokens.keycloak().subject(subject).scope("mcp.read").sign();
        StatelessHttp.call(token, 3, "time-in-zone", new JsonObject().put("zone", "UTC")).then().statusCode(200);
        McpHttp.call(token, McpHttp.initialize(token), "tools/call",
                "{\"name\":\"time-in-zone\",\"arguments\":{\"zone\":\"Mars/Olympus_Mons\"}}", 4).then()
                .statusCode(200);
        List<JsonObject> calls = AuditRecords.atLeast(2, subject, "tool.call").stream()
                .map(r -> r.getJsonObject("attrs")).toList();
        JsonObject stateless = calls.stream().filter(a -> "3".equals(a.getString("jsonrpc.request.id"))).findFirst()
                .orElseThrow();
        assertEquals("2026-07-28", stateless.getString("mcp.protocol.version"));
        assertEquals("tools/call", stateless.getString("mcp.method.name"));
        assertEquals("time-in-zone", stateless.getString("gen_ai.tool.name"));
        assertEquals("execute_tool", stateless.getString("gen_ai.operation.name"));
        assertTrue(!stateless.containsKey("mcp.session.id"), "no session on 2026-07-28: " + stateless.encode());
        assertTrue(!stateless.containsKey("error.type"), stateless.encode());
        JsonObject session = calls.stream().filter(a -> "4".equals(a.getString("jsonrpc.request.id"))).findFirst()
                .orElseThrow();
        assertEquals("2025-11-25", session.getString("mcp.protocol.version"));
        assertTrue(session.containsKey("mcp.session.id"), session.encode());
        assertEquals("tool_error", session.getString("error.type"), "the unknown zone is a tool error");
    }

    @Test
    void aSessionHeaderOnAStatelessRequestIsIgnored() {
        StatelessHttp.request(reader(), "tools/list").header("Mcp-Session-Id", "no-such-session")
                .body(StatelessHttp.body(4, "tools/list", null)).post("/mcp").then().statusCode(200)
                .header("Mcp-Session-Id", nullValue())
                .body("result.tools.name", hasItem("whoami"));
    }

    @Test
    void aSessionStillWorksBesideIt() {
        String token = reader();
        String session = McpHttp.initialize(token);
        McpHttp.call(token, session, "tools/list", "{}", 5).then().statusCode(200)
                .body("result.tools.name", hasItem("time-in-zone"))
                .body("result.resultType", nullValue());
    }

    @Test
    void anUndeclaredCapabilityOrAnUnknownMethodIsNotFound() {
        String token = reader();
        for (String method : List.of("initialize", "ping", "logging/setLevel", "resources/subscribe",
                "resources/unsubscribe", "subscriptions/listen", "tasks/get", "unknown/method", "prompts/list")) {
            StatelessHttp.send(token, 9, method, null).then().statusCode(404)
                    .body("id", equalTo(9))
                    .body("error.code", equalTo(-32601));
        }
    }

    static Stream<Arguments> malformed() {
        JsonObject noVersion = StatelessHttp.meta();
        noVersion.remove("io.modelcontextprotocol/protocolVersion");
        JsonObject noCapabilities = StatelessHttp.meta();
        noCapabilities.remove("io.modelcontextprotocol/clientCapabilities");
        JsonObject unknownVersion = StatelessHttp.meta().put("io.modelcontextprotocol/protocolVersion", "v999.0.0");
        JsonObject badLevel = StatelessHttp.meta().put("io.modelcontextprotocol/logLevel", "loud");
        JsonObject namelessClient = StatelessHttp.meta().put("io.modelcontextprotocol/clientInfo",
                new JsonObject().put("version", "1"));
        String call = "tools/call";
        JsonObject callParams = new JsonObject().put("name", "whoami").put("arguments", new JsonObject());
        return Stream.of(
                // _meta first: missing fields are invalid params, whatever the headers say
                Arguments.of("no _meta", "tools/list", new JsonObject().put("_meta", new JsonObject()), headers(), 400,
                        -32602),
                Arguments.of("no protocol version", "tools/list", new JsonObject().put("_meta", noVersion), headers(),
                        400, -32602),
                Arguments.of("no client capabilities", "tools/list", new JsonObject().put("_meta", noCapabilities),
                        headers(), 400, -32602),
                Arguments.of("invalid log level", "tools/list", new JsonObject().put("_meta", badLevel), headers(), 400,
                        -32602),
                Arguments.of("client info without a name", "tools/list",
                        new JsonObject().put("_meta", namelessClient), headers(), 400, -32602),
                Arguments.of("arguments not an object", call,
                        new JsonObject().put("name", "whoami").put("arguments", "not an object"),
                        headers().with("Mcp-Name", "whoami"), 400, -32602),
                Arguments.of("no version header", "tools/list", null, headers().without("MCP-Protocol-Version"), 400,
                        -32020),
                Arguments.of("header differs from _meta", "tools/list", new JsonObject().put("_meta", unknownVersion),
                        headers(), 400, -32020),
                Arguments.of("no Mcp-Method", "tools/list", null, headers().without("Mcp-Method"), 400, -32020),
                Arguments.of("Mcp-Method differs", "tools/list", null, headers().with("Mcp-Method", "prompts/list"),
                        400, -32020),
                Arguments.of("Mcp-Method in other case", "tools/list", null,
                        headers().with("Mcp-Method", "TOOLS/LIST"), 400, -32020),
                Arguments.of("no Mcp-Name", call, callParams, headers(), 400, -32020),
                Arguments.of("Mcp-Name differs", call, callParams, headers().with("Mcp-Name", "time-in-zone"), 400,
                        -32020),
                Arguments.of("unpadded base64 Mcp-Name", call, callParams,
                        headers().with("Mcp-Name", "=?base64?d2hvYW0?="), 400, -32020),
                Arguments.of("invalid base64 Mcp-Name", call, callParams,
                        headers().with("Mcp-Name", "=?base64?d2h!!W1p?="), 400, -32020));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedRequestIsRefusedWithItsIdAndNothingRuns(String name, String method, JsonObject params,
            Headers headers, int status, int code) {
        String subject = "malformed-" + UUID.randomUUID();
        String token = Tokens.keycloak().subject(subject).scope("mcp.read").sign();
        RequestSpecification spec = RestAssured.given().contentType("application/json")
                .accept("application/json, text/event-stream").header("Authorization", "Bearer " + token);
        headers.apply(spec, method);
        spec.body(StatelessHttp.body(42, method, params)).post("/mcp").then().statusCode(status)
                .body("jsonrpc", equalTo("2.0"))
                .body("id", equalTo(42))
                .body("error.code", equalTo(code))
                .body("result", nullValue());
        assertTrue(AuditRecords.of(subject, "tool.call").isEmpty(), "a refused request ran a tool");
    }

    @Test
    void anUnsupportedRevisionNamesTheSupportedOnes() {
        JsonObject meta = StatelessHttp.meta().put("io.modelcontextprotocol/protocolVersion", "v999.0.0");
        RestAssured.given().contentType("application/json").accept("application/json, text/event-stream")
                .header("Authorization", "Bearer " + reader())
                .header("MCP-Protocol-Version", "v999.0.0").header("Mcp-Method", "tools/list")
                .body(StatelessHttp.body(301, "tools/list", new JsonObject().put("_meta", meta)))
                .post("/mcp").then().statusCode(400)
                .body("id", equalTo(301))
                .body("error.code", equalTo(-32022))
                .body("error.data.supported", equalTo(List.of("2026-07-28")))
                .body("error.data.requested", equalTo("v999.0.0"));
    }

    @Test
    void malformedOptionalClientInfoMembersAreNoServerError() {
        JsonObject meta = StatelessHttp.meta().put("io.modelcontextprotocol/clientInfo",
                new JsonObject().put("name", "odd").put("version", "1").put("icons", "not a list"));
        StatelessHttp.request(reader(), "tools/list")
                .body(StatelessHttp.body(5, "tools/list", new JsonObject().put("_meta", meta))).post("/mcp").then()
                .statusCode(200).body("result.tools.name", hasItem("whoami"));
    }

    @Test
    void aBase64NameIsDecodedBeforeItIsCompared() {
        StatelessHttp.request(reader(), "tools/call").header("Mcp-Name", "=?base64?d2hvYW1p?=")
                .body(StatelessHttp.body(8, "tools/call",
                        new JsonObject().put("name", "whoami").put("arguments", new JsonObject())))
                .post("/mcp").then().statusCode(200)
                .body("result.isError", equalTo(false));
    }

    @Test
    void getAndDeleteAreNotPartOfTheRevision() {
        String token = reader();
        for (String verb : List.of("GET", "DELETE")) {
            StatelessHttp.request(token, "tools/list").request(verb, "/mcp").then().statusCode(405)
                    .header("Allow", "POST");
        }
    }

    @Test
    void aNotificationIsAcceptedAndIgnored() {
        JsonObject notification = new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/cancelled")
                .put("params", new JsonObject().put("requestId", 1).put("_meta", StatelessHttp.meta()));
        StatelessHttp.request(reader(), "notifications/cancelled").body(notification.encode()).post("/mcp").then()
                .statusCode(202);
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedOnBothEras() {
        String token = reader();
        StatelessHttp.request(token, "tools/list").contentType("text/plain")
                .body(StatelessHttp.body(1, "tools/list", null)).post("/mcp").then().statusCode(415);
        McpHttp.request(token).contentType("text/plain").body(McpHttp.initializeBody()).post("/mcp").then()
                .statusCode(415);
    }

    @Test
    void anAdminToolIsRefusedByTheSameGateAsInASession() {
        StatelessHttp.call(reader(), 10, "kill-switch-status", new JsonObject()).then().statusCode(200)
                .body("id", equalTo(10))
                .body("error.code", equalTo(-32602))
                .body("error.message", equalTo("Unknown tool: kill-switch-status")); // the gate's answer, as in a session
        String admin = Tokens.keycloak().subject("a-" + UUID.randomUUID()).roles("mcp-admin").scope("mcp.read")
                .sign();
        // 2026-07-28 names what the operation needs, all of it; 2025-11-25 adds the caller's relevant grants
        StatelessHttp.call(admin, 11, "kill-switch-status", new JsonObject()).then().statusCode(403)
                .header("WWW-Authenticate", containsString("scope=\"mcp.admin\""));
        McpHttp.call(admin, McpHttp.initialize(admin), "tools/call", "{\"name\":\"kill-switch-status\"}", 12).then()
                .statusCode(403)
                .header("WWW-Authenticate", containsString("scope=\"mcp.admin mcp.read\""));
    }

    /** The headers of a conforming request, to take from or change. */
    record Headers(java.util.Map<String, String> set, List<String> dropped) {
        static Headers none() {
            return new Headers(java.util.Map.of(), List.of());
        }

        Headers with(String name, String value) {
            var copy = new java.util.HashMap<>(set);
            copy.put(name, value);
            return new Headers(copy, dropped);
        }

        Headers without(String name) {
            return new Headers(set, Stream.concat(dropped.stream(), Stream.of(name)).toList());
        }

        void apply(RequestSpecification spec, String method) {
            var all = new java.util.HashMap<String, String>();
            all.put("MCP-Protocol-Version", StatelessHttp.PROTOCOL);
            all.put("Mcp-Method", method);
            all.putAll(set);
            dropped.forEach(all::remove);
            all.forEach(spec::header);
        }

        @Override
        public String toString() {
            return set + " without " + dropped;
        }
    }

    static Headers headers() {
        return Headers.none();
    }
}
