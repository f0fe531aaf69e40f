package org.acme.mcp.rbac;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import io.vertx.core.json.JsonObject;

/**
 * Prompts and resources are declared like tools ({@code @RequiresRoles}, {@code @RequiresScopes},
 * {@code @AnyAuthenticatedCaller}) and a caller sees and gets only those it may use; one it may not is answered like
 * one that does not exist, and a capability with nothing the caller may see is not declared to it (−32601).
 */
@QuarkusTest
@TestProfile(FeatureRbacTest.WithPromptsAndResources.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class FeatureRbacTest {

    public static class WithPromptsAndResources implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("test.features", "on");
        }
    }

    // subjects of their own: the test trail outlives a run
    static final String RUN = UUID.randomUUID().toString();
    static final String READER = Tokens.keycloak().subject("reader-" + RUN).sign(); // mcp-reader, scope mcp.read
    static final String ADMIN = Tokens.keycloak().subject("admin-" + RUN).roles("mcp-reader", "mcp-admin")
            .scope("openid mcp.read mcp.write").sign();

    @Test
    void aReaderSeesAndGetsOnlyTheOpenPrompt() {
        McpHttp.request(READER).body(McpHttp.initializeBody()).post("/mcp").then().statusCode(200)
                .body("result.capabilities", hasKey("prompts"))
                .body("result.capabilities", not(hasKey("resources")));
        String session = McpHttp.initialize(READER);
        McpHttp.call(READER, session, "prompts/list", "{}", 2).then().statusCode(200)
                .body("result.prompts.name", contains("greeting"));
        McpHttp.call(READER, session, "prompts/get", "{\"name\":\"greeting\",\"arguments\":{\"name\":\"Ada\"}}", 3)
                .then().statusCode(200).body("result.messages[0].content.text", equalTo("Hello Ada"));
        McpHttp.call(READER, session, "prompts/get", "{\"name\":\"incident-briefing\"}", 4).then().statusCode(200)
                .body("error.code", equalTo(-32602)).body("result", nullValue());
        List<JsonObject> denied = AuditRecords.of("reader-" + RUN, "prompt.get");
        assertEquals(1, denied.size(), denied.toString());
        assertEquals("denied", denied.get(0).getString("outcome"));
        assertEquals("incident-briefing", denied.get(0).getJsonObject("attrs").getString("mcp.prompt.name"));
        for (String method : new String[] { "resources/list", "resources/templates/list", "resources/read" }) {
            McpHttp.call(READER, session, method, "{\"uri\":\"file:///reports/q3.txt\"}", 5).then().statusCode(200)
                    .body("error.code", equalTo(-32601)).body("result", nullValue());
        }
    }

    @Test
    void anAdministratorSeesAndGetsEverything() {
        McpHttp.request(ADMIN).body(McpHttp.initializeBody()).post("/mcp").then().statusCode(200)
                .body("result.capabilities", hasKey("resources"));
        String session = McpHttp.initialize(ADMIN);
        McpHttp.call(ADMIN, session, "prompts/list", "{}", 2).then().statusCode(200)
                .body("result.prompts.name", containsInAnyOrder("greeting", "incident-briefing"));
        McpHttp.call(ADMIN, session, "resources/list", "{}", 3).then().statusCode(200)
                .body("result.resources.name", contains("q3-report"));
        McpHttp.call(ADMIN, session, "resources/read", "{\"uri\":\"file:///reports/q3.txt\"}", 4).then()
                .statusCode(200).body("result.contents[0].text", equalTo("admin-only report"));
        McpHttp.call(ADMIN, session, "resources/read", "{\"uri\":\"file:///notes/7\"}", 5).then()
                .statusCode(200).body("result.contents[0].text", equalTo("note 7"));
    }

    @Test
    void aMissingScopeHidesATemplateFromARoleHolder() {
        String operator = Tokens.keycloak().subject("no-write-" + RUN).roles("mcp-reader", "mcp-admin").sign(); // mcp.read only
        String session = McpHttp.initialize(operator);
        McpHttp.call(operator, session, "resources/templates/list", "{}", 2).then().statusCode(200)
                .body("result.resourceTemplates", org.hamcrest.Matchers.empty());
        McpHttp.call(operator, session, "resources/read", "{\"uri\":\"file:///notes/7\"}", 3).then().statusCode(200)
                .body("result", nullValue()).body("error.code", not(nullValue()));
        assertEquals("denied", AuditRecords.of("no-write-" + RUN, "resource.read").get(0).getString("outcome"));
    }
}
