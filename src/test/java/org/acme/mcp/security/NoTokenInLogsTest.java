package org.acme.mcp.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With security logging at DEBUG, no token (nor its signature) reaches the log, whatever the outcome. */
@QuarkusTest
@TestProfile(NoTokenInLogsTest.DebugLogging.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class NoTokenInLogsTest {

    static final Path LOG = Path.of("target", "token-leak-test.log");

    public static class DebugLogging implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG.toString(),
                    "quarkus.log.file.level", "DEBUG",
                    "quarkus.log.category.\"org.acme\".level", "DEBUG",
                    "quarkus.log.category.\"io.quarkus.oidc\".level", "DEBUG",
                    "quarkus.log.category.\"io.quarkus.security\".level", "DEBUG",
                    "quarkus.log.category.\"io.quarkiverse.mcp\".level", "DEBUG");
        }
    }

    @Test
    void tokensNeverReachTheLog() throws Exception {
        List<String> tokens = List.of(
                Tokens.keycloak().subject("log-alice").sign(),
                Tokens.keycloak().expiresIn(-600).sign(),
                Tokens.keycloak().claim("aud", "other").sign(),
                Tokens.keycloak().signedWith(TestIssuer.ATTACKER, AlgorithmIdentifiers.RSA_USING_SHA256).sign(),
                Tokens.keycloak().signHmacWithPublicKey(),
                Tokens.keycloak().unsigned("c2ln"));
        String valid = tokens.get(0);
        String session = McpHttp.initialize(valid);
        McpHttp.call(valid, session, "tools/call", "{\"name\":\"whoami\",\"arguments\":{}}", 2).then().statusCode(200);
        McpHttp.call(Tokens.keycloak().subject("log-bob").sign(), session, "tools/list", "{}", 3).then().statusCode(404);
        for (String token : tokens.subList(1, tokens.size())) {
            McpHttp.request(token).body(McpHttp.initializeBody()).post("/mcp").then().statusCode(401);
        }
        McpHttp.request(null).queryParam("access_token", valid).body(McpHttp.initializeBody()).post("/mcp").then()
                .statusCode(400);

        String log = Files.readString(LOG);
        assertTrue(log.contains("rejected") || log.contains("refused"), "security events are logged at all");
        for (String token : tokens) {
            String[] parts = token.split("\\.");
            assertFalse(log.contains(token), "a whole token is in the log");
            if (parts.length == 3 && !parts[2].isEmpty()) {
                assertFalse(log.contains(parts[2]), "a token signature is in the log");
            }
            assertFalse(log.contains(parts[0] + "." + parts[1]), "a signed token part is in the log");
        }
    }
}
