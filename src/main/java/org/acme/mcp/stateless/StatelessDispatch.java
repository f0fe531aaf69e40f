package org.acme.mcp.stateless;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.acme.mcp.pipeline.ErrorResponses;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.pipeline.Pipeline;

import io.quarkiverse.mcp.server.ClientCapability;
import io.quarkiverse.mcp.server.Implementation;
import io.quarkiverse.mcp.server.InitialRequest;
import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkiverse.mcp.server.McpLog.LogLevel;
import io.quarkiverse.mcp.server.McpServer;
import io.quarkiverse.mcp.server.runtime.Messages;
import io.quarkiverse.mcp.server.runtime.config.McpServerRuntimeConfig;
import io.quarkiverse.mcp.server.runtime.config.McpServersRuntimeConfig;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves a 2026-07-28 request that passed every stage: the extension's own handling runs it (the same features,
 * filters, interceptors and audit as a 2025-11-25 session's request) on a connection that lives for this request
 * only, and the answer is written in this era's form ({@link StatelessResponse}). The body is not parsed again:
 * the message {@link Pipeline.Stage#BODY_CHECK} parsed is handed over. A client that closes the response before the
 * answer cancels the request. Session-era requests pass on to the extension's route.
 */
@ApplicationScoped
@Pipeline.At(Pipeline.Stage.STATELESS_DISPATCH)
public class StatelessDispatch implements Pipeline.HttpStage {

    /**
     * Client capabilities that let a server send requests (sampling, elicitation, roots): in 2026-07-28 a server
     * asks through an {@code input_required} result instead ({@code api.InputRequired}), so the extension is never
     * told the client has them and its own request senders see them as unsupported.
     */
    private static final Set<String> SERVER_REQUEST_CAPABILITIES = Set.of("sampling", "elicitation", "roots");

    private static final Implementation UNNAMED_CLIENT = new Implementation("unnamed", "0", null);

    private final StatelessMessageHandler handler;
    private final ServerDiscovery discovery;
    private final StatelessConfig config;
    private final McpServerRuntimeConfig serverConfig;
    private final CurrentVertxRequest currentRequest;
    private final CurrentIdentityAssociation identities;

    StatelessDispatch(StatelessMessageHandler handler, ServerDiscovery discovery, StatelessConfig config,
            McpServersRuntimeConfig servers, CurrentVertxRequest currentRequest,
            Instance<CurrentIdentityAssociation> identities) {
        this.handler = handler;
        this.discovery = discovery;
        this.config = config;
        this.serverConfig = servers.servers().get(McpServer.DEFAULT);
        this.currentRequest = currentRequest;
        this.identities = identities.isResolvable() ? identities.get() : null;
    }

    @Override
    public void handle(RoutingContext ctx) {
        McpRequest request = McpRequest.of(ctx);
        if (!request.stateless() || request.message() == null) {
            ctx.next();
            return;
        }
        JsonObject message = request.message();
        JsonObject params = message.getJsonObject("params");
        JsonObject meta = params.getJsonObject("_meta");
        String level = meta.getString(StatelessRequestCheck.LOG_LEVEL_META);
        StatelessResponse response = new StatelessResponse(ctx.response(), request,
                StatelessResponse.ttlMs(request.method(), config), discovery.serverInfo(), level != null);
        if (request.answerInstead() != null) {
            response.sendDecided(); // decided by a stage (a call that waits for an approval): nothing runs
            return;
        }
        StatelessConnection connection = new StatelessConnection(serverConfig, McpServer.DEFAULT,
                declared(meta), level == null ? null : LogLevel.from(level), response);
        StatelessExchange exchange = new StatelessExchange(McpServer.DEFAULT, serverConfig, message, connection, ctx,
                currentRequest, identities, response);
        // 2026-07-28: closing the response stream cancels the request. The extension hears it as the cancellation
        // notification of 2025-11-25, on this request's own connection: a tool asking its Cancellation sees it
        ctx.response().closeHandler(closed -> {
            if (!ctx.response().ended()) {
                handler.handle(new StatelessExchange(McpServer.DEFAULT, serverConfig, cancellation(request.id()),
                        connection, ctx, currentRequest, identities, response));
            }
        });
        handler.handle(exchange).onComplete(done -> {
            if (!ctx.response().ended()) {
                // the extension always answers a request; this is a failure of its own, never a silent hang
                ErrorResponses.reply(ctx, 500, request.id(), JsonRpcErrorCodes.INTERNAL_ERROR, "Internal error",
                        null);
            }
        });
    }

    private static JsonObject cancellation(Object requestId) {
        return new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/cancelled")
                .put("params", new JsonObject().put("requestId", requestId).put("reason", "response stream closed"));
    }

    /** What the request declares of its client, as the extension would have it from {@code initialize}. */
    private static InitialRequest declared(JsonObject meta) {
        JsonObject info = meta.getJsonObject(StatelessRequestCheck.CLIENT_INFO_META);
        Implementation client = UNNAMED_CLIENT;
        if (info != null) {
            try {
                client = Messages.decodeImplementation(info);
            } catch (RuntimeException e) {
                // its optional members (icons, ...) malformed: the client's self-description informs, it never decides
            }
        }
        List<ClientCapability> capabilities = new ArrayList<>();
        for (String name : meta.getJsonObject(McpRequest.CAPABILITIES_META).fieldNames()) {
            if (!SERVER_REQUEST_CAPABILITIES.contains(name)) {
                capabilities.add(new ClientCapability(name, Map.of()));
            }
        }
        return new InitialRequest(client, meta.getString(McpRequest.VERSION_META), List.copyOf(capabilities),
                InitialRequest.Transport.STREAMABLE_HTTP, true);
    }
}
