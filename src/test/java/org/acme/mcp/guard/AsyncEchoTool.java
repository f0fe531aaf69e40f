package org.acme.mcp.guard;

import org.acme.mcp.api.AnyAuthenticatedCaller;
import org.acme.mcp.api.UntrustedOutput;

import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;

/** A test-only tool returning {@link Uni} (run on the event loop) with untrusted output; only with test.guard-tools=on. */
@IfBuildProperty(name = "test.guard-tools", stringValue = "on")
public class AsyncEchoTool {

    @Tool(name = "echo-later", description = "Echoes a text, asynchronously.")
    @AnyAuthenticatedCaller
    @UntrustedOutput
    Uni<String> echoLater(@ToolArg(description = "text") String text) {
        return Uni.createFrom().item(() -> text + (io.vertx.core.Context.isOnEventLoopThread() ? " [event loop]" : ""));
    }
}
