package org.acme.mcp.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.acme.mcp.support.UntrustedBlocks;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The sandboxed sample tool end to end, and the sandbox in readiness. */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class SortLinesToolTest {

    /** The sorted text, unwrapped from its untrusted-content block, spaces restored. */
    static String call(String token, String session, String args) {
        String wrapped = McpHttp.call(token, session, "tools/call", "{\"name\":\"sort-lines\",\"arguments\":" + args + "}", 2)
                .then().statusCode(200).extract().path("result.content[0].text");
        return UntrustedBlocks.text(wrapped);
    }

    @Test
    void sortsInTheSandbox() {
        String token = Tokens.keycloak().sign();
        String session = McpHttp.initialize(token);
        org.junit.jupiter.api.Assertions.assertEquals("a\nb\nc\n", call(token, session, "{\"text\":\"c\\nb\\na\"}"));
        org.junit.jupiter.api.Assertions.assertEquals("10\n9\n2\n",
                call(token, session, "{\"text\":\"2\\n10\\n9\",\"numeric\":true,\"reverse\":true}"));
        org.junit.jupiter.api.Assertions.assertEquals("x\n", call(token, session, "{\"text\":\"x\\nx\",\"unique\":true}"));
    }

    @Test
    void inputIsDataNeverCommands() {
        String token = Tokens.keycloak().sign();
        String session = McpHttp.initialize(token);
        org.junit.jupiter.api.Assertions.assertEquals("$(id)\n; cat /etc/shadow\n`reboot`\n",
                call(token, session, "{\"text\":\"`reboot`\\n; cat /etc/shadow\\n$(id)\"}"));
    }

    @Test
    void readinessReportsTheSandbox() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("sandbox"))
                .body("checks.find { it.name == 'sandbox' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'sandbox' }.data.mode", equalTo("bubblewrap namespaces + rlimits"));
    }

    @Test
    void anEmptyTextIsFine() {
        String token = Tokens.keycloak().sign();
        String session = McpHttp.initialize(token);
        McpHttp.call(token, session, "tools/call", "{\"name\":\"sort-lines\",\"arguments\":{\"text\":\"\"}}", 3).then()
                .body("result.isError", is(false));
    }
}
