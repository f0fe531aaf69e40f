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
import org.acme.mcp.pipeline.Pipeline;
import org.acme.mcp.security.BearerChallenge;
import org.acme.mcp.security.SecurityConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * First handler of every request, before CORS and authentication: refuses what must never reach the application
 * whoever the caller is (foreign {@code Origin}/{@code Host}, tokens outside the Authorization header, unsupported
 * {@code MCP-Protocol-Version}, the deprecated HTTP+SSE transport).
 */
@ApplicationScoped
@Pipeline.At(Pipeline.Stage.TRANSPORT)
public class TransportGuard implements Pipeline.HttpStage {

    /**
     * Protocol revisions this server speaks: the extension still agrees to 2024-11-05 at initialize, so a client that
     * asked for it may name it in later requests (over Streamable HTTP; the old HTTP+SSE paths stay refused).
     */
    public static final Set<String> SUPPORTED_PROTOCOL_VERSIONS = Set.of("2025-11-25", "2025-06-18", "2025-03-26",
            "2024-11-05");

    private static final Logger LOG = Logger.getLogger(TransportGuard.class);

    private final OriginPolicy policy;
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
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !policy.originAllowed(origin)) {
            refuse(ctx, 403, JsonRpcErrorCodes.INVALID_REQUEST, "Origin not allowed", "Origin");
            return;
        }
        if (tokenOutsideHeader(ctx)) {
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
            List<String> versions = request.headers().getAll("MCP-Protocol-Version");
            if (versions.size() > 1 || (versions.size() == 1 && !SUPPORTED_PROTOCOL_VERSIONS.contains(versions.get(0)))) {
                refuse(ctx, 400, JsonRpcErrorCodes.INVALID_REQUEST, "Unsupported MCP-Protocol-Version", "protocol version");
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
                "reason", reason,
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
