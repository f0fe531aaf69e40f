package org.acme.mcp.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With the identity provider unreachable the server fails closed (503, nothing served) and says so in readiness. */
@QuarkusTest
@TestProfile(IdentityProviderDownTest.UnreachableIssuer.class)
class IdentityProviderDownTest {

    public static class UnreachableIssuer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.auth-server-url", "http://127.0.0.1:9/realms/gone",
                    "quarkus.oidc.token.issuer", "http://127.0.0.1:9/realms/gone",
                    "quarkus.oidc.connection-delay", "0S");
        }
    }

    @Test
    void readinessIsDownAndTokensAreRefused() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'OIDC Provider Health Check' }.status", equalTo("DOWN"));
        McpHttp.request(Tokens.keycloak().claim("iss", "http://127.0.0.1:9/realms/gone").sign())
                .body(McpHttp.initializeBody()).post("/mcp").then().statusCode(503)
                .header("Retry-After", "5")
                .body("error.message", equalTo("Identity provider unavailable, retry later"));
        McpHttp.request(null).body(McpHttp.initializeBody()).post("/mcp").then().statusCode(401);
        given().get("/q/health/live").then().statusCode(200);
    }
}
