package org.acme.mcp.transport;

import java.util.Map;

import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** One caller cannot make the server hold unbounded sessions; other callers are not affected. */
@QuarkusTest
@TestProfile(SessionLimitTest.TwoSessions.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class SessionLimitTest {

    public static class TwoSessions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mcp.security.transport.max-sessions-per-caller", "2");
        }
    }

    @Test
    void aCallerGetsAtMostTheConfiguredNumberOfSessions() {
        String alice = Tokens.keycloak().subject("limited-alice").sign();
        String first = McpHttp.initialize(alice);
        McpHttp.initialize(Tokens.keycloak().subject("limited-alice").sign()); // a new token of the same caller counts
        McpHttp.request(alice).body(McpHttp.initializeBody()).post("/mcp").then()
                .statusCode(429).header("Retry-After", "60");
        McpHttp.initialize(Tokens.keycloak().subject("limited-bob").sign()); // others are not affected
        McpHttp.request(alice).header("Mcp-Session-Id", first).delete("/mcp");
        McpHttp.initialize(alice); // a freed slot can be used again
    }
}
