package org.acme.mcp.limits;

import java.util.Map;
import java.util.function.Consumer;

import jakarta.inject.Singleton;

import org.acme.mcp.api.Caller;
import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.identity.CallerClaims;
import org.acme.mcp.identity.CallerIdentity;
import org.acme.mcp.pipeline.ErrorResponses;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.pipeline.Pipeline;
import org.acme.mcp.pipeline.Resume;
import org.acme.mcp.rbac.ToolCallGate;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * Every {@code tools/call} that {@link ToolCallGate} let through takes from the tool-call budgets ({@link RateLimiter}:
 * per caller, per OAuth client, per tool): denied calls never reach here, so probing hidden tools does not eat a
 * caller's tool budget, and rate-limited calls never reach the tool. Over a budget the caller gets HTTP 429 with
 * {@code Retry-After}, and the refusal is audited. {@link RequestBudgetFilter} bounds requests of every kind.
 */
@Singleton
@Pipeline.At(Pipeline.Stage.TOOL_CALL_RATE)
public class RateLimitFilter implements Pipeline.HttpStage {

    private final RateLimiter limiter;
    private final CallerClaims claims;
    private final AuditLog audit;

    RateLimitFilter(RateLimiter limiter, CallerClaims claims, AuditLog audit) {
        this.limiter = limiter;
        this.claims = claims;
        this.audit = audit;
    }

    @Override
    public void handle(RoutingContext ctx) {
        McpRequest request = McpRequest.of(ctx);
        String tool = request.allowedTool();
        SecurityIdentity identity = request.caller();
        String caller = CallerIdentity.key(identity);
        if (tool == null || caller == null) {
            ctx.next();
            return;
        }
        decide(ctx, limiter.tryCall(caller, client(identity), tool), verdict -> {
            if (verdict.allowed()) {
                ctx.next();
                return;
            }
            Map<String, String> attrs = AuditAttributes.toolCall(identity, tool, request);
            attrs.put("audit.reason", "rate limit: " + verdict.limit());
            attrs.put("audit.retry_after_s", String.valueOf(retryAfterSeconds(verdict)));
            audit.record(AuditType.TOOL_CALL, AuditOutcome.DENIED, attrs);
            tooManyRequests(ctx, request.id(), verdict.limit(), verdict);
        });
    }

    /** Goes on with the verdict once it is known: a fleet's lease may take a round trip to Redis. */
    static void decide(RoutingContext ctx, Future<RateLimiter.Verdict> verdict, Consumer<RateLimiter.Verdict> then) {
        Resume.when(ctx, verdict, decided -> then.accept(decided.result()));
    }

    /** 429 with {@code Retry-After} and a JSON-RPC error naming the budget. */
    static void tooManyRequests(RoutingContext ctx, Object id, String budget, RateLimiter.Verdict verdict) {
        long retryAfter = retryAfterSeconds(verdict);
        ctx.response().putHeader(HttpHeaderNames.RETRY_AFTER, String.valueOf(retryAfter));
        ErrorResponses.reply(ctx, 429, id, JsonRpcErrorCodes.SECURITY_ERROR,
                "Rate limit exceeded (" + budget + "): retry after " + retryAfter + " s", null);
    }

    static long retryAfterSeconds(RateLimiter.Verdict verdict) {
        return Math.max(1, (verdict.retryAfter().toMillis() + 999) / 1000);
    }

    /** The OAuth client the token was issued to, per issuer, if it says. */
    private String client(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            return claims.of(identity).flatMap(Caller::client).map(c -> jwt.getIssuer() + " " + c)
                    .orElse(null);
        }
        return null;
    }
}
