package org.acme.mcp.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.acme.mcp.support.AuditRecords;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.acme.mcp.support.UntrustedBlocks;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/**
 * Prompt Shields enabled against a loopback stub, through {@code /mcp}: its detection blocks a block tool, its failure
 * refuses the call (fail-closed, the default) and is audited, a flag tool runs; a tool returning {@code Uni} on the
 * event loop gets the remote guard on a worker thread and its output marked.
 */
@QuarkusTest
@TestProfile(PromptShieldsEndToEndTest.Shields.class)
class PromptShieldsEndToEndTest {

    public static class Shields implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("test.guard-tools", "on", "mcp.integrity.mode", "warn", // a test-only tool: not in the lockfile
                    "mcp.guard.tools.\"text-stats\".action", "flag");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TestIssuer.class), new TestResourceEntry(PromptShieldsStub.class));
        }
    }

    private static JsonPath call(String token, String session, String tool, String argName, String value) {
        return McpHttp.call(token, session, "tools/call", "{\"name\":\"" + tool + "\",\"arguments\":"
                + new JsonObject().put(argName, value).encode() + "}", 5).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aRemoteDetectionBlocksAndAnOutageRefusesBlockTools() {
        String subject = "eve-" + UUID.randomUUID();
        String token = Tokens.keycloak().subject(subject).sign();
        String session = McpHttp.initialize(token);
        int before = PromptShieldsStub.REQUESTS.get();
        JsonPath ok = call(token, session, "time-in-zone", "zone", "UTC");
        assertFalse(ok.getBoolean("result.isError"), ok.prettify());
        assertTrue(PromptShieldsStub.REQUESTS.get() > before, "the remote guard was asked");
        assertEquals(0, PromptShieldsStub.WITH_TOKEN.get(), "the caller's token was sent to the remote guard");

        JsonPath blocked = call(token, session, "time-in-zone", "zone", "UTC SHIELD-ATTACK");
        assertTrue(blocked.getBoolean("result.isError"));
        assertTrue(blocked.getString("result.content[0].text").contains("prompt-shields:document"), blocked.prettify());

        JsonPath down = call(token, session, "time-in-zone", "zone", "UTC SHIELD-DOWN");
        assertTrue(down.getBoolean("result.isError"));
        assertEquals("Input guard unavailable: the tool was not run; retry later", down.getString("result.content[0].text"));

        List<JsonObject> records = AuditRecords.of(subject, "tool.guard");
        assertEquals(2, records.size(), records.toString());
        assertEquals("prompt-shields", records.get(0).getJsonObject("attrs").getString("audit.guard.names"));
        assertEquals("denied", records.get(1).getString("outcome"));
        assertEquals("prompt-shields: HTTP 500", records.get(1).getJsonObject("attrs").getString("audit.guard.unavailable"));
    }

    @Test
    void anOutageLetsAFlagToolRunAndIsAudited() {
        String subject = "fay-" + UUID.randomUUID();
        String token = Tokens.keycloak().subject(subject).sign();
        String session = McpHttp.initialize(token);
        JsonPath result = call(token, session, "text-stats", "text", "hello SHIELD-DOWN");
        assertFalse(result.getBoolean("result.isError"), result.prettify());
        List<JsonObject> records = AuditRecords.of(subject, "tool.guard");
        assertEquals(1, records.size(), records.toString());
        assertEquals("unavailable", records.get(0).getString("outcome"));
    }

    @Test
    void anAsyncToolIsGuardedOffTheEventLoopAndItsOutputMarked() {
        String token = Tokens.keycloak().subject("gil-" + UUID.randomUUID()).sign();
        String session = McpHttp.initialize(token);
        JsonPath ok = call(token, session, "echo-later", "text", "hi there");
        assertFalse(ok.getBoolean("result.isError"), ok.prettify());
        assertEquals("hi there [event loop]\n", UntrustedBlocks.text(ok.getString("result.content[0].text")),
                "the tool itself still runs on its event loop, after the remote guard ran elsewhere");
        JsonPath blocked = call(token, session, "echo-later", "text", "SHIELD-ATTACK");
        assertTrue(blocked.getBoolean("result.isError"), blocked.prettify());
    }
}
