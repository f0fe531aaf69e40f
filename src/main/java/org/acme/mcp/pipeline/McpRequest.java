package org.acme.mcp.pipeline;

import java.util.List;

import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkiverse.mcp.server.McpException;
import io.quarkus.arc.Arc;
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

    /**
     * Where a person approves a tool call in a browser ({@code approval.ApprovalPage}): signed in with cookies of the
     * code flow, never with a bearer token, and posting a form.
     */
    public static final String APPROVAL_PAGE = "/approvals/";

    /** The header naming a 2025-11-25 session. */
    public static final String SESSION_HEADER = "MCP-Session-Id";

    /** The header naming the protocol revision a request speaks. */
    public static final String VERSION_HEADER = "MCP-Protocol-Version";

    /** The {@code _meta} key by which a 2026-07-28 request names its revision. */
    public static final String VERSION_META = "io.modelcontextprotocol/protocolVersion";

    /** The {@code _meta} key by which a 2026-07-28 request declares what its client can do. */
    public static final String CAPABILITIES_META = "io.modelcontextprotocol/clientCapabilities";

    /** Which revision of MCP a request speaks; both are served on the one endpoint. */
    public enum Era {
        /**
         * 2025-11-25 and earlier: {@code initialize} opens a session that later requests name in a header; served by
         * the extension.
         */
        SESSIONS(List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05")),
        /**
         * 2026-07-28: every request stands alone and declares its revision in {@code _meta} and in
         * {@value #VERSION_HEADER}; served by {@code stateless.StatelessDispatch}.
         */
        STATELESS(List.of("2026-07-28"));

        /** The revisions of this era the server speaks, newest first. */
        public final List<String> versions;

        Era(List<String> versions) {
            this.versions = versions;
        }

        /**
         * The era a request belongs to by its {@value #VERSION_HEADER} alone: none or a session-era revision is
         * {@link #SESSIONS} (the body may still say otherwise); any other value can only be a stateless request,
         * valid or not.
         */
        static Era ofHeader(String version) {
            return version == null || SESSIONS.versions.contains(version) ? SESSIONS : STATELESS;
        }

        /** The era of a revision this server speaks, or {@code null} for one it does not. */
        public static Era of(String version) {
            for (Era era : values()) {
                if (era.versions.contains(version)) {
                    return era;
                }
            }
            return null;
        }
    }

    /**
     * What the retry of a request answered {@code input_required} brought (2026-07-28): the client's answers, an object
     * whose members are objects (empty when it sent none), and what the server sealed into its previous answer,
     * verified: the feature's state, the approval the call waits for, and whether that approval was already used by
     * this chain of round trips ({@code null}, {@code null}, false on a first call).
     */
    public record RoundTrip(JsonObject responses, String state, String approval, boolean approvalUsed) {

        /** A first call: no answers, no state. */
        public static final RoundTrip NONE = new RoundTrip(new JsonObject(), null, null, false);

        /** This round trip, its approval now used. */
        public RoundTrip withApprovalUsed() {
            return new RoundTrip(responses, state, approval, true);
        }
    }

    /**
     * An answer decided in place of the extension's: a JSON-RPC {@code result} or {@code error} (exactly one), sent with
     * {@code status}.
     */
    public record Answer(int status, JsonObject result, JsonObject error) {
    }

    private static final String KEY = McpRequest.class.getName();

    private final RoutingContext http;
    private final boolean endpoint;
    // read once: most stages ask for them
    private final String sessionId;
    private final String version;
    private Era era;
    private JsonObject message;
    private String method;
    private String allowedTool;
    private RoundTrip roundTrip = RoundTrip.NONE;
    private volatile Answer answerInstead;

    private McpRequest(RoutingContext http, boolean endpoint) {
        this.http = http;
        this.endpoint = endpoint;
        this.version = http.request().getHeader(VERSION_HEADER);
        this.era = Era.ofHeader(version);
        // a stateless request names no session: a session header on one is ignored, never looked up
        this.sessionId = era == Era.SESSIONS ? http.request().getHeader(SESSION_HEADER) : null;
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

    /**
     * The context of the HTTP request being served, or {@code null} outside one (e.g. a tool called in code, or no
     * request context active).
     */
    public static McpRequest current(CurrentVertxRequest current) {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        RoutingContext ctx = current.getCurrent();
        return ctx == null ? null : ctx.get(KEY);
    }

    /** Whether the request is for the MCP endpoint itself (not metadata, health or another path). */
    public boolean toEndpoint() {
        return endpoint;
    }

    /** Whether the request is for the approval page ({@value #APPROVAL_PAGE}). */
    public boolean toApprovalPage() {
        return http.normalizedPath().startsWith(APPROVAL_PAGE);
    }

    /** Whether it posts a message to the MCP endpoint. */
    public boolean isPost() {
        return endpoint && http.request().method() == HttpMethod.POST;
    }

    /**
     * The request's era: from {@value #VERSION_HEADER} until {@link Pipeline.Stage#BODY_CHECK} has read the body,
     * whose {@code _meta} protocol version also makes it {@link Era#STATELESS}.
     */
    public Era era() {
        return era;
    }

    /** Whether it is served per 2026-07-28, statelessly. */
    public boolean stateless() {
        return era == Era.STATELESS;
    }

    /**
     * The protocol revision the request speaks, as it says (so possibly one this server does not speak): its
     * {@code _meta} version once the body is read (2026-07-28), else {@value #VERSION_HEADER}, else the version an
     * {@code initialize} asks for; {@code null} when it names none.
     */
    public String protocolVersion() {
        if (message != null && message.getValue("params") instanceof JsonObject params) {
            if (params.getValue("_meta") instanceof JsonObject meta && meta.getValue(VERSION_META) instanceof String v) {
                return v;
            }
            if (version == null && "initialize".equals(method) && params.getValue("protocolVersion") instanceof String v) {
                return v;
            }
        }
        return version;
    }

    /**
     * What the client of a 2026-07-28 request declared it can do ({@value #CAPABILITIES_META}), once
     * {@link Pipeline.Stage#STATELESS_CHECK} accepted it; empty for other requests.
     */
    public JsonObject clientCapabilities() {
        if (stateless() && message != null && message.getValue("params") instanceof JsonObject params
                && params.getValue("_meta") instanceof JsonObject meta
                && meta.getValue(CAPABILITIES_META) instanceof JsonObject capabilities) {
            return capabilities;
        }
        return new JsonObject();
    }

    /** The {@value #VERSION_HEADER} header, or {@code null}. */
    public String versionHeader() {
        return version;
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

    /**
     * Set by {@link Pipeline.Stage#BODY_CHECK} only: the message, and whether the request is a 2026-07-28 one (by its
     * header, or by its {@code _meta} whatever the header says).
     */
    public void accepted(JsonObject message, boolean stateless) {
        this.message = message;
        this.method = message.getValue("method") instanceof String m ? m : null;
        if (stateless) {
            this.era = Era.STATELESS;
        }
    }

    /** The tool of a {@code tools/call} once {@link Pipeline.Stage#TOOL_CALL_GATE} allowed it, else {@code null}. */
    public String allowedTool() {
        return allowedTool;
    }

    /** Set by {@link Pipeline.Stage#TOOL_CALL_GATE} only. */
    public void allowTool(String tool) {
        this.allowedTool = tool;
    }

    /** What this request brought back for an earlier {@code input_required}; {@link RoundTrip#NONE} on a first call. */
    public RoundTrip roundTrip() {
        return roundTrip;
    }

    /** Set by {@link Pipeline.Stage#REQUEST_STATE} only, once it verified what the request brought. */
    public void roundTrip(RoundTrip roundTrip) {
        this.roundTrip = roundTrip;
    }

    /** The answer that replaces the extension's, or {@code null}. */
    public Answer answerInstead() {
        return answerInstead;
    }

    /**
     * Records the answer the caller gets instead of the extension's: decided by a stage (the request is then answered
     * without running anything), or inside a feature's execution, which then throws {@link #answeredInstead()}.
     */
    public void answerInstead(Answer answer) {
        this.answerInstead = answer;
    }

    /**
     * The exception that ends a feature's execution once {@link #answerInstead(Answer)} decided the answer: the
     * extension answers the request with an error, which the response replaces. Should it ever not be replaced, the
     * caller gets that error, an internal one: nothing runs, nothing leaks.
     */
    public static McpException answeredInstead() {
        return new McpException("Internal error", JsonRpcErrorCodes.INTERNAL_ERROR);
    }
}
