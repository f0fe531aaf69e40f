package org.acme.mcp.stateless;

import java.util.concurrent.atomic.AtomicLong;

import io.quarkiverse.mcp.server.InitialRequest;
import io.quarkiverse.mcp.server.McpLog.LogLevel;
import io.quarkiverse.mcp.server.runtime.McpConnectionBase;
import io.quarkiverse.mcp.server.runtime.config.McpServerRuntimeConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The extension's notion of a connection, for one 2026-07-28 request: made for it, already initialized with what its
 * {@code _meta} declared (there is no {@code initialize} in this era), never registered with the extension's
 * connection manager (no other request can name it) and gone with the request. Whatever a tool sends through it goes
 * to that request's own response.
 */
final class StatelessConnection extends McpConnectionBase {

    private static final AtomicLong IDS = new AtomicLong();

    private final StatelessResponse response;

    StatelessConnection(McpServerRuntimeConfig config, String serverName, InitialRequest declared, LogLevel logLevel,
            StatelessResponse response) {
        // an id only this server sees: unique among the requests in flight, so not a random session id
        super("stateless-" + IDS.incrementAndGet(), config, serverName);
        this.response = response;
        if (logLevel != null) {
            this.logLevel = logLevel; // 2026-07-28: the level travels in each request's _meta
        }
        initialize(declared);
        setInitialized();
    }

    @Override
    public Future<Void> send(JsonObject message) {
        messageSent(message);
        return response.send(message);
    }
}
