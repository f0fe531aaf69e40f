package org.acme.mcp.audit;

import static org.hamcrest.Matchers.containsString;

import java.util.Map;

import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The compliance switch: with an unwritable trail, tool calls are refused instead of running unrecorded. */
@QuarkusTest
@TestProfile(AuditRequiredTest.UnwritableTrail.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class AuditRequiredTest {

    public static class UnwritableTrail implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mcp.audit.required", "true", "mcp.audit.trail.directory", "/proc/no-audit-here");
        }
    }

    @Test
    void toolCallsAreRefused() {
        String token = Tokens.keycloak().sign();
        String session = McpHttp.initialize(token);
        McpHttp.call(token, session, "tools/call", "{\"name\":\"whoami\",\"arguments\":{}}", 2).then()
                .statusCode(503)
                .body("error.message", containsString("Audit trail unavailable"));
        McpHttp.call(token, session, "tools/list", "{}", 3).then().statusCode(200);
    }
}
