package org.acme.mcp.rbac;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.acme.mcp.api.AnyAuthenticatedCaller;
import org.acme.mcp.api.RequiresRoles;
import org.acme.mcp.api.RequiresScopes;
import org.acme.mcp.audit.Redaction;
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
 * one that does not exist, and a capability with nothing the caller may see is not declared to it (−32601). Every
 * get and read is audited once: with its outcome, or as refused.
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
                .body("error.code", equalTo(-32602))
                .body("error.message", equalTo("Invalid prompt name: incident-briefing")).body("result", nullValue());
        McpHttp.call(READER, session, "prompts/get", "{\"name\":\"no-such-prompt\"}", 5).then().statusCode(200)
                .body("error.code", equalTo(-32602))
                .body("error.message", equalTo("Invalid prompt name: no-such-prompt"));
        McpHttp.call(READER, session, "prompts/get", "{\"name\":\"greeting\"}", 6).then().statusCode(200)
                .body("error.code", not(nullValue()));
        // every get once: refused (a hidden prompt like an unknown one) or with the outcome of running it
        List<JsonObject> gets = AuditRecords.atLeast(4, "reader-" + RUN, "prompt.get");
        assertEquals(List.of("ok greeting", "denied incident-briefing", "denied no-such-prompt", "error greeting"),
                outcomes(gets, "gen_ai.prompt.name"));
        JsonObject got = gets.get(0).getJsonObject("attrs");
        assertEquals(Redaction.sha256("{\"name\":\"Ada\"}"), got.getString("audit.arguments.sha256"));
        assertEquals("{\"name\":\"Ada\"}", got.getString("audit.arguments.preview"));
        assertEquals("unknown or not permitted", gets.get(1).getJsonObject("attrs").getString("audit.reason"));
        assertNotNull(gets.get(3).getJsonObject("attrs").getString("rpc.response.status_code"));
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
                .body("result.prompts.name",
                        containsInAnyOrder("greeting", "incident-briefing", "7", "greeting_internal"));
        McpHttp.call(ADMIN, session, "resources/list", "{}", 3).then().statusCode(200)
                .body("result.resources.name", contains("q3-report"));
        McpHttp.call(ADMIN, session, "resources/read", "{\"uri\":\"file:///reports/q3.txt\"}", 4).then()
                .statusCode(200).body("result.contents[0].text", equalTo("admin-only report"));
        McpHttp.call(ADMIN, session, "resources/read", "{\"uri\":\"file:///notes/7\"}", 5).then()
                .statusCode(200).body("result.contents[0].text", equalTo("note 7"));
        McpHttp.call(ADMIN, session, "resources/read", "{\"uri\":\"file:///missing?api_key=s3cret&page=2\"}", 6)
                .then().statusCode(200).body("error.code", equalTo(-32002))
                .body("error.message", equalTo("Resource not found: file:///missing?api_key=s3cret&page=2"));
        assertEquals(List.of("ok file:///reports/q3.txt", "ok file:///notes/7",
                "denied file:///missing?api_key=[redacted]&page=2"),
                outcomes(AuditRecords.atLeast(3, "admin-" + RUN, "resource.read"), "mcp.resource.uri"));
    }

    @Test
    void aMissingScopeHidesATemplateFromARoleHolder() {
        String operator = Tokens.keycloak().subject("no-write-" + RUN).roles("mcp-reader", "mcp-admin").sign(); // mcp.read only
        String session = McpHttp.initialize(operator);
        McpHttp.call(operator, session, "resources/templates/list", "{}", 2).then().statusCode(200)
                .body("result.resourceTemplates", org.hamcrest.Matchers.empty());
        McpHttp.call(operator, session, "resources/read", "{\"uri\":\"file:///notes/7\"}", 3).then().statusCode(200)
                .body("result", nullValue()).body("error.code", equalTo(-32002))
                .body("error.message", equalTo("Resource not found: file:///notes/7"));
        assertEquals(List.of("denied file:///notes/7"),
                outcomes(AuditRecords.atLeast(1, "no-write-" + RUN, "resource.read"), "mcp.resource.uri"));
    }

    @Test
    void aHiddenResourceCannotBeSubscribedTo() {
        String writer = Tokens.keycloak().subject("subscriber-" + RUN).scope("openid mcp.read mcp.write").sign();
        String session = McpHttp.initialize(writer); // sees the note template, not the admin report
        McpHttp.call(writer, session, "resources/subscribe", "{\"uri\":\"file:///reports/q3.txt\"}", 2).then()
                .statusCode(200).body("result", nullValue()).body("error.code", equalTo(-32002));
        assertEquals("resources/subscribe", AuditRecords.first("subscriber-" + RUN, "resource.read")
                .getJsonObject("attrs").getString("mcp.method.name"));
    }

    @Test
    void completionsAreAuthorizedAsTheFeatureTheyComplete() {
        String complete = "{\"ref\":%s,\"argument\":{\"name\":\"%s\",\"value\":\"7\"}}";
        String prompt = "{\"type\":\"ref/prompt\",\"name\":\"incident-briefing\"}";
        String template = "{\"type\":\"ref/resource\",\"uri\":\"file:///notes/{id}\"}";
        String reader = McpHttp.initialize(READER);
        McpHttp.call(READER, reader, "completion/complete", complete.formatted(prompt, "incident"), 2).then()
                .statusCode(200).body("error.code", equalTo(-32602)).body("result", nullValue());

        // the extension's own answers for completions that do not exist, which a refusal must look like
        String admin = McpHttp.initialize(ADMIN);
        McpHttp.call(ADMIN, admin, "completion/complete", complete.formatted(prompt, "incident"), 2).then()
                .statusCode(200).body("result.completion.values", contains("INC-admin-only-7"));
        McpHttp.call(ADMIN, admin, "completion/complete", complete.formatted(prompt, "other"), 3).then()
                .statusCode(200).body("error.code", equalTo(-32602))
                .body("error.message", equalTo("Prompt completion does not exist: incident-briefing_other"));
        McpHttp.call(ADMIN, admin, "completion/complete", complete.formatted(template, "other"), 4).then()
                .statusCode(200).body("error.code", equalTo(-32602))
                .body("error.message",
                        equalTo("Resource template completion does not exist: file:///notes/{id}_other"));

        // may complete the template's ids, not the admin prompt's incidents
        String writer = Tokens.keycloak().subject("writer-" + RUN).scope("openid mcp.read mcp.write").sign();
        String writerSession = McpHttp.initialize(writer);
        McpHttp.call(writer, writerSession, "completion/complete", complete.formatted(template, "id"), 2).then()
                .statusCode(200).body("result.completion.values", contains("note-admin-only-7"));
        McpHttp.call(writer, writerSession, "completion/complete", complete.formatted(prompt, "incident"), 3).then()
                .statusCode(200).body("error.code", equalTo(-32602))
                .body("error.message", equalTo("Prompt completion does not exist: incident-briefing_incident"))
                .body("result", nullValue());
        // and the other way round
        String operator = Tokens.keycloak().subject("operator-" + RUN).roles("mcp-reader", "mcp-admin").sign();
        String operatorSession = McpHttp.initialize(operator);
        McpHttp.call(operator, operatorSession, "completion/complete", complete.formatted(prompt, "incident"), 2).then()
                .statusCode(200).body("result.completion.values", contains("INC-admin-only-7"));
        McpHttp.call(operator, operatorSession, "completion/complete", complete.formatted(template, "id"), 3).then()
                .statusCode(200).body("error.code", equalTo(-32602))
                .body("error.message", equalTo("Resource template completion does not exist: file:///notes/{id}_id"))
                .body("result", nullValue());

        // the extension finds completions by "name_argument": greeting's "internal_dept" is greeting_internal's "dept"
        McpHttp.call(writer, writerSession, "completion/complete",
                complete.formatted("{\"type\":\"ref/prompt\",\"name\":\"greeting\"}", "internal_dept"), 4).then()
                .statusCode(200).body("result", nullValue()).body("error.code", equalTo(-32602))
                .body("error.message", equalTo("Prompt completion does not exist: greeting_internal_dept"));

        assertEquals("incident-briefing", AuditRecords.first("writer-" + RUN, "completion.complete")
                .getJsonObject("attrs").getString("gen_ai.prompt.name"));
        assertEquals("file:///notes/{id}", AuditRecords.first("operator-" + RUN, "completion.complete")
                .getJsonObject("attrs").getString("mcp.resource.uri"));
    }

    @Test
    void aTargetThatIsNotAStringIsRefusedNotReadAsText() {
        // the extension reads {"name":7} as the prompt "7", which only administrators may use
        String caller = "typed-" + RUN;
        // sees the open prompt and the note template: both capabilities are declared to it
        String token = Tokens.keycloak().subject(caller).scope("openid mcp.read mcp.write").sign();
        String session = McpHttp.initialize(token);
        McpHttp.call(token, session, "completion/complete",
                "{\"ref\":{\"type\":\"ref/prompt\",\"name\":7},\"argument\":{\"name\":\"part\",\"value\":\"x\"}}", 2)
                .then().statusCode(200).body("result", nullValue()).body("error.code", equalTo(-32602))
                .body("error.message", equalTo("Invalid params: ref.name must be a string"));
        McpHttp.call(token, session, "completion/complete",
                "{\"ref\":{\"type\":\"ref/resource\",\"uri\":\"file:///notes/{id}\"},\"argument\":{\"name\":1}}", 3)
                .then().statusCode(200)
                .body("error.message", equalTo("Invalid params: argument.name must be a string"));
        McpHttp.call(token, session, "prompts/get", "{\"name\":7}", 4).then().statusCode(200)
                .body("result", nullValue()).body("error.message", equalTo("Invalid params: name must be a string"));
        McpHttp.call(token, session, "resources/subscribe", "{\"uri\":[\"file:///reports/q3.txt\"]}", 5).then()
                .statusCode(200).body("result", nullValue())
                .body("error.message", equalTo("Invalid params: uri must be a string"));
        McpHttp.call(token, session, "tools/call", "{\"name\":7,\"arguments\":{}}", 6).then().statusCode(200)
                .body("result", nullValue()).body("error.message", equalTo("Invalid params: name must be a string"));

        List<String> reasons = AuditRecords.all().stream() // refusals are recorded before they are answered
                .filter(r -> caller.equals(r.getJsonObject("attrs").getString("enduser.id")))
                .filter(r -> "denied".equals(r.getString("outcome")))
                .map(r -> r.getString("type") + " " + target(r.getJsonObject("attrs")) + " "
                        + r.getJsonObject("attrs").getString("audit.reason"))
                .toList();
        // the value sent is not recorded (it names no feature and could hold anything), only its JSON type
        assertEquals(List.of("completion.complete <number> malformed: ref.name is not a string",
                "completion.complete file:///notes/{id} malformed: argument.name is not a string",
                "prompt.get <number> malformed: name is not a string",
                "resource.read <array> malformed: uri is not a string",
                "tool.call <number> malformed: name is not a string"), reasons);
    }

    /** What a record names as the feature asked for. */
    private static String target(JsonObject attrs) {
        String prompt = attrs.getString("gen_ai.prompt.name");
        return prompt != null ? prompt : attrs.getString("mcp.resource.uri", attrs.getString("gen_ai.tool.name"));
    }

    /** Each record as its outcome and one attribute, e.g. "denied incident-briefing". */
    private static List<String> outcomes(List<JsonObject> records, String attribute) {
        return records.stream().map(r -> r.getString("outcome") + " " + r.getJsonObject("attrs").getString(attribute))
                .toList();
    }
}
