package org.acme.mcp.failure;

import java.io.IOException;

import org.acme.mcp.api.AnyAuthenticatedCaller;

import io.quarkiverse.mcp.server.McpException;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolCallException;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.security.ForbiddenException;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;

/**
 * Test-only tools that fail in every way a tool can, each with a secret in its exception's message; present only in
 * apps built with {@code test.failing-tools=on}.
 */
@IfBuildProperty(name = "test.failing-tools", stringValue = "on")
public class FailingTools {

    static final String SECRET = "db-password=hunter2@db.internal:5432";

    @Tool(name = "fails", description = "Throws on a thread of its own.")
    @AnyAuthenticatedCaller
    String fails(@ToolArg(description = "a note") String note) {
        throw new IllegalStateException(SECRET);
    }

    @Tool(name = "fails-here", description = "Throws on the MCP worker (own-thread=false).")
    @AnyAuthenticatedCaller
    String failsHere(@ToolArg(description = "a note") String note) {
        throw new IllegalStateException(SECRET);
    }

    @Tool(name = "fails-checked", description = "Throws a checked exception.")
    @AnyAuthenticatedCaller
    String failsChecked(@ToolArg(description = "a note") String note) throws IOException {
        throw new IOException(SECRET);
    }

    @Tool(name = "fails-on-event-loop", description = "Throws on the event loop.")
    @AnyAuthenticatedCaller
    @NonBlocking
    String failsOnEventLoop(@ToolArg(description = "a note") String note) {
        throw new IllegalArgumentException(SECRET);
    }

    @Tool(name = "fails-uni", description = "Returns a failed Uni.")
    @AnyAuthenticatedCaller
    Uni<String> failsUni(@ToolArg(description = "a note") String note) {
        return Uni.createFrom().failure(new IllegalStateException(SECRET));
    }

    @Tool(name = "fails-forbidden", description = "A dependency of the tool refuses it.")
    @AnyAuthenticatedCaller
    String failsForbidden(@ToolArg(description = "a note") String note) {
        throw new ForbiddenException(SECRET);
    }

    @Tool(name = "recurses", description = "Recurses without end.")
    @AnyAuthenticatedCaller
    String recurses(@ToolArg(description = "a note") String note) {
        return String.valueOf(depth(0));
    }

    @Tool(name = "refuses", description = "Refuses with its own tool error.")
    @AnyAuthenticatedCaller
    String refuses(@ToolArg(description = "a note") String note) {
        throw new ToolCallException("Nothing to refuse here, as designed");
    }

    @Tool(name = "protocol-error", description = "Answers with a JSON-RPC error of its choice.")
    @AnyAuthenticatedCaller
    String protocolError(@ToolArg(description = "a note") String note) {
        throw new McpException("Invalid cursor, as designed", -32602);
    }

    private static long depth(long n) {
        return depth(n + 1) + 1;
    }
}
