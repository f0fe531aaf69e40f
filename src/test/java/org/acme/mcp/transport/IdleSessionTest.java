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

/** Sessions expire when idle: afterwards their id is answered 404, like any unknown one. */
@QuarkusTest
@TestProfile(IdleSessionTest.ShortIdleTimeout.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class IdleSessionTest {

    public static class ShortIdleTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.mcp.server.connection-idle-timeout", "2S");
        }
    }

    @Test
    void anIdleSessionExpires() throws InterruptedException {
        String token = Tokens.keycloak().sign();
        String session = McpHttp.initialize(token);
        McpHttp.call(token, session, "tools/list", "{}", 2).then().statusCode(200);
        Thread.sleep(3_500);
        McpHttp.call(token, session, "tools/list", "{}", 3).then().statusCode(404);
    }
}
