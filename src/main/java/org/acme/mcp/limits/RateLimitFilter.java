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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;

/**
 * Applies {@link RateLimiter} at the HTTP layer, twice. First every request of an authenticated caller to the MCP
 * endpoint takes from its request budget, before the body is even read: whatever it asks (and however it is refused
 * later), one caller cannot make the server work, or write audit records, without bound. Then every
 * {@code tools/call} that {@link ToolCallGate} let through takes from the tool-call budgets: denied calls never reach
 * here, so probing hidden tools does not eat a caller's tool budget, and rate-limited calls never reach the tool.
 * Over a budget the caller gets HTTP 429 with {@code Retry-After}, and the refusal is audited (a run of refused
 * requests once, when it starts: the records of a flood stay bounded by the budget).
 */
@Singleton
public class RateLimitFilter {

    /** Right after the authorization gate (35). */
    static final int PRIORITY = 34;
    /** After the kill switch's caller blocks (60), before sessions are looked up (50) and bodies read (45). */
    static final int REQUEST_PRIORITY = 55;

    private final RateLimiter limiter;
    private final CallerClaims claims;
    private final AuditLog audit;
    private final String mcpPath;

    RateLimitFilter(RateLimiter limiter, CallerClaims claims, AuditLog audit,
            @ConfigProperty(name = "quarkus.mcp.server.http.root-path", defaultValue = "/mcp") String mcpPath) {
        this.limiter = limiter;
        this.claims = claims;
        this.audit = audit;
        this.mcpPath = mcpPath;
    }

    void register(@Observes Filters filters, BenchmarkMode mode) {
        if (!mode.unsecured()) {
            filters.register(this::limitRequest, REQUEST_PRIORITY);
            filters.register(this::handle, PRIORITY);
        }
    }

    void limitRequest(RoutingContext ctx) {
        SecurityIdentity identity = ctx.normalizedPath().equals(mcpPath) ? CallerIdentity.of(ctx) : null;
        String caller = CallerIdentity.key(identity); // null for other paths and anonymous callers
        if (caller == null) {
            ctx.next();
            return;
        }
        RateLimiter.Verdict verdict = limiter.tryRequest(caller);
        if (verdict.allowed()) {
            ctx.next();
            return;
        }
        long retryAfter = retryAfterSeconds(verdict);
        if (!verdict.repeated()) {
            Map<String, String> attrs = AuditAttributes.caller(identity);
            attrs.put("reason", "rate limit: requests");
            attrs.put("http.request.method", ctx.request().method().name());
            attrs.put("retry_after_s", String.valueOf(retryAfter));
            audit.record("mcp.request", "denied", attrs);
        }
        ctx.response().putHeader(HttpHeaderNames.RETRY_AFTER, String.valueOf(retryAfter));
        ErrorResponses.reply(ctx, 429, null, JsonRpcErrorCodes.SECURITY_ERROR,
                "Rate limit exceeded (requests): retry after " + retryAfter + " s", null);
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
        long retryAfter = retryAfterSeconds(verdict);
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

    private static long retryAfterSeconds(RateLimiter.Verdict verdict) {
        return Math.max(1, (verdict.retryAfter().toMillis() + 999) / 1000);
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
