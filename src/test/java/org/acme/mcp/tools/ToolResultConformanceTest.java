package org.acme.mcp.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.acme.mcp.support.SdkClients;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every tool of the template, listed and called by the official SDK as an admin, against the tool rules of MCP
 * 2025-11-25: input and output schemas are valid JSON Schema (2020-12), structured content conforms to the output
 * schema (MUST), and a structured result also carries its JSON as a text block (SHOULD; {@code content} is required
 * by the schema, and clients without structured-content support read only that).
 */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class ToolResultConformanceTest {

    /** A harmless call of each tool, in order (engage before release); a tool missing here fails the test. */
    static final Map<String, Map<String, Object>> SAMPLE_CALLS = new LinkedHashMap<>();
    static {
        SAMPLE_CALLS.put("whoami", Map.of());
        SAMPLE_CALLS.put("time-in-zone", Map.of("zone", "Europe/Paris"));
        SAMPLE_CALLS.put("text-stats", Map.of("text", "to be or not to be"));
        SAMPLE_CALLS.put("sort-lines", Map.of("text", "pear\napple\n"));
        SAMPLE_CALLS.put("session-stats", Map.of());
        SAMPLE_CALLS.put("end-user-sessions", Map.of("subject", "conformance-nobody"));
        SAMPLE_CALLS.put("kill-switch-status", Map.of());
        Map<String, Object> block = Map.of("kind", "subject", "target", "conformance-nobody", "reason", "conformance");
        SAMPLE_CALLS.put("kill-switch-engage", block);
        SAMPLE_CALLS.put("kill-switch-release", block);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaValidator SCHEMAS = new DefaultJsonSchemaValidator();

    @TestHTTPResource("/")
    java.net.URL base;

    private McpSyncClient admin() {
        String url = base.toString().replaceAll("/$", "");
        McpSyncClient client = SdkClients.connect(url, Tokens.keycloak().subject("conformance-admin")
                .roles("mcp-reader", "mcp-operator", "mcp-admin").scope("mcp.read mcp.write mcp.admin")
                .authenticatedAgo(10).sign());
        client.initialize();
        return client;
    }

    @Test
    void everyToolDeclaresValidSchemas() {
        try (McpSyncClient client = admin()) {
            List<McpSchema.Tool> tools = client.listTools().tools();
            assertEquals(new TreeSet<>(SAMPLE_CALLS.keySet()),
                    new TreeSet<>(tools.stream().map(McpSchema.Tool::name).toList()), "a sample call per tool");
            for (McpSchema.Tool tool : tools) {
                Map<String, Object> input = JSON.convertValue(tool.inputSchema(), new TypeReference<>() {
                });
                assertEquals("object", input.get("type"), tool.name());
                assertValidSchema(tool.name() + " inputSchema", input);
                if (tool.outputSchema() != null) {
                    assertEquals("object", tool.outputSchema().get("type"), tool.name());
                    assertValidSchema(tool.name() + " outputSchema", tool.outputSchema());
                }
            }
        }
    }

    @Test
    void structuredResultsConformToTheirOutputSchemaAndCarryTheirJsonAsText() throws Exception {
        try (McpSyncClient client = admin()) {
            Map<String, McpSchema.Tool> tools = new LinkedHashMap<>();
            client.listTools().tools().forEach(t -> tools.put(t.name(), t));
            int structured = 0;
            for (var call : SAMPLE_CALLS.entrySet()) {
                McpSchema.Tool tool = tools.get(call.getKey());
                McpSchema.CallToolResult result = client.callTool(
                        new McpSchema.CallToolRequest(call.getKey(), call.getValue()));
                assertFalse(Boolean.TRUE.equals(result.isError()), call.getKey() + ": " + result.content());
                assertFalse(result.content() == null || result.content().isEmpty(), call.getKey() + ": no content");
                if (tool.outputSchema() == null) {
                    continue;
                }
                structured++;
                assertNotNull(result.structuredContent(), call.getKey() + " declares an outputSchema");
                var verdict = SCHEMAS.validate(tool.outputSchema(), result.structuredContent());
                assertTrue(verdict.valid(), call.getKey() + ": " + verdict.errorMessage());
                McpSchema.TextContent text = assertInstanceOf(McpSchema.TextContent.class, result.content().get(0),
                        call.getKey());
                assertEquals(JSON.valueToTree(result.structuredContent()), JSON.readTree(text.text()), call.getKey());
            }
            assertEquals(8, structured, "tools with structured results");
        }
    }

    private static void assertValidSchema(String what, Map<String, Object> schema) {
        var verdict = SCHEMAS.validateSchema(schema);
        assertTrue(verdict.valid(), what + ": " + verdict.errorMessage());
    }
}
