package org.acme.mcp.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.mcp.support.AuditRecords;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/**
 * A tool that throws, however it runs, answers its caller with a tool error that names a reference and nothing of the
 * exception (MCP: errors that come from a tool are results with {@code isError}); the exception is in the log and the
 * audit trail under that reference. Errors a tool raises on purpose pass through unchanged.
 */
@QuarkusTest
@TestProfile(ToolFailureTest.WithFailingTools.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class ToolFailureTest {

    public static class WithFailingTools implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("test.failing-tools", "on", "mcp.integrity.mode", "warn",
                    "mcp.limits.tools.\"fails-here\".own-thread", "false");
        }
    }

    static final Pattern REFERENCE = Pattern.compile(
            "Tool [a-z-]+ failed unexpectedly\\. Reference for the server's operators: ([0-9a-f-]{36})");

    static final List<LogRecord> LOGGED = new CopyOnWriteArrayList<>();
    static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LOGGED.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void captureLog() {
        java.util.logging.Logger.getLogger(ToolFailureInterceptor.class.getName()).addHandler(CAPTURE);
    }

    @AfterAll
    static void releaseLog() {
        java.util.logging.Logger.getLogger(ToolFailureInterceptor.class.getName()).removeHandler(CAPTURE);
    }

    final String subject = "failing-" + UUID.randomUUID();
    final String token = Tokens.keycloak().subject(subject).sign();

    JsonPath call(String tool) {
        String session = McpHttp.initialize(token);
        String body = McpHttp.call(token, session, "tools/call",
                "{\"name\":\"" + tool + "\",\"arguments\":{\"note\":\"x\"}}", 7).then().statusCode(200).extract().asString();
        assertFalse(body.contains("hunter2"), body);
        assertFalse(body.contains("Exception"), body);
        assertFalse(body.contains("at org.acme"), body);
        return JsonPath.from(body);
    }

    @ParameterizedTest
    @ValueSource(strings = { "fails", "fails-here", "fails-checked", "fails-on-event-loop", "fails-uni",
            "fails-forbidden", "recurses" })
    void anUnexpectedFailureIsAToolErrorWithAReference(String tool) {
        JsonPath answer = call(tool);
        assertEquals(Boolean.TRUE, answer.get("result.isError"), answer.prettify());
        String text = answer.getString("result.content[0].text");
        Matcher m = REFERENCE.matcher(text);
        assertTrue(m.matches(), text);
        String reference = m.group(1);

        // operators find the whole exception under the reference
        LogRecord logged = LOGGED.stream().filter(r -> formatted(r).contains(reference)).findFirst()
                .orElseThrow(() -> new AssertionError("no log record with " + reference));
        assertTrue(formatted(logged).contains(tool), formatted(logged));
        assertTrue(logged.getThrown() != null, "the log record carries the exception");

        List<JsonObject> audited = AuditRecords.of(subject, "tool.failure");
        assertEquals(1, audited.size(), audited.toString());
        JsonObject attrs = audited.get(0).getJsonObject("attrs");
        assertEquals(reference, attrs.getString("audit.reference"));
        assertEquals(tool, attrs.getString("gen_ai.tool.name"));
        assertTrue(attrs.getString("exception.type").contains("Error") || attrs.getString("exception.type")
                .contains("Exception"), attrs.encode());
        assertFalse(audited.get(0).encode().contains("hunter2"), "the message stays in the log only");
        assertEquals("tool_error", AuditRecords.first(subject, "tool.call").getString("outcome"));
    }

    @Test
    void aToolsOwnErrorPassesThroughUnchanged() {
        JsonPath answer = call("refuses");
        assertEquals(Boolean.TRUE, answer.get("result.isError"));
        assertEquals("Nothing to refuse here, as designed", answer.getString("result.content[0].text"));
        assertTrue(AuditRecords.of(subject, "tool.failure").isEmpty());
    }

    @Test
    void aProtocolErrorChosenByTheToolPassesThroughUnchanged() {
        JsonPath answer = call("protocol-error");
        assertEquals(-32602, answer.getInt("error.code"), answer.prettify());
        assertEquals("Invalid cursor, as designed", answer.getString("error.message"));
        assertTrue(AuditRecords.of(subject, "tool.failure").isEmpty());
    }

    /** The message with its parameters, whatever the record's format style. */
    private static String formatted(LogRecord record) {
        return record.getMessage() + " " + java.util.Arrays.toString(record.getParameters());
    }
}
