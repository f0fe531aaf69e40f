package org.acme.mcp.tools;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The model of a tool's test: the running server, called over HTTP as a client would, with a real signed token from
 * the test issuer. Copy it for a new tool and test what the tool does; who may call it and whether its results
 * conform to its schemas are checked for every tool already ({@code RbacMatrixTest}, {@code ToolResultConformanceTest}).
 */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class TimeToolTest {

    static final String CALL = "{\"name\":\"time-in-zone\",\"arguments\":{\"zone\":\"%s\"}}";

    @Test
    void tellsTheTimeInAZone() {
        String token = Tokens.keycloak().subject("time-tool-test").scope("mcp.read").sign();
        String session = McpHttp.initialize(token);
        McpHttp.call(token, session, "tools/call", CALL.formatted("Asia/Kolkata"), 2).then()
                .statusCode(200)
                .body("result.isError", equalTo(false))
                .body("result.structuredContent.zone", equalTo("Asia/Kolkata"))
                .body("result.structuredContent.utcOffset", equalTo("+05:30"));
    }

    @Test
    void anUnknownZoneIsAToolErrorTheCallerCanRead() {
        String token = Tokens.keycloak().subject("time-tool-test").scope("mcp.read").sign();
        String session = McpHttp.initialize(token);
        McpHttp.call(token, session, "tools/call", CALL.formatted("Mars/Olympus"), 2).then()
                .statusCode(200)
                .body("result.isError", equalTo(true))
                .body("result.content[0].text", startsWith("Unknown time zone."));
    }
}
