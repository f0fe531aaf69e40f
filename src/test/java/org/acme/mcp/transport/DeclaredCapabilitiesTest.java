package org.acme.mcp.transport;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.util.Map;

import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A server that has prompts declares the capability and serves it; the capabilities it still lacks stay refused
 * (see {@code SessionAndTransportTest} for the template as shipped, which declares neither).
 */
@QuarkusTest
@TestProfile(DeclaredCapabilitiesTest.WithAPrompt.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class DeclaredCapabilitiesTest {

    public static class WithAPrompt implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("test.prompts", "on");
        }
    }

    @Test
    void aDeclaredCapabilityIsServedAndAnUndeclaredOneIsNot() {
        String token = Tokens.keycloak().subject("alice").sign();
        McpHttp.request(token).body(McpHttp.initializeBody()).post("/mcp").then().statusCode(200)
                .body("result.capabilities", hasKey("prompts"))
                .body("result.capabilities", not(hasKey("resources")));
        String session = McpHttp.initialize(token);
        McpHttp.call(token, session, "prompts/list", "{}", 2).then().statusCode(200)
                .body("result.prompts[0].name", equalTo("greeting"));
        McpHttp.call(token, session, "prompts/get", "{\"name\":\"greeting\",\"arguments\":{\"name\":\"Ada\"}}", 3)
                .then().statusCode(200).body("result.messages[0].content.text", equalTo("Hello Ada"));
        McpHttp.call(token, session, "resources/list", "{}", 4).then().statusCode(200)
                .body("error.code", equalTo(-32601));
    }
}
