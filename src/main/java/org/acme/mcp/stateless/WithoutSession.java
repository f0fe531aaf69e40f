package org.acme.mcp.stateless;

import io.quarkiverse.mcp.server.InitialRequest;
import io.quarkiverse.mcp.server.McpMethod;
import io.quarkiverse.mcp.server.runtime.ContextSupport;
import io.quarkiverse.mcp.server.runtime.McpConnectionBase;
import io.quarkiverse.mcp.server.runtime.McpRequest;
import io.quarkiverse.mcp.server.runtime.McpTracing;
import io.quarkiverse.mcp.server.runtime.SecuritySupport;
import io.quarkiverse.mcp.server.runtime.Sender;
import io.quarkiverse.mcp.server.runtime.config.McpServerRuntimeConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A 2026-07-28 request as the extension's spans see it: the same request, on a connection without an id, so that no
 * span names a session this revision does not have ({@code audit.SessionlessRequest}).
 */
final class WithoutSession implements McpRequest {

    private final StatelessExchange request;
    private final McpConnectionBase connection;

    WithoutSession(StatelessExchange request, McpServerRuntimeConfig config, String serverName) {
        this.request = request;
        this.connection = new McpConnectionBase(null, config, serverName) {
            @Override
            public Future<Void> send(JsonObject message) {
                return Future.succeededFuture(); // never used: spans only read the id and the protocol version
            }

            @Override
            public InitialRequest initialRequest() {
                return request.connection().initialRequest();
            }
        };
    }

    @Override
    public String serverName() {
        return request.serverName();
    }

    @Override
    public Object json() {
        return request.json();
    }

    @Override
    public McpConnectionBase connection() {
        return connection;
    }

    @Override
    public Sender sender() {
        return request.sender();
    }

    @Override
    public SecuritySupport securitySupport() {
        return request.securitySupport();
    }

    @Override
    public ContextSupport contextSupport() {
        return request.contextSupport();
    }

    @Override
    public void prepareTracing(McpTracing tracing, McpMethod method, JsonObject message,
            InitialRequest.Transport transport) {
        request.prepareTracing(tracing, method, message, transport);
    }

    @Override
    public void setTracingErrorResponse(boolean toolError, Integer jsonRpcErrorCode, String errorMessage) {
        request.setTracingErrorResponse(toolError, jsonRpcErrorCode, errorMessage);
    }

    @Override
    public void endTracing(Throwable error) {
        request.endTracing(error);
    }

    @Override
    public void contextStart() {
        request.contextStart();
    }

    @Override
    public void contextEnd(Throwable error) {
        request.contextEnd(error);
    }

    @Override
    public String protocolVersion() {
        return request.protocolVersion();
    }
}
