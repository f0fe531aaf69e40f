package org.acme.mcp.transport;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.pipeline.ErrorResponses;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.pipeline.Pipeline;
import org.acme.mcp.security.SecurityConfig;

import io.quarkiverse.mcp.server.runtime.ConnectionManager;
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
@Pipeline.At(Pipeline.Stage.STREAM_LIMIT)
public class StreamLimit implements Pipeline.HttpStage {

    static final long SWEEP_MILLIS = 30_000;

    /** session id -> its open streams. */
    private final Map<String, Set<HttpServerResponse>> streams = new ConcurrentHashMap<>();
    private final ConnectionManager connections;
    private final AuditLog audit;
    private final int maxStreams;

    StreamLimit(ConnectionManager connections, AuditLog audit, SecurityConfig config, Vertx vertx) {
        this.connections = connections;
        this.audit = audit;
        this.maxStreams = config.transport().maxStreamsPerSession();
        vertx.setPeriodic(SWEEP_MILLIS, id -> endStreamsOfEndedSessions());
    }

    @Override
    public void handle(RoutingContext ctx) {
        McpRequest request = McpRequest.of(ctx);
        String session = request.sessionId();
        if (ctx.request().method() != HttpMethod.GET || session == null || !request.toEndpoint()
                || !connections.has(session)) {
            ctx.next(); // not a stream of a live session: the extension answers (405 without a session, 404 ended)
            return;
        }
        HttpServerResponse response = ctx.response();
        Set<HttpServerResponse> open = streams.computeIfAbsent(session, s -> ConcurrentHashMap.newKeySet());
        synchronized (open) {
            if (open.size() >= maxStreams) {
                Map<String, String> attrs = AuditAttributes.request(request.caller(), request);
                attrs.put("audit.reason", "too many streams for this session");
                audit.record(AuditType.SESSION_REJECTED, AuditOutcome.DENIED, attrs);
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
