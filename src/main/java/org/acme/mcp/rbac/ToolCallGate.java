package org.acme.mcp.rbac;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.rbac.CallerClaims.Caller;
import org.acme.mcp.security.BearerChallenge;
import org.acme.mcp.security.BenchmarkMode;
import org.acme.mcp.security.CallerIdentity;
import org.acme.mcp.transport.ErrorResponses;
import org.acme.mcp.transport.RequestBodyGuard;
import org.acme.mcp.transport.SessionBinding;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkiverse.mcp.server.runtime.ConnectionManager;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpMethod;
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
public class ToolCallGate {

    /** After the body is read and vetted (40), before the MCP endpoint. */
    static final int PRIORITY = 35;

    private static final Logger LOG = Logger.getLogger(ToolCallGate.class);
    private static final Set<String> TOOLS_CALL = Set.of("tools/call");
    private static final String ALLOWED_TOOL_KEY = ToolCallGate.class.getName() + ".allowed-tool";

    private final ToolPolicies policies;
    private final ToolVisibility visibility;
    private final CallerClaims claims;
    private final BearerChallenge challenge;
    private final ConnectionManager connections;
    private final AuditLog audit;
    private final String mcpPath;

    ToolCallGate(ToolPolicies policies, ToolVisibility visibility, CallerClaims claims, BearerChallenge challenge,
            ConnectionManager connections, AuditLog audit,
            @ConfigProperty(name = "quarkus.mcp.server.http.root-path", defaultValue = "/mcp") String mcpPath) {
        this.policies = policies;
        this.visibility = visibility;
        this.claims = claims;
        this.challenge = challenge;
        this.connections = connections;
        this.audit = audit;
        this.mcpPath = mcpPath;
    }

    void register(@Observes Filters filters, BenchmarkMode mode) {
        if (!mode.unsecured()) {
            filters.register(this::handle, PRIORITY);
        }
    }

    void handle(RoutingContext ctx) {
        JsonObject call = inLiveSession(ctx, TOOLS_CALL, mcpPath, connections);
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
        SecurityIdentity identity = CallerIdentity.of(ctx);
        if (!(name instanceof String tool)) {
            // the extension would read 7 as the tool "7", a name this gate never looked at
            Map<String, String> attrs = AuditAttributes.toolCall(identity, AuditAttributes.jsonType(name),
                    ctx.request().getHeader(SessionBinding.SESSION_HEADER));
            attrs.put("reason", "malformed: name is not a string");
            audit.record("tool.call", "denied", attrs);
            ErrorResponses.reply(ctx, 200, id, JsonRpcErrorCodes.INVALID_PARAMS,
                    "Invalid params: name must be a string", null);
            return;
        }
        Decision decision = visibility.decide(tool, identity);
        if (decision instanceof Decision.Allowed && audit.acceptsToolCalls()) {
            ctx.put(ALLOWED_TOOL_KEY, tool);
            ctx.next(); // the allowed call is audited when it ends (AuditingMcpTracing)
            return;
        }
        Map<String, String> attrs = AuditAttributes.toolCall(identity, tool,
                ctx.request().getHeader(SessionBinding.SESSION_HEADER));
        if (decision instanceof Decision.Allowed) {
            // compliance switch: no call runs unrecorded
            attrs.put("reason", "audit trail unavailable");
            audit.record("tool.call", "denied", attrs);
            ErrorResponses.reply(ctx, 503, id, JsonRpcErrorCodes.INTERNAL_ERROR,
                    "Audit trail unavailable: tool calls are refused until it can be written", null);
        } else if (decision instanceof Decision.MissingScopes missing) {
            attrs.put("reason", "insufficient_scope");
            attrs.put("required_scopes", String.join(" ", new TreeSet<>(missing.required())));
            audit.record("tool.call", "denied", attrs);
            Set<String> scopes = new TreeSet<>(missing.required());
            // keep the caller's relevant grants so that the new token does not lose them (MCP scope challenge)
            claims.of(identity).map(Caller::scopes).orElse(Set.of()).stream().filter(policies.requiredScopes()::contains)
                    .forEach(scopes::add);
            LOG.infof("Scope challenge for tool %s: requires %s", tool, missing.required());
            ErrorResponses.reply(ctx, 403, id, JsonRpcErrorCodes.SECURITY_ERROR,
                    "Insufficient scope: tool " + tool + " requires " + challenge.requestable(missing.required()),
                    challenge.insufficientScope(scopes));
        } else if (decision instanceof Decision.StepUpRequired stepUp) {
            LOG.infof("Step-up required for tool %s", tool);
            attrs.put("reason", "insufficient_user_authentication");
            audit.record("tool.call", "denied", attrs);
            ErrorResponses.reply(ctx, 401, id, JsonRpcErrorCodes.SECURITY_ERROR,
                    "A more recent or stronger authentication is required for tool " + tool,
                    challenge.insufficientUserAuthentication(stepUp.maxAge(), stepUp.acr()));
        } else {
            // Missing role, disabled or unknown: one answer, so that hidden tools cannot be probed
            LOG.debugf("tools/call of a hidden or unknown tool refused");
            attrs.put("reason", "unknown tool or not permitted");
            audit.record("tool.call", "denied", attrs);
            ErrorResponses.reply(ctx, 200, id, JsonRpcErrorCodes.INVALID_PARAMS, "Unknown tool: " + tool, null);
        }
    }

    /** The tool this request calls, once this gate has let the call through; otherwise {@code null}. */
    public static String allowedTool(RoutingContext ctx) {
        return ctx.get(ALLOWED_TOOL_KEY);
    }

    /**
     * The JSON-RPC request of this exchange ({@link RequestBodyGuard} has made sure the body is one JSON object) if it
     * calls one of {@code methods}, unless it names no live session: the extension answers 404 for those.
     */
    static JsonObject inLiveSession(RoutingContext ctx, Set<String> methods, String mcpPath,
            ConnectionManager connections) {
        if (ctx.request().method() != HttpMethod.POST || !ctx.normalizedPath().equals(mcpPath)) {
            return null;
        }
        JsonObject message = RequestBodyGuard.message(ctx);
        if (message == null || !(message.getValue("method") instanceof String method) || !methods.contains(method)) {
            return null;
        }
        String session = ctx.request().getHeader(SessionBinding.SESSION_HEADER);
        return session != null && connections.has(session) ? message : null;
    }
}
