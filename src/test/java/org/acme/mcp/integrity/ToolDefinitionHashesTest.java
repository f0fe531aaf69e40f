package org.acme.mcp.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.acme.mcp.support.AuditRecords;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.quarkiverse.mcp.server.ToolManager;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Clients can pin tool definitions: {@code initialize} tells each caller the reviewed hash of every tool it may see
 * (and only those), and a client recomputing the hash from {@code tools/list} gets the same value. A tool registered
 * at runtime without review is hidden and audited.
 */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class ToolDefinitionHashesTest {

    @Inject
    ToolManager tools;

    @Test
    void aReaderIsToldTheHashOfEachToolItSeesAndNoOther() throws Exception {
        String token = Tokens.keycloak().subject("hash-reader").sign();
        assertPinnedHashesMatchTheListedTools(token, false);
    }

    @Test
    void anAdministratorIsToldTheAdministrationToolsToo() throws Exception {
        String token = Tokens.keycloak().subject("hash-admin").roles("mcp-reader", "mcp-operator", "mcp-admin")
                .scope("mcp.read mcp.admin").authenticatedAgo(10).sign();
        assertPinnedHashesMatchTheListedTools(token, true);
    }

    @Test
    void aToolRegisteredAtRuntimeWithoutReviewIsHiddenAndAudited() {
        String name = "late-" + Long.toHexString(System.nanoTime()); // the trail outlives one test run
        tools.newTool(name).setDescription("Registered after start-up.")
                .setHandler(args -> ToolResponse.success("late")).register();
        try {
            String token = Tokens.keycloak().subject("hash-late").roles("mcp-reader", "mcp-operator", "mcp-admin")
                    .scope("mcp.read mcp.admin").authenticatedAgo(10).sign();
            String session = McpHttp.initialize(token);
            List<String> listed = listedTools(token, session).stream().map(t -> ((JsonObject) t).getString("name")).toList();
            assertFalse(listed.contains(name), listed.toString());
            assertTrue(listed.contains("whoami"), listed.toString());
            List<JsonObject> records = AuditRecords.all().stream()
                    .filter(r -> "tool.definition".equals(r.getString("type"))
                            && name.equals(r.getJsonObject("attrs").getString("gen_ai.tool.name")))
                    .toList();
            assertEquals(1, records.size(), records.toString());
            assertEquals("denied", records.get(0).getString("outcome"));
        } finally {
            tools.removeTool(name);
        }
    }

    private void assertPinnedHashesMatchTheListedTools(String token, boolean admin) throws Exception {
        Response init = McpHttp.request(token).body(McpHttp.initializeBody()).post("/mcp");
        init.then().statusCode(200);
        JsonObject meta = new JsonObject(init.asString()).getJsonObject("result").getJsonObject("_meta")
                .getJsonObject("org.acme/tool-definitions");
        Map<String, Object> pinned = meta.getJsonObject("sha256").getMap();

        String session = init.header("Mcp-Session-Id");
        McpHttp.request(token).header("Mcp-Session-Id", session).header("MCP-Protocol-Version", McpHttp.PROTOCOL)
                .body("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").post("/mcp").then().statusCode(202);
        Map<String, String> recomputed = new TreeMap<>();
        for (Object tool : listedTools(token, session)) {
            JsonObject definition = (JsonObject) tool;
            recomputed.put(definition.getString("name"), clientSideHash(definition));
        }
        assertEquals(recomputed, new TreeMap<>(pinned));
        assertEquals(admin, pinned.containsKey("end-user-sessions"), pinned.keySet().toString());
        assertTrue(pinned.containsKey("whoami"), pinned.keySet().toString());
    }

    private static JsonArray listedTools(String token, String session) {
        Response list = McpHttp.call(token, session, "tools/list", "{}", 2);
        list.then().statusCode(200);
        return new JsonObject(list.asString()).getJsonObject("result").getJsonArray("tools");
    }

    /** What a client would do, with its own JSON library: sorted keys, no whitespace, UTF-8, SHA-256. */
    private static String clientSideHash(JsonObject definition) throws Exception {
        ObjectMapper mapper = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        Object tree = mapper.readValue(definition.encode(), Object.class);
        byte[] canonical = mapper.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    }
}
