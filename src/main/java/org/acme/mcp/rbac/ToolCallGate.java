package org.acme.mcp.rbac;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.mcp.api.Caller;
import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.identity.CallerClaims;
import org.acme.mcp.pipeline.ErrorResponses;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.pipeline.Pipeline;
import org.acme.mcp.security.BearerChallenge;
import org.jboss.logging.Logger;

import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkiverse.mcp.server.runtime.ConnectionManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Authorizes {@code tools/call} at the HTTP layer, where OAuth answers belong: a missing scope gets 403
 * {@code insufficient_scope}, a too old or weak login gets 401 {@code insufficient_user_authentication} (RFC 9470),
 * each with the parameters a client needs to step up. A tool the caller may not know about (missing role, disabled)
 * is answered exactly like an unknown tool. Allowed calls go on to the MCP endpoint, where {@link RbacToolFilter}
 * checks again.
 */
@ApplicationScoped
@Pipeline.At(Pipeline.Stage.TOOL_CALL_GATE)
public class ToolCallGate implements Pipeline.HttpStage {

    private static final Logger LOG = Logger.getLogger(ToolCallGate.class);
    private static final Set<String> TOOLS_CALL = Set.of("tools/call");

    private final ToolPolicies policies;
    private final ToolVisibility visibility;
    private final CallerClaims claims;
    private final BearerChallenge challenge;
    private final ConnectionManager connections;
    private final AuditLog audit;

    ToolCallGate(ToolPolicies policies, ToolVisibility visibility, CallerClaims claims, BearerChallenge challenge,
            ConnectionManager connections, AuditLog audit) {
        this.policies = policies;
        this.visibility = visibility;
        this.claims = claims;
        this.challenge = challenge;
        this.connections = connections;
        this.audit = audit;
    }

    @Override
    public void handle(RoutingContext ctx) {
        McpRequest request = McpRequest.of(ctx);
        JsonObject call = toServe(request, TOOLS_CALL, connections);
        if (call == null) {
            ctx.next();
            return;
        }
        Object id = call.getValue("id");
        JsonObject params = call.getValue("params") instanceof JsonObject p ? p : null;
        Object name = params == null ? null : params.getValue("name");
        if (name == null) {
            ctx.next(); // malformed call: the extension answers with a JSON-RPC error
            return;
        }
        SecurityIdentity identity = request.caller();
        if (!(name instanceof String tool)) {
            // the extension would read 7 as the tool "7", a name this gate never looked at
            Map<String, String> attrs = AuditAttributes.toolCall(identity, AuditAttributes.jsonType(name), request);
            attrs.put("audit.reason", "malformed: name is not a string");
            audit.record(AuditType.TOOL_CALL, AuditOutcome.DENIED, attrs);
            ErrorResponses.reply(ctx, 200, id, JsonRpcErrorCodes.INVALID_PARAMS,
                    "Invalid params: name must be a string", null);
            return;
        }
        Decision decision = visibility.decide(tool, identity);
        if (decision instanceof Decision.Allowed && audit.acceptsToolCalls()) {
            request.allowTool(tool);
            ctx.next(); // the allowed call is audited when it ends (AuditingMcpTracing)
            return;
        }
        Map<String, String> attrs = AuditAttributes.toolCall(identity, tool, request);
        if (decision instanceof Decision.Allowed) {
            // compliance switch: no call runs unrecorded
            attrs.put("audit.reason", "audit trail unavailable");
            audit.record(AuditType.TOOL_CALL, AuditOutcome.DENIED, attrs);
            ErrorResponses.reply(ctx, 503, id, JsonRpcErrorCodes.INTERNAL_ERROR,
                    "Audit trail unavailable: tool calls are refused until it can be written", null);
        } else if (decision instanceof Decision.MissingScopes missing) {
            attrs.put("audit.reason", "insufficient_scope");
            attrs.put("audit.required_scopes", String.join(" ", new TreeSet<>(missing.required())));
            audit.record(AuditType.TOOL_CALL, AuditOutcome.DENIED, attrs);
            Set<String> scopes = new TreeSet<>(missing.required());
            if (!request.stateless()) {
                // 2025-11-25: keep the caller's relevant grants so that the new token does not lose them. 2026-07-28
                // names what the operation needs, all of it, in one challenge: accumulating grants is the client's job
                claims.of(identity).map(Caller::scopes).orElse(Set.of()).stream()
                        .filter(policies.requiredScopes()::contains).forEach(scopes::add);
            }
            LOG.infof("Scope challenge for tool %s: requires %s", tool, missing.required());
            ErrorResponses.reply(ctx, 403, id, JsonRpcErrorCodes.SECURITY_ERROR,
                    "Insufficient scope: tool " + tool + " requires " + challenge.requestable(missing.required()),
                    challenge.insufficientScope(scopes));
        } else if (decision instanceof Decision.StepUpRequired stepUp) {
            LOG.infof("Step-up required for tool %s", tool);
            attrs.put("audit.reason", "insufficient_user_authentication");
            audit.record(AuditType.TOOL_CALL, AuditOutcome.DENIED, attrs);
            ErrorResponses.reply(ctx, 401, id, JsonRpcErrorCodes.SECURITY_ERROR,
                    "A more recent or stronger authentication is required for tool " + tool,
                    challenge.insufficientUserAuthentication(stepUp.maxAge(), stepUp.acr()));
        } else {
            // Missing role, disabled or unknown: one answer, so that hidden tools cannot be probed
            LOG.debugf("tools/call of a hidden or unknown tool refused");
            attrs.put("audit.reason", "unknown tool or not permitted");
            audit.record(AuditType.TOOL_CALL, AuditOutcome.DENIED, attrs);
            ErrorResponses.reply(ctx, 200, id, JsonRpcErrorCodes.INVALID_PARAMS, "Unknown tool: " + tool, null);
        }
    }

    /**
     * The JSON-RPC request of this exchange (the body check has made sure the body is one JSON object) if it
     * calls one of {@code methods} and will be served: a 2026-07-28 request always, a 2025-11-25 one when it names a
     * live session (the extension answers 404 for the others).
     */
    static JsonObject toServe(McpRequest request, Set<String> methods, ConnectionManager connections) {
        if (!request.isPost() || request.method() == null || !methods.contains(request.method())) {
            return null;
        }
        if (request.stateless()) {
            return request.message();
        }
        String session = request.sessionId();
        return session != null && connections.has(session) ? request.message() : null;
    }
}
