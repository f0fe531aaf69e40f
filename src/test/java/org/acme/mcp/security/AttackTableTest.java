package org.acme.mcp.security;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * Bad requests against {@code /mcp}, each with the exact status and {@code WWW-Authenticate} the MCP 2025-11-25
 * authorization spec and RFC 6750 call for. Every token here is signed by (or forged against) a real local JWKS.
 */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class AttackTableTest {

    static final String METADATA = "http://localhost:8081/.well-known/oauth-protected-resource/mcp";
    static final String MISSING = "Bearer resource_metadata=\"" + METADATA + "\", scope=\"mcp.read\"";
    static final String INVALID_TOKEN = "Bearer error=\"invalid_token\", resource_metadata=\"" + METADATA
            + "\", scope=\"mcp.read\"";
    static final String INVALID_REQUEST = "Bearer error=\"invalid_request\", resource_metadata=\"" + METADATA
            + "\", scope=\"mcp.read\"";
    static final String NO_CHALLENGE = null;

    record Attack(String name, Supplier<Response> send, int status, String challenge) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Response withToken(String token) {
        return McpHttp.request(token).body(McpHttp.initializeBody()).post("/mcp");
    }

    static Response withAuthorization(String... values) {
        var spec = McpHttp.request(null);
        for (String value : values) {
            spec = spec.header("Authorization", value);
        }
        return spec.body(McpHttp.initializeBody()).post("/mcp");
    }

    static String valid() {
        return Tokens.keycloak().sign();
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                new Attack("no token", () -> withToken(null), 401, MISSING),
                new Attack("Basic credentials", () -> withAuthorization("Basic YWxpY2U6YWxpY2U="), 401, MISSING),
                new Attack("empty Bearer", () -> withAuthorization("Bearer"), 401, INVALID_TOKEN),
                new Attack("not a JWT", () -> withAuthorization("Bearer not-a-jwt"), 401, INVALID_TOKEN),
                new Attack("opaque token", () -> withToken("2YotnFZFEjr1zCsicMWpAA"), 401, INVALID_TOKEN),
                new Attack("alg=none, empty signature", () -> withToken(Tokens.keycloak().unsigned("")), 401, INVALID_TOKEN),
                new Attack("alg=none, junk signature", () -> withToken(Tokens.keycloak().unsigned("c2ln")), 401, INVALID_TOKEN),
                new Attack("HS256 signed with the public key", () -> withToken(Tokens.keycloak().signHmacWithPublicKey()),
                        401, INVALID_TOKEN),
                new Attack("forged signature, known kid", () -> withToken(Tokens.keycloak()
                        .signedWith(TestIssuer.ATTACKER, AlgorithmIdentifiers.RSA_USING_SHA256).sign()), 401, INVALID_TOKEN),
                new Attack("unknown kid", () -> withToken(Tokens.keycloak()
                        .signedWith(TestIssuer.ATTACKER, AlgorithmIdentifiers.RSA_USING_SHA256).kid("unknown-kid").sign()),
                        401, INVALID_TOKEN),
                new Attack("other issuer", () -> withToken(Tokens.keycloak()
                        .claim("iss", "http://127.0.0.1:1/realms/other").sign()), 401, INVALID_TOKEN),
                new Attack("wrong audience", () -> withToken(Tokens.keycloak().claim("aud", "some-other-api").sign()),
                        401, INVALID_TOKEN),
                new Attack("audience of another MCP server", () -> withToken(Tokens.keycloak()
                        .claim("aud", "http://localhost:8081/mcp-other").sign()), 401, INVALID_TOKEN),
                new Attack("missing audience", () -> withToken(Tokens.keycloak().without("aud").sign()), 401, INVALID_TOKEN),
                new Attack("expired beyond the clock skew", () -> withToken(Tokens.keycloak().expiresIn(-120).sign()),
                        401, INVALID_TOKEN),
                new Attack("missing exp", () -> withToken(Tokens.keycloak().without("exp").sign()), 401, INVALID_TOKEN),
                new Attack("nbf in the future", () -> withToken(Tokens.keycloak().notBeforeIn(600).sign()), 401,
                        INVALID_TOKEN),
                new Attack("missing sub", () -> withToken(Tokens.keycloak().without("sub").sign()), 401, INVALID_TOKEN),
                new Attack("tampered payload", () -> withToken(Tokens.tamper(valid(),
                        Tokens.keycloak().claim("realm_access", java.util.Map.of("roles", List.of("mcp-admin")))
                                .claimsJson())),
                        401, INVALID_TOKEN),
                new Attack("JWE (encrypted) token", () -> withToken("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d"), 401, INVALID_TOKEN),
                new Attack("oversized token", () -> withToken(Tokens.keycloak().claim("pad", "x".repeat(9000)).sign()),
                        401, INVALID_TOKEN),
                new Attack("two Authorization headers", () -> withAuthorization("Bearer " + valid(), "Bearer " + valid()),
                        400, INVALID_REQUEST),
                new Attack("token in the query string", () -> McpHttp.request(null).queryParam("access_token", valid())
                        .body(McpHttp.initializeBody()).post("/mcp"), 400, INVALID_REQUEST),
                new Attack("token in a form body", () -> RestAssured.given().contentType("application/x-www-form-urlencoded")
                        .formParam("access_token", valid()).post("/mcp"), 400, INVALID_REQUEST),
                new Attack("foreign Origin", () -> McpHttp.request(valid()).header("Origin", "https://evil.example")
                        .body(McpHttp.initializeBody()).post("/mcp"), 403, NO_CHALLENGE),
                new Attack("allowed-origin prefix", () -> McpHttp.request(valid())
                        .header("Origin", "http://localhost:6274.evil.example").body(McpHttp.initializeBody()).post("/mcp"),
                        403, NO_CHALLENGE),
                new Attack("localhost-prefixed Origin", () -> McpHttp.request(valid())
                        .header("Origin", "http://localhost.evil.example").body(McpHttp.initializeBody()).post("/mcp"),
                        403, NO_CHALLENGE),
                new Attack("Origin null", () -> McpHttp.request(valid()).header("Origin", "null")
                        .body(McpHttp.initializeBody()).post("/mcp"), 403, NO_CHALLENGE),
                new Attack("foreign Host (DNS rebinding)", () -> McpHttp.request(valid()).header("Host", "evil.example")
                        .body(McpHttp.initializeBody()).post("/mcp"), 403, NO_CHALLENGE),
                new Attack("unsupported MCP-Protocol-Version", () -> McpHttp.request(valid())
                        .header("MCP-Protocol-Version", "1999-01-01").body(McpHttp.initializeBody()).post("/mcp"), 400,
                        NO_CHALLENGE),
                new Attack("oversized body", () -> McpHttp.request(valid())
                        .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\"" + "a".repeat(1_100_000)
                                + "\"}}")
                        .post("/mcp"), 413, NO_CHALLENGE),
                new Attack("deeply nested JSON", () -> McpHttp.request(valid())
                        .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":" + "[".repeat(100)
                                + "]".repeat(100) + "}}")
                        .post("/mcp"), 400, NO_CHALLENGE),
                new Attack("unknown session id", () -> McpHttp.request(valid()).header("Mcp-Session-Id", "bm90LWEtc2Vzc2lvbg")
                        .body("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}").post("/mcp"), 404, NO_CHALLENGE),
                new Attack("legacy SSE endpoint", () -> McpHttp.request(valid()).get("/mcp/sse"), 404, NO_CHALLENGE),
                new Attack("JSON-RPC batch (removed from the protocol)", () -> McpHttp.request(valid())
                        .body("[" + McpHttp.initializeBody() + "," + McpHttp.initializeBody() + "]").post("/mcp"), 400,
                        NO_CHALLENGE),
                new Attack("body that is not a JSON object", () -> McpHttp.request(valid()).body("1").post("/mcp"), 400,
                        NO_CHALLENGE),
                new Attack("truncated JSON", () -> McpHttp.request(valid()).body("{\"jsonrpc\":").post("/mcp"), 400,
                        NO_CHALLENGE))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void refused(Attack attack) {
        Response response = attack.send().get();
        assertEquals(attack.status(), response.statusCode(), attack.name() + ": " + response.asString());
        assertEquals(attack.challenge(), response.header("WWW-Authenticate"), attack.name());
        String body = response.asString();
        assertFalse(body.contains("Exception") || body.contains("io.quarkus") || body.contains("org.jose4j"),
                "internals in body: " + body);
        assertFalse(body.contains("eyJ"), "token echoed in body: " + body);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("RS256", (Supplier<String>) () -> Tokens.keycloak().sign()),
                Arguments.of("PS256", (Supplier<String>) () -> Tokens.keycloak()
                        .signedWith(TestIssuer.RSA, AlgorithmIdentifiers.RSA_PSS_USING_SHA256).sign()),
                Arguments.of("ES256", (Supplier<String>) () -> Tokens.keycloak()
                        .signedWith(TestIssuer.EC, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256).sign()),
                Arguments.of("expired within the 30 s clock skew", (Supplier<String>) () -> Tokens.keycloak()
                        .expiresIn(-10).sign()),
                Arguments.of("audience = configured client id only", (Supplier<String>) () -> Tokens.keycloak()
                        .claim("aud", "mcp-server").sign()),
                Arguments.of("audience = resource URI only", (Supplier<String>) () -> Tokens.keycloak()
                        .claim("aud", Tokens.RESOURCE).sign()));
    }

    /** Controls: the same requests with good tokens pass, so the refusals above are about the defect. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepted(String name, Supplier<String> token) {
        withToken(token.get()).then().statusCode(200).header("Mcp-Session-Id", not(containsString(" ")));
    }

    @Test
    void lowercaseSchemeIsAccepted() {
        withAuthorization("bearer " + valid()).then().statusCode(200);
    }

    @Test
    void noBearerStringReachesTheIntrospectionEndpoint() {
        for (String junk : List.of("2YotnFZFEjr1zCsicMWpAA", "a.b.c", Tokens.keycloak().unsigned(""),
                Tokens.keycloak().signedWith(TestIssuer.ATTACKER, AlgorithmIdentifiers.RSA_USING_SHA256).kid("x").sign())) {
            withToken(junk).then().statusCode(401);
        }
        assertEquals(0, TestIssuer.hits("/introspect"), "the server called the IdP's introspection endpoint");
    }

    @Test
    void challengesAreStable() {
        assertEquals(withToken(null).header("WWW-Authenticate"), withToken(null).header("WWW-Authenticate"));
    }
}
