package org.acme.mcp.limits;

import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.rbac.CallerClaims;
import org.acme.mcp.rbac.ToolCallGate;
import org.acme.mcp.security.BenchmarkMode;
import org.acme.mcp.security.CallerIdentity;
import org.acme.mcp.transport.ErrorResponses;
import org.acme.mcp.transport.RequestBodyGuard;
import org.acme.mcp.transport.SessionBinding;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;

/**
 * Applies {@link RateLimiter} to every {@code tools/call} that {@link ToolCallGate} let through: over a budget the
 * caller gets HTTP 429 with {@code Retry-After} and the refusal is audited. Denied calls never reach here, so
 * probing hidden tools does not eat a caller's budget, and rate-limited calls never reach the tool.
 */
@Singleton
public class RateLimitFilter {

    /** Right after the authorization gate (35). */
    static final int PRIORITY = 34;

    private final RateLimiter limiter;
    private final CallerClaims claims;
    private final AuditLog audit;

    RateLimitFilter(RateLimiter limiter, CallerClaims claims, AuditLog audit) {
        this.limiter = limiter;
        this.claims = claims;
        this.audit = audit;
    }

    void register(@Observes Filters filters, BenchmarkMode mode) {
        if (!mode.unsecured()) {
            filters.register(this::handle, PRIORITY);
        }
    }

    void handle(RoutingContext ctx) {
        String tool = ToolCallGate.allowedTool(ctx);
        SecurityIdentity identity = CallerIdentity.of(ctx);
        String caller = CallerIdentity.key(identity);
        if (tool == null || caller == null) {
            ctx.next();
            return;
        }
        RateLimiter.Verdict verdict = limiter.tryCall(caller, client(identity), tool);
        if (verdict.allowed()) {
            ctx.next();
            return;
        }
        long retryAfter = Math.max(1, (verdict.retryAfter().toMillis() + 999) / 1000);
        Map<String, String> attrs = AuditAttributes.toolCall(identity, tool,
                ctx.request().getHeader(SessionBinding.SESSION_HEADER));
        attrs.put("reason", "rate limit: " + verdict.limit());
        attrs.put("retry_after_s", String.valueOf(retryAfter));
        audit.record("tool.call", "denied", attrs);
        ctx.response().putHeader(HttpHeaderNames.RETRY_AFTER, String.valueOf(retryAfter));
        Object id = RequestBodyGuard.message(ctx).getValue("id");
        ErrorResponses.reply(ctx, 429, id, JsonRpcErrorCodes.SECURITY_ERROR,
                "Rate limit exceeded (" + verdict.limit() + "): retry after " + retryAfter + " s", null);
    }

    /** The OAuth client the token was issued to, per issuer, if it says. */
    private String client(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            return claims.of(identity).flatMap(CallerClaims.Caller::client).map(c -> jwt.getIssuer() + " " + c)
                    .orElse(null);
        }
        return null;
    }
}
