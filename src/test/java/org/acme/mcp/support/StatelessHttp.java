package org.acme.mcp.support;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

/** Raw 2026-07-28 requests to {@code /mcp}: headers and {@code _meta} as a conforming client sends them. */
public final class StatelessHttp {

    public static final String PROTOCOL = "2026-07-28";

    private StatelessHttp() {
    }

    /** The {@code _meta} of a conforming request. */
    public static JsonObject meta() {
        return new JsonObject()
                .put("io.modelcontextprotocol/protocolVersion", PROTOCOL)
                .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())
                .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "test").put("version", "1"));
    }

    /** A request body with {@code params} (which gets the conforming {@code _meta} unless it has one). */
    public static String body(int id, String method, JsonObject params) {
        JsonObject p = params == null ? new JsonObject() : params.copy();
        if (!p.containsKey("_meta")) {
            p.put("_meta", meta());
        }
        return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method).put("params", p).encode();
    }

    /** The conforming headers for {@code method}, without {@code Mcp-Name}. */
    public static RequestSpecification request(String token, String method) {
        RequestSpecification spec = given()
                .contentType("application/json")
                .accept("application/json, text/event-stream")
                .header("MCP-Protocol-Version", PROTOCOL)
                .header("Mcp-Method", method);
        return token == null ? spec : spec.header("Authorization", "Bearer " + token);
    }

    /** A conforming request of {@code method} with {@code params}; {@code Mcp-Name} set from them where required. */
    public static Response send(String token, int id, String method, JsonObject params) {
        RequestSpecification spec = request(token, method);
        String name = params == null ? null
                : method.equals("resources/read") ? params.getString("uri") : params.getString("name");
        if (name != null) {
            spec.header("Mcp-Name", name);
        }
        return spec.body(body(id, method, params)).post("/mcp");
    }

    public static Response call(String token, int id, String tool, JsonObject arguments) {
        return send(token, id, "tools/call", new JsonObject().put("name", tool).put("arguments", arguments));
    }
}
