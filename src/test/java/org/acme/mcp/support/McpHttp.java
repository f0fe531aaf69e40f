package org.acme.mcp.support;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Raw Streamable HTTP requests to {@code /mcp}, for tests that need to see statuses and headers. */
public final class McpHttp {

    public static final String PROTOCOL = "2025-11-25";

    private McpHttp() {
    }

    public static RequestSpecification request(String token) {
        RequestSpecification spec = given()
                .contentType("application/json")
                .accept("application/json, text/event-stream");
        return token == null ? spec : spec.header("Authorization", "Bearer " + token);
    }

    public static String initializeBody() {
        return """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"%s","capabilities":{},
                 "clientInfo":{"name":"test","version":"1"}}}""".formatted(PROTOCOL);
    }

    /** Initializes a session for the token's caller and returns its id. */
    public static String initialize(String token) {
        Response response = request(token).body(initializeBody()).post("/mcp");
        if (response.statusCode() != 200) {
            throw new AssertionError("initialize failed: " + response.statusCode() + " " + response.asString());
        }
        String session = response.header("Mcp-Session-Id");
        request(token).header("Mcp-Session-Id", session).header("MCP-Protocol-Version", PROTOCOL)
                .body("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").post("/mcp")
                .then().statusCode(202);
        return session;
    }

    public static Response call(String token, String session, String method, String paramsJson, int id) {
        return request(token).header("Mcp-Session-Id", session).header("MCP-Protocol-Version", PROTOCOL)
                .body("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}")
                .post("/mcp");
    }
}
