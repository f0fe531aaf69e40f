package org.acme.mcp.transport;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.security.BenchmarkMode;
import org.acme.mcp.security.CallerIdentity;
import org.acme.mcp.security.SecurityConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkiverse.mcp.server.runtime.ConnectionManager;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Caps the SSE streams ({@code GET /mcp}) open per session at {@code mcp.security.transport.max-streams-per-session}
 * and ends the streams of sessions that ended. The extension keeps every stream a session opens, for as long as its
 * client keeps the connection: without a cap, one token could hold any number of connections open (the per-caller
 * session cap bounds sessions, not streams).
 */
@ApplicationScoped
public class StreamLimit {

    /** After session binding (50): the session is known to be the caller's own. */
    static final int PRIORITY = 48;
    static final long SWEEP_MILLIS = 30_000;

    /** session id -> its open streams. */
    private final Map<String, Set<HttpServerResponse>> streams = new ConcurrentHashMap<>();
    private final ConnectionManager connections;
    private final AuditLog audit;
    private final int maxStreams;
    private final String mcpPath;

    StreamLimit(ConnectionManager connections, AuditLog audit, SecurityConfig config, Vertx vertx,
            @ConfigProperty(name = "quarkus.mcp.server.http.root-path", defaultValue = "/mcp") String mcpPath) {
        this.connections = connections;
        this.audit = audit;
        this.maxStreams = config.transport().maxStreamsPerSession();
        this.mcpPath = mcpPath;
        vertx.setPeriodic(SWEEP_MILLIS, id -> endStreamsOfEndedSessions());
    }

    void register(@Observes Filters filters, BenchmarkMode mode) {
        if (!mode.unsecured()) {
            filters.register(this::handle, PRIORITY);
        }
    }

    void handle(RoutingContext ctx) {
        String session = ctx.request().getHeader(SessionBinding.SESSION_HEADER);
        if (ctx.request().method() != HttpMethod.GET || session == null || !ctx.normalizedPath().equals(mcpPath)
                || !connections.has(session)) {
            ctx.next(); // not a stream of a live session: the extension answers (405 without a session, 404 ended)
            return;
        }
        HttpServerResponse response = ctx.response();
        Set<HttpServerResponse> open = streams.computeIfAbsent(session, s -> ConcurrentHashMap.newKeySet());
        synchronized (open) {
            if (open.size() >= maxStreams) {
                Map<String, String> attrs = AuditAttributes.caller(CallerIdentity.of(ctx));
                attrs.put("mcp.session", AuditAttributes.session(session));
                attrs.put("reason", "too many streams for this session");
                audit.record("session.rejected", "denied", attrs);
                response.putHeader("Retry-After", "30");
                ErrorResponses.reject(ctx, 429, -32001, "Too many streams open for this session: close one first");
                return;
            }
            open.add(response);
        }
        ctx.addEndHandler(done -> open.remove(response));
        ctx.next();
    }

    /** Ends the streams a session left behind when it ended (DELETE, idle expiry), so their connections go too. */
    void endStreamsOfEndedSessions() {
        streams.entrySet().removeIf(entry -> {
            if (connections.has(entry.getKey())) {
                return false; // kept even when empty: a stream being admitted may hold this set
            }
            entry.getValue().forEach(response -> {
                if (!response.ended() && !response.closed()) {
                    response.end();
                }
            });
            return true;
        });
    }
}
