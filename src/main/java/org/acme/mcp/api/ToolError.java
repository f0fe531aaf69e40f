package org.acme.mcp.api;

import io.quarkiverse.mcp.server.ToolCallException;

/**
 * A tool's own error: the caller gets a result with {@code isError: true} and this message, as MCP asks for errors
 * that come from a tool. Any other exception a tool throws is answered with a reference only, its details go to the
 * log. Never put secrets or internals in the message.
 */
public class ToolError extends ToolCallException {

    private static final long serialVersionUID = 1L;

    public ToolError(String message) {
        super(message);
    }
}
