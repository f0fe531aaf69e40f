package org.acme.mcp.transport;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.pipeline.ErrorResponses;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.pipeline.Pipeline;
import org.acme.mcp.security.BearerChallenge;
import org.acme.mcp.security.SecurityConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * First handler of every request, before CORS and authentication: refuses what must never reach the application
 * whoever the caller is (foreign {@code Origin}/{@code Host}, tokens outside the Authorization header, a body that is
 * not JSON, a {@code GET} or {@code DELETE} naming a revision without sessions or none this server speaks, the
 * deprecated HTTP+SSE transport). A {@code POST}'s revision is checked against its body later, where the error can
 * name the request's id.
 */
@ApplicationScoped
@Pipeline.At(Pipeline.Stage.TRANSPORT)
public class TransportGuard implements Pipeline.HttpStage {

    private static final Logger LOG = Logger.getLogger(TransportGuard.class);

    private final OriginPolicy policy;
    /** The approval page's own origin, the resource URI's: the page's form posts from there. */
    private final OriginPolicy pageOrigin;
    private final BearerChallenge challenge;
    private final AuditLog audit;
    private final String mcpPath;
    private final String healthPath;

    TransportGuard(SecurityConfig config, BearerChallenge challenge, AuditLog audit,
            @ConfigProperty(name = "quarkus.mcp.server.http.root-path", defaultValue = "/mcp") String mcpPath,
            @ConfigProperty(name = "quarkus.smallrye-health.root-path", defaultValue = "/q/health") String healthPath) {
        SecurityConfig.Transport transport = config.transport();
        this.policy = new OriginPolicy(transport.allowedOrigins().orElse(Set.of()),
                transport.allowedHosts().orElseGet(() -> defaultHosts(config.resource())));
        this.pageOrigin = OriginPolicy.originOf(config.resource());
        this.challenge = challenge;
        this.audit = audit;
        this.mcpPath = mcpPath;
        this.healthPath = healthPath.startsWith("/") ? healthPath : "/q/" + healthPath;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = ctx.normalizedPath();
        boolean health = path.equals(healthPath) || path.startsWith(healthPath + "/");
        // the platform refuses oversized bodies itself (413); the refusal is a security event worth a record
        ctx.addHeadersEndHandler(v -> {
            if (ctx.response().getStatusCode() == 413) {
                securityEvent(ctx, "request body too large");
            }
        });

        // Health probes come from the platform with the pod address as Host; they carry no data worth rebinding to
        if (!health && !policy.hostAllowed(authority(request))) {
            refuse(ctx, 403, JsonRpcErrorCodes.INVALID_REQUEST, "Host not allowed", "Host");
            return;
        }
        boolean approvalPage = McpRequest.of(ctx).toApprovalPage();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        // the approval page posts its form to itself: its own origin is the one allowed there besides the configured
        if (origin != null && !policy.originAllowed(origin) && !(approvalPage && pageOrigin.originAllowed(origin))) {
            refuse(ctx, 403, JsonRpcErrorCodes.INVALID_REQUEST, "Origin not allowed", "Origin");
            return;
        }
        if (!approvalPage && tokenOutsideHeader(ctx)) { // the page takes no token at all, and posts a form
            LOG.debugf("Refused %s %s: access token outside the Authorization header", request.method(), path);
            securityEvent(ctx, "token outside the Authorization header");
            ErrorResponses.rejectAuth(ctx, 400, "Access tokens are accepted only in the Authorization header",
                    challenge.error(BearerChallenge.Error.INVALID_REQUEST));
            return;
        }
        if (path.equals(mcpPath) || path.startsWith(mcpPath + "/")) {
            if (!path.equals(mcpPath)) {
                // /mcp/sse and /mcp/messages/{id}: the 2024-11-05 transport, whose session ids travel in URLs
                refuse(ctx, 404, JsonRpcErrorCodes.INVALID_REQUEST, "Not found", "legacy SSE path");
                return;
            }
            List<String> versions = request.headers().getAll(McpRequest.VERSION_HEADER);
            if (versions.size() > 1) {
                refuse(ctx, 400, JsonRpcErrorCodes.INVALID_REQUEST, "One MCP-Protocol-Version header at most",
                        "protocol version");
                return;
            }
            String version = versions.isEmpty() ? null : versions.get(0);
            if (request.method() == HttpMethod.POST) {
                if (!isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
                    refuse(ctx, 415, JsonRpcErrorCodes.INVALID_REQUEST, "Content-Type must be application/json",
                            "content type");
                    return;
                }
            } else if (version != null && McpRequest.Era.of(version) == McpRequest.Era.STATELESS) {
                // 2026-07-28 has no session stream (GET) and no session to end (DELETE)
                ctx.response().putHeader(HttpHeaders.ALLOW, "POST");
                refuse(ctx, 405, JsonRpcErrorCodes.INVALID_REQUEST, "Method not allowed: 2026-07-28 requests are"
                        + " POSTs", "method without sessions");
                return;
            } else if (version != null && McpRequest.Era.of(version) == null) {
                refuse(ctx, 400, JsonRpcErrorCodes.INVALID_REQUEST, "Unsupported MCP-Protocol-Version",
                        "protocol version");
                return;
            }
        }
        ctx.next();
    }

    private static String authority(HttpServerRequest request) {
        var authority = request.authority();
        return authority == null ? null : authority.host() + (authority.port() >= 0 ? ":" + authority.port() : "");
    }

    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String JSON = "application/json";

    /** {@code application/json}, with or without parameters (the body's UTF-8 is checked on its own). */
    static boolean isJson(String contentType) {
        if (contentType == null || !contentType.regionMatches(true, 0, JSON, 0, JSON.length())) {
            return false;
        }
        return contentType.length() == JSON.length() || contentType.charAt(JSON.length()) == ';'
                || contentType.charAt(JSON.length()) == ' ';
    }

    private static boolean tokenOutsideHeader(RoutingContext ctx) {
        String query = ctx.request().query();
        if (query != null && query.toLowerCase(Locale.ROOT).contains("access_token")) {
            return true;
        }
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        // RFC 6750 §2.2 form-encoded body parameter: not supported, refused rather than silently ignored
        return contentType != null && contentType.regionMatches(true, 0, FORM, 0, FORM.length());
    }

    private void refuse(RoutingContext ctx, int status, int code, String message, String what) {
        LOG.debugf("Refused %s %s: %s", ctx.request().method(), ctx.normalizedPath(), what);
        securityEvent(ctx, message);
        ErrorResponses.reject(ctx, status, code, message);
    }

    private void securityEvent(RoutingContext ctx, String reason) {
        audit.recordUnattributed(AuditType.SECURITY_TRANSPORT, AuditOutcome.DENIED, Map.of(
                "audit.reason", reason,
                "http.request.method", ctx.request().method().name(),
                "url.path", AuditAttributes.untrusted(ctx.normalizedPath()),
                "http.request.header.origin", AuditAttributes.untrusted(ctx.request().getHeader(HttpHeaders.ORIGIN)),
                "http.request.header.host", AuditAttributes.untrusted(authority(ctx.request()))));
    }

    static Set<String> defaultHosts(URI resource) {
        Set<String> hosts = new HashSet<>();
        hosts.add(resource.getRawAuthority());
        if (resource.getPort() == -1) {
            hosts.add(resource.getHost() + ("https".equalsIgnoreCase(resource.getScheme()) ? ":443" : ":80"));
        }
        return hosts;
    }
}
