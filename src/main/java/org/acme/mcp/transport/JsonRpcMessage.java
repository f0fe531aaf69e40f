package org.acme.mcp.transport;

import java.util.Set;

import io.vertx.core.json.JsonObject;

/**
 * The JSON-RPC 2.0 message kinds MCP allows in a POST, told apart strictly: the extension answers anything it cannot
 * classify with HTTP 200 and an error whose {@code id} is {@code null}, which MCP forbids.
 */
enum JsonRpcMessage {
    REQUEST,
    NOTIFICATION,
    RESPONSE;

    /** Client notifications the MCP extension acts on; any other is accepted and ignored (nothing answers one). */
    static final Set<String> HANDLED_NOTIFICATIONS = Set.of("notifications/initialized", "notifications/cancelled",
            "notifications/roots/list_changed");

    /** The kind of {@code message}, or {@code null} when it is none of them. */
    static JsonRpcMessage kindOf(JsonObject message) {
        if (!"2.0".equals(message.getValue("jsonrpc"))) {
            return null;
        }
        Object method = message.getValue("method");
        if (method != null) {
            if (!(method instanceof String)) {
                return null;
            }
            // MCP: a request id is a string or a number, never null
            return !message.containsKey("id") ? NOTIFICATION : isId(message.getValue("id")) ? REQUEST : null;
        }
        boolean result = message.containsKey("result");
        boolean error = message.containsKey("error");
        if (result == error) {
            return null;
        }
        // an error response may lack an id (the client could not read the server's request)
        return isId(message.getValue("id")) || (error && !message.containsKey("id")) ? RESPONSE : null;
    }

    /**
     * Members of {@code params} that MCP defines as objects; the extension reads them with {@code getJsonObject}, which
     * throws on anything else and answers HTTP 500.
     */
    static final Set<String> OBJECT_PARAMS = Set.of("arguments", "_meta", "ref", "argument", "context",
            "capabilities", "clientInfo");

    /** The first of {@code params} and its {@link #OBJECT_PARAMS} that is present but not an object, or null. */
    static String notAnObject(JsonObject message) {
        Object params = message.getValue("params");
        if (params == null) {
            return null;
        }
        if (!(params instanceof JsonObject members)) {
            return "params";
        }
        for (String name : OBJECT_PARAMS) {
            Object member = members.getValue(name);
            if (member != null && !(member instanceof JsonObject)) {
                return "params." + name;
            }
        }
        return null;
    }

    private static boolean isId(Object id) {
        return id instanceof String || id instanceof Number;
    }
}
