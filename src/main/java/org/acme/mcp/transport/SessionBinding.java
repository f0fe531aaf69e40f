package org.acme.mcp.transport;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.identity.CallerClaims;
import org.acme.mcp.identity.CallerIdentity;
import org.acme.mcp.pipeline.ErrorResponses;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.pipeline.Pipeline;
import org.acme.mcp.security.SecurityConfig;
import org.jboss.logging.Logger;

import io.quarkiverse.mcp.server.runtime.ConnectionManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Binds every MCP session to the caller that created it (issuer + subject), as the MCP security best practices ask.
 * <p>
 * A session id never authenticates: each request is authenticated by its own bearer token first, then this filter
 * checks that the session named in {@code MCP-Session-Id} belongs to that caller. A foreign or unknown session gets
 * 404, exactly like an expired one, so a session id reveals nothing to another user.
 */
@ApplicationScoped
@Pipeline.At(Pipeline.Stage.SESSION_BINDING)
public class SessionBinding implements Pipeline.HttpStage {

    private static final Logger LOG = Logger.getLogger(SessionBinding.class);

    /** session id -> owner key; entries of ended sessions are purged with the extension's idle check. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    /** session id -> OAuth client the session was created with, when the token named one. */
    private final Map<String, String> clients = new ConcurrentHashMap<>();
    private final ConnectionManager connections;
    private final AuditLog audit;
    private final int maxSessionsPerCaller;

    SessionBinding(ConnectionManager connections, Vertx vertx, AuditLog audit, SecurityConfig config) {
        this.connections = connections;
        this.audit = audit;
        this.maxSessionsPerCaller = config.transport().maxSessionsPerCaller();
        vertx.setPeriodic(30_000, id -> {
            owners.keySet().removeIf(session -> !connections.has(session));
            clients.keySet().retainAll(owners.keySet());
        });
    }

    @Override
    public void handle(RoutingContext ctx) {
        McpRequest request = McpRequest.of(ctx);
        if (!request.toEndpoint() || request.stateless()) {
            ctx.next(); // a 2026-07-28 request opens no session and names none
            return;
        }
        SecurityIdentity identity = request.caller();
        String caller = CallerIdentity.key(identity);
        if (caller == null) {
            // Unreachable while the path policy requires authentication; refuse rather than serve anonymously
            ErrorResponses.reject(ctx, 401, -32001, "Authentication required");
            return;
        }
        String session = request.sessionId();
        if (session == null) {
            if (ctx.request().method() == HttpMethod.POST) {
                if (liveSessionsOf(caller) >= maxSessionsPerCaller) {
                    Map<String, String> attrs = AuditAttributes.request(identity, request);
                    attrs.put("audit.reason", "too many sessions for this caller");
                    audit.record(AuditType.SESSION_REJECTED, AuditOutcome.DENIED, attrs);
                    ctx.response().putHeader("Retry-After", "60");
                    ErrorResponses.reject(ctx, 429, -32001, "Too many sessions for this caller: end one (DELETE) or let"
                            + " one expire");
                    return;
                }
                bindCreatedSession(ctx, caller, identity, request);
            }
            ctx.next();
            return;
        }
        String owner = owners.get(session);
        if (owner == null && !connections.has(session)) {
            ctx.next(); // unknown or ended session: the extension answers 404
            return;
        }
        if (!caller.equals(owner)) {
            LOG.warnf("Session binding violation: a request presented a session that belongs to another caller");
            Map<String, String> attrs = AuditAttributes.request(identity, request);
            attrs.put("audit.reason", owner == null ? "session has no owner" : "session belongs to another caller");
            audit.record(AuditType.SESSION_REJECTED, AuditOutcome.DENIED, attrs);
            ErrorResponses.reject(ctx, 404, -32001, "Session not found");
            return;
        }
        if (ctx.request().method() == HttpMethod.DELETE) {
            ctx.addEndHandler(done -> {
                if (!connections.has(session) && forget(session)) {
                    Map<String, String> attrs = AuditAttributes.request(identity, request);
                    attrs.put("audit.reason", "deleted by its owner");
                    audit.record(AuditType.SESSION_ENDED, AuditOutcome.OK, attrs);
                }
            });
        }
        ctx.next();
    }

    private void bindCreatedSession(RoutingContext ctx, String caller, SecurityIdentity identity, McpRequest request) {
        // The extension creates the session while handling initialize; record its owner before the header leaves
        ctx.addHeadersEndHandler(v -> {
            String created = ctx.response().headers().get(McpRequest.SESSION_HEADER);
            if (created != null) {
                owners.put(created, caller);
                CallerClaims.clientOf(identity).ifPresent(client -> clients.put(created, client));
                Map<String, String> attrs = AuditAttributes.request(identity, request); // the initialize's version
                attrs.put("mcp.session.id", AuditAttributes.session(created));
                audit.record(AuditType.SESSION_CREATED, AuditOutcome.OK, attrs);
            }
        });
    }

    private long liveSessionsOf(String caller) {
        return owners.entrySet().stream().filter(e -> e.getValue().equals(caller) && connections.has(e.getKey())).count();
    }

    /** Live sessions and the distinct callers owning them. */
    public record Stats(int sessions, int callers) {
    }

    public Stats stats() {
        var live = owners.entrySet().stream().filter(e -> connections.has(e.getKey())).toList();
        return new Stats(live.size(), (int) live.stream().map(Map.Entry::getValue).distinct().count());
    }

    /** Ends every session of the callers with this subject (any issuer); returns how many ended. */
    public int endSessionsOf(String subject) {
        return endSessions(session -> {
            String owner = owners.get(session); // "<issuer> <subject>"; issuers are URLs, without spaces
            return owner != null && owner.substring(owner.indexOf(' ') + 1).equals(subject);
        }, "a caller", "enduser.id", subject);
    }

    /** Ends every session created with a token of this OAuth client (any user); returns how many ended. */
    public int endSessionsOfClient(String client) {
        return endSessions(session -> client.equals(clients.get(session)), "a client", "client.id", client);
    }

    /** Drops a session's binding (owner and client); whether it had one. */
    private boolean forget(String session) {
        clients.remove(session);
        return owners.remove(session) != null;
    }

    private int endSessions(Predicate<String> matches, String whose, String attribute, String value) {
        int ended = 0;
        for (String session : Set.copyOf(owners.keySet())) {
            if (matches.test(session) && connections.remove(session)) {
                forget(session);
                ended++;
            }
        }
        if (ended > 0) {
            LOG.warnf("Ended %d session(s) of %s on an administrator's request", ended, whose);
            audit.record(AuditType.SESSION_ENDED, AuditOutcome.OK,
                    Map.of(attribute, value, "audit.sessions", String.valueOf(ended),
                            "audit.reason", "ended by an administrator"));
        }
        return ended;
    }
}
