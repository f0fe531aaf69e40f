package org.acme.mcp.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.util.Map;

import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Fail closed: without the configured isolation, sandboxed tools refuse with a clear error; nothing falls back. */
@QuarkusTest
@TestProfile(SandboxUnavailableTest.NoBubblewrap.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class SandboxUnavailableTest {

    public static class NoBubblewrap implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mcp.sandbox.bwrap", "/nonexistent/bwrap");
        }
    }

    @Test
    void sandboxedToolsRefuseAndOthersKeepWorking() {
        String token = Tokens.keycloak().sign();
        String session = McpHttp.initialize(token);
        McpHttp.call(token, session, "tools/call", "{\"name\":\"sort-lines\",\"arguments\":{\"text\":\"b\\na\"}}", 2).then()
                .statusCode(200)
                .body("result.isError", is(true))
                .body("result.content[0].text", containsString("Sandbox unavailable, refusing to run: /nonexistent/bwrap"
                        + " is not installed"));
        McpHttp.call(token, session, "tools/call", "{\"name\":\"time-in-zone\",\"arguments\":{\"zone\":\"UTC\"}}", 3).then()
                .body("result.isError", is(false));
    }

    @Test
    void readinessIsDown() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'sandbox' }.status", equalTo("DOWN"));
    }
}
