package org.acme.mcp.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.acme.mcp.support.AuditRecords;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * A flood of tokenless requests cannot fill the audit trail: each still gets its 401 and challenge, but only
 * {@code mcp.audit.unattributed-limit} of them are written; the rest are counted. Authenticated callers' records are
 * not affected.
 */
@QuarkusTest
@TestProfile(UnauthenticatedFloodTest.LowLimit.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class UnauthenticatedFloodTest {

    static final int LIMIT = 20;

    public static class LowLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mcp.audit.unattributed-limit", String.valueOf(LIMIT), "mcp.audit.unattributed-period", "1H");
        }
    }

    @Test
    void tokenlessRequestsAreAllRefusedButOnlyABoundedNumberWritten() {
        String path = "/flood-" + UUID.randomUUID();
        for (int i = 0; i < 10 * LIMIT; i++) {
            Response response = McpHttp.request(null).body("{}").post(path);
            assertEquals(401, response.statusCode());
            assertTrue(response.header("WWW-Authenticate").startsWith("Bearer resource_metadata="));
        }
        String subject = "after-flood-" + UUID.randomUUID();
        String token = Tokens.keycloak().subject(subject).sign();
        McpHttp.call(token, McpHttp.initialize(token), "tools/list", "{}", 2).then().statusCode(200);

        List<JsonObject> records = AuditRecords.all();
        long written = records.stream().filter(r -> r.getString("type").equals("auth.failure")
                && path.equals(r.getJsonObject("attrs").getString("url.path"))).count();
        assertTrue(written <= LIMIT, written + " of the flood's records written");
        assertTrue(records.stream().anyMatch(r -> r.getString("type").equals("audit.suppressed")
                && r.getString("outcome").equals("flooding")), "the trail says a flood began");
        assertEquals(1, AuditRecords.atLeast(1, subject, "tools.list").size(), "an authenticated caller's record");
    }
}
