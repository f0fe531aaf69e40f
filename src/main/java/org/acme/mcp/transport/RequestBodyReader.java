package org.acme.mcp.transport;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.pipeline.Pipeline;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Reads the body of a {@code POST} to the MCP endpoint for {@link RequestBodyGuard}. Runs after authentication and
 * the request budget, so anonymous and over-budget callers never get their bodies buffered.
 */
@ApplicationScoped
@Pipeline.At(Pipeline.Stage.BODY_READ)
public class RequestBodyReader implements Pipeline.HttpStage {

    private final BodyHandler bodyHandler;

    RequestBodyReader(
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBody) {
        // Same limit as the platform's body handler, which then sees the body as already read
        this.bodyHandler = BodyHandler.create(false).setBodyLimit(maxBody.asLongValue())
                .setPreallocateBodyBuffer(true); // sized by Content-Length (within the limit), not grown per chunk
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (McpRequest.of(ctx).isPost()) {
            bodyHandler.handle(ctx);
        } else {
            ctx.next();
        }
    }
}
