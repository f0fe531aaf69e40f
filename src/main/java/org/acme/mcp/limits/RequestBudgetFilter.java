package org.acme.mcp.limits;

import java.util.Map;

import jakarta.inject.Singleton;

import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.identity.CallerIdentity;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.pipeline.Pipeline;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;

/**
 * Every request of an authenticated caller to the MCP endpoint takes from its request budget
 * ({@code mcp.limits.request-limit}), before the body is even read: whatever it asks (and however it is refused later),
 * one caller cannot make the server work, or write audit records, without bound. Over the budget: 429 with
 * {@code Retry-After}, a run of refused requests audited once, when it starts.
 */
@Singleton
@Pipeline.At(Pipeline.Stage.REQUEST_BUDGET)
public class RequestBudgetFilter implements Pipeline.HttpStage {

    private final RateLimiter limiter;
    private final AuditLog audit;

    RequestBudgetFilter(RateLimiter limiter, AuditLog audit) {
        this.limiter = limiter;
        this.audit = audit;
    }

    @Override
    public void handle(RoutingContext ctx) {
        McpRequest request = McpRequest.of(ctx);
        SecurityIdentity identity = request.toEndpoint() ? request.caller() : null;
        String caller = CallerIdentity.key(identity); // null for other paths and anonymous callers
        if (caller == null) {
            ctx.next();
            return;
        }
        RateLimitFilter.decide(ctx, limiter.tryRequest(caller), verdict -> {
            if (verdict.allowed()) {
                ctx.next();
                return;
            }
            if (!verdict.repeated()) {
                Map<String, String> attrs = AuditAttributes.request(identity, request);
                attrs.put("audit.reason", "rate limit: requests");
                attrs.put("http.request.method", ctx.request().method().name());
                attrs.put("audit.retry_after_s", String.valueOf(RateLimitFilter.retryAfterSeconds(verdict)));
                audit.record(AuditType.MCP_REQUEST, AuditOutcome.DENIED, attrs);
            }
            RateLimitFilter.tooManyRequests(ctx, null, "requests", verdict);
        });
    }
}
