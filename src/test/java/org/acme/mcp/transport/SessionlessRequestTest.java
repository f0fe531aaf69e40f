package org.acme.mcp.transport;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkiverse.mcp.server.runtime.ConnectionManager;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Only {@code initialize} opens a session: the extension would open one for any other sessionless message, owned by
 * nobody and so outside the per-caller session limit.
 */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class SessionlessRequestTest {

    @Inject
    ConnectionManager connections;

    @Test
    void onlyInitializeMayComeWithoutASession() {
        int before = sessionCount();
        String token = Tokens.keycloak().subject("sessionless").sign();
        for (String sessionless : List.of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")) {
            McpHttp.request(token).body(sessionless).post("/mcp").then()
                    .statusCode(400).header("Mcp-Session-Id", nullValue())
                    .body("error.message", equalTo("MCP-Session-Id required: only initialize starts a session"));
        }
        assertTrue(sessionCount() <= before, "a sessionless request opened a session");
    }

    int sessionCount() {
        int count = 0;
        for (var ignored : connections) {
            count++;
        }
        return count;
    }
}
