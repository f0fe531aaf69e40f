package org.acme.mcp.incident;

import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.incident.IncidentState.Kind;
import org.acme.mcp.pipeline.ErrorResponses;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.pipeline.Pipeline;

import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses every request of a blocked subject or OAuth client ({@link KillSwitch}) with HTTP 403 and a JSON-RPC error,
 * and audits each refusal. It runs after authentication on every request, so a token still in the verified-token
 * cache is refused exactly like a freshly verified one, and before session binding, so a blocked caller can neither
 * open nor use a session.
 * <p>
 * No {@code WWW-Authenticate}: a block is not something a new token can fix. {@code invalid_token} (401) or
 * {@code insufficient_scope} (403) would send an MCP client into re-authorization loops (RFC 6750 §3.1, MCP
 * 2025-11-25 scope challenges); RFC 9110 requires the header only on 401.
 */
@Singleton
@Pipeline.At(Pipeline.Stage.BLOCKED_CALLER)
public class BlockedCallerFilter implements Pipeline.HttpStage {

    static final String MESSAGE = "Access blocked by an administrator of this server";

    private final KillSwitch killSwitch;
    private final AuditLog audit;

    BlockedCallerFilter(KillSwitch killSwitch, AuditLog audit) {
        this.killSwitch = killSwitch;
        this.audit = audit;
    }

    @Override
    public void handle(RoutingContext ctx) {
        McpRequest request = McpRequest.of(ctx);
        SecurityIdentity identity = request.caller();
        Optional<Kind> block = killSwitch.blockOf(identity);
        if (block.isEmpty()) {
            ctx.next();
            return;
        }
        Map<String, String> attrs = AuditAttributes.request(identity, request);
        attrs.put("audit.reason", block.get().label + " blocked");
        attrs.put("http.request.method", ctx.request().method().name());
        attrs.put("url.path", AuditAttributes.untrusted(ctx.normalizedPath()));
        audit.record(AuditType.INCIDENT_BLOCKED, AuditOutcome.DENIED, attrs);
        ErrorResponses.reject(ctx, 403, JsonRpcErrorCodes.SECURITY_ERROR, MESSAGE);
    }
}
