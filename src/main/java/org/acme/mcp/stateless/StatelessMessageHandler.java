package org.acme.mcp.stateless;

import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import io.quarkiverse.mcp.server.InitialCheck;
import io.quarkiverse.mcp.server.InitialRequest;
import io.quarkiverse.mcp.server.InitialResponseInfo;
import io.quarkiverse.mcp.server.runtime.CancellationRequests;
import io.quarkiverse.mcp.server.runtime.ConnectionManager;
import io.quarkiverse.mcp.server.runtime.McpMessageHandler;
import io.quarkiverse.mcp.server.runtime.McpMetadata;
import io.quarkiverse.mcp.server.runtime.McpMetrics;
import io.quarkiverse.mcp.server.runtime.McpRequestValidator;
import io.quarkiverse.mcp.server.runtime.McpTracing;
import io.quarkiverse.mcp.server.runtime.NotificationManagerImpl;
import io.quarkiverse.mcp.server.runtime.PromptCompletionManagerImpl;
import io.quarkiverse.mcp.server.runtime.PromptManagerImpl;
import io.quarkiverse.mcp.server.runtime.ResourceManagerImpl;
import io.quarkiverse.mcp.server.runtime.ResourceTemplateCompletionManagerImpl;
import io.quarkiverse.mcp.server.runtime.ResourceTemplateManagerImpl;
import io.quarkiverse.mcp.server.runtime.ServerRequests;
import io.quarkiverse.mcp.server.runtime.ToolManagerImpl;
import io.quarkiverse.mcp.server.runtime.config.McpServersRuntimeConfig;
import io.quarkus.arc.All;
import io.vertx.core.Vertx;

/**
 * The extension's own message handling (features, filters, interceptors, tracing), driven for a 2026-07-28 request.
 * quarkus-mcp-server 1.13.0 speaks only 2025-11-25 and has no public API to call a feature, so this is the one class
 * built on its internal runtime package (re-check on upgrades; 2.0 serves 2026-07-28 itself). Each request arrives
 * on a fresh {@link StatelessConnection} that starts initialized with what the request's {@code _meta} declared, the
 * way the extension's own {@code auto-init} would.
 */
@Singleton
class StatelessMessageHandler extends McpMessageHandler<StatelessExchange> {

    StatelessMessageHandler(McpServersRuntimeConfig config,
            ConnectionManager connectionManager,
            PromptManagerImpl promptManager,
            ToolManagerImpl toolManager,
            ResourceManagerImpl resourceManager,
            PromptCompletionManagerImpl promptCompleteManager,
            ResourceTemplateManagerImpl resourceTemplateManager,
            ResourceTemplateCompletionManagerImpl resourceTemplateCompleteManager,
            NotificationManagerImpl notificationManager,
            ServerRequests serverRequests,
            CancellationRequests cancellationRequests,
            @All List<InitialCheck> initialChecks,
            @All List<InitialResponseInfo> initialResponseInfos,
            McpMetadata metadata,
            Vertx vertx,
            Instance<McpMetrics> metrics,
            Instance<McpTracing> tracing,
            Instance<McpRequestValidator> validator) {
        super(config, connectionManager, promptManager, toolManager, resourceManager, promptCompleteManager,
                resourceTemplateManager, resourceTemplateCompleteManager, notificationManager, serverRequests,
                metadata, vertx, initialChecks, initialResponseInfos,
                metrics.isResolvable() ? metrics.get() : null,
                tracing.isResolvable() ? tracing.get() : null,
                validator.isResolvable() ? validator.get() : null, cancellationRequests);
    }

    @Override
    protected InitialRequest.Transport transport() {
        return InitialRequest.Transport.STREAMABLE_HTTP;
    }
}
