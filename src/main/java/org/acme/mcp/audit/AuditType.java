package org.acme.mcp.audit;

/**
 * Every kind of audit record this server writes, with the outcomes it takes. The {@link #wireName()} is what the
 * trail, the OpenTelemetry log record ({@code event.name = mcp.audit.<wire name>}) and the metrics carry: a contract
 * with whoever reads them, so a name never changes.
 */
public enum AuditType {

    /** A token was accepted ({@code allowed}), once per verified token. */
    AUTH_SUCCESS("auth.success"),
    /** A request without a valid token ({@code denied}): missing, expired, forged, foreign, revoked; or the IdP down. */
    AUTH_FAILURE("auth.failure"),
    /** A request refused by the transport checks ({@code denied}): Origin, Host, token placement, protocol version. */
    SECURITY_TRANSPORT("security.transport"),
    /** A body refused by the body check ({@code denied}): not UTF-8, too deep, not one JSON-RPC message, … */
    SECURITY_INPUT("security.input"),
    /** A request over the caller's request budget ({@code denied}), once per run of refusals. */
    MCP_REQUEST("mcp.request"),
    /** A request of a blocked subject or client ({@code denied}). */
    INCIDENT_BLOCKED("incident.blocked"),
    /** A kill-switch change ({@code ok}, {@code error} when it could not be persisted, {@code denied}). */
    INCIDENT_CHANGE("incident.change"),
    /** A session opened ({@code ok}). */
    SESSION_CREATED("session.created"),
    /** A session refused ({@code denied}): foreign or unknown id, too many sessions or streams. */
    SESSION_REJECTED("session.rejected"),
    /** A session ended ({@code ok}): its client sent DELETE, or an administrator ended it. */
    SESSION_ENDED("session.ended"),
    /** A {@code tools/list} ({@code ok}, {@code error}). */
    TOOLS_LIST("tools.list"),
    /**
     * A {@code tools/call}: executed ({@code ok}, {@code tool_error}, {@code error}), answered {@code input_required},
     * or refused ({@code denied}).
     */
    TOOL_CALL("tool.call"),
    /** The input guard's verdict on a call: {@code flagged}, {@code unavailable} (ran anyway), {@code denied}. */
    TOOL_GUARD("tool.guard"),
    /** A call that did not end within its timeout ({@code error}). */
    TOOL_TIMEOUT("tool.timeout"),
    /** An exception a tool did not mean to raise ({@code error}), under the reference its caller was given. */
    TOOL_FAILURE("tool.failure"),
    /** The tool definitions at start-up: {@code approved} into the lockfile, or not the reviewed ones. */
    TOOL_DEFINITIONS("tool.definitions"),
    /** A tool registered at runtime whose definition was never reviewed ({@code denied} or {@code flagged}). */
    TOOL_DEFINITION("tool.definition"),
    /** A {@code prompts/get}: executed ({@code ok}, {@code error}) or refused ({@code denied}). */
    PROMPT_GET("prompt.get"),
    /** A {@code resources/read} or subscription: executed ({@code ok}, {@code error}) or refused ({@code denied}). */
    RESOURCE_READ("resource.read"),
    /** A {@code completion/complete} refused ({@code denied}). */
    COMPLETION_COMPLETE("completion.complete"),
    /**
     * A call that needs a person's approval: asked for ({@code input_required}), decided on the page ({@code approved},
     * {@code denied}), used by the retry ({@code ok}), or refused (another user, used already, gone: {@code denied}).
     */
    APPROVAL("approval"),
    /** A {@code requestState} refused: not sealed here, changed, expired, replayed, or for another caller or request. */
    REQUEST_STATE("request.state"),
    /** A sandboxed program's run ({@code ok}, {@code error}) or its refusal before it started ({@code denied}). */
    SANDBOX_RUN("sandbox.run"),
    /**
     * The fleet's shared control plane (Redis) became unreachable ({@code error}: last known blocks stay, changes are
     * refused, budgets are per replica) or reachable again ({@code ok}).
     */
    FLEET_STATE("fleet.state"),
    /** Records left out during a flood of unattributed events ({@code flooding} when it begins, then {@code counted}). */
    AUDIT_SUPPRESSED("audit.suppressed");

    private final String wireName;

    AuditType(String wireName) {
        this.wireName = wireName;
    }

    /** The name records carry, e.g. {@code tool.call}. */
    public String wireName() {
        return wireName;
    }
}
