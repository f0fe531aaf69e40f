package org.acme.mcp.pipeline;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * What the {@link Pipeline} stages know about one request, typed: opened before the first stage, filled in by the stages
 * that learn something (the parsed message, the tool the gate allowed), read by the later ones and by the tool-call
 * interceptors.
 */
public final class McpRequest {

    /** The header naming a 2025-11-25 session. */
    public static final String SESSION_HEADER = "MCP-Session-Id";

    /** Which revision of MCP a request speaks. */
    public enum Era {
        /** 2025-11-25 and earlier: {@code initialize} opens a session that later requests name in a header. */
        SESSIONS
    }

    private static final String KEY = McpRequest.class.getName();

    private final RoutingContext http;
    private final boolean endpoint;
    // read once: most stages ask for them
    private final String sessionId;
    private JsonObject message;
    private String method;
    private String allowedTool;

    private McpRequest(RoutingContext http, boolean endpoint) {
        this.http = http;
        this.endpoint = endpoint;
        this.sessionId = http.request().getHeader(SESSION_HEADER);
    }

    static void open(RoutingContext ctx, String mcpPath) {
        ctx.put(KEY, new McpRequest(ctx, ctx.normalizedPath().equals(mcpPath)));
    }

    /** The context of a request that reached {@link Pipeline.Stage#TRANSPORT}, the first stage. */
    public static McpRequest of(RoutingContext ctx) {
        McpRequest request = ctx.get(KEY);
        if (request == null) {
            throw new IllegalStateException("No McpRequest: the request did not pass the pipeline");
        }
        return request;
    }

    /** The context of the HTTP request being served, or {@code null} outside one (e.g. a tool called in code). */
    public static McpRequest current(CurrentVertxRequest current) {
        RoutingContext ctx = current.getCurrent();
        return ctx == null ? null : ctx.get(KEY);
    }

    /** Whether the request is for the MCP endpoint itself (not metadata, health or another path). */
    public boolean toEndpoint() {
        return endpoint;
    }

    /** Whether it posts a message to the MCP endpoint. */
    public boolean isPost() {
        return endpoint && http.request().method() == HttpMethod.POST;
    }

    public Era era() {
        return Era.SESSIONS;
    }

    /** The identity the request was authenticated with, or {@code null} before authentication and for anonymous ones. */
    public SecurityIdentity caller() {
        return http.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
    }

    /** The session the request names, or {@code null}. */
    public String sessionId() {
        return sessionId;
    }

    /** The JSON-RPC message a {@code POST} carries once {@link Pipeline.Stage#BODY_CHECK} accepted it, else {@code null}. */
    public JsonObject message() {
        return message;
    }

    /** The message's method, or {@code null} (no message, or a response). */
    public String method() {
        return method;
    }

    /** The message's id, or {@code null} (no message, or a notification). */
    public Object id() {
        return message == null ? null : message.getValue("id");
    }

    /** Set by {@link Pipeline.Stage#BODY_CHECK} only. */
    public void accepted(JsonObject message) {
        this.message = message;
        this.method = message.getValue("method") instanceof String m ? m : null;
    }

    /** The tool of a {@code tools/call} once {@link Pipeline.Stage#TOOL_CALL_GATE} allowed it, else {@code null}. */
    public String allowedTool() {
        return allowedTool;
    }

    /** Set by {@link Pipeline.Stage#TOOL_CALL_GATE} only. */
    public void allowTool(String tool) {
        this.allowedTool = tool;
    }
}
