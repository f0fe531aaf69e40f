package org.acme.mcp.tools;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.acme.mcp.guard.UntrustedOutput;
import org.acme.mcp.rbac.RequiresScopes;
import org.acme.mcp.sandbox.SandboxException;
import org.acme.mcp.sandbox.SandboxExecutor;
import org.acme.mcp.sandbox.SandboxResult;

import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolCallException;

/**
 * Sorts lines with GNU {@code sort}, run in the sandbox: the model of a tool that needs a real program. The program
 * and its options come from code (argv list, no shell); the caller's text only ever reaches its stdin. Its result is
 * that text again, so it is returned as untrusted content (delimited, data-marked, invisible characters escaped).
 */
public class SortLinesTool {

    static final int MAX_INPUT = 200_000;

    @Inject
    SandboxExecutor sandbox;

    @Tool(name = "sort-lines", title = "Sort lines",
            description = "Sorts the lines of a text (GNU sort in an isolated sandbox): optionally numeric, reversed,"
                    + " or with duplicate lines removed.",
            annotations = @Tool.Annotations(title = "Sort lines", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    @RequiresScopes("mcp.read")
    @UntrustedOutput
    TextContent sortLines(@ToolArg(description = "The text whose lines to sort") String text,
            @ToolArg(description = "Compare as numbers", required = false, defaultValue = "false") boolean numeric,
            @ToolArg(description = "Reverse the order", required = false, defaultValue = "false") boolean reverse,
            @ToolArg(description = "Drop duplicate lines", required = false, defaultValue = "false") boolean unique) {
        if (text.length() > MAX_INPUT) {
            throw new ToolCallException("Text too long: at most " + MAX_INPUT + " characters");
        }
        List<String> argv = new ArrayList<>(List.of("/usr/bin/sort"));
        if (numeric) {
            argv.add("--numeric-sort");
        }
        if (reverse) {
            argv.add("--reverse");
        }
        if (unique) {
            argv.add("--unique");
        }
        SandboxResult result;
        try {
            result = sandbox.run("text", argv, text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
        } catch (SandboxException e) {
            throw new ToolCallException(e.getMessage());
        }
        if (!result.succeeded()) {
            throw new ToolCallException("sort " + result.describe());
        }
        return new TextContent(result.stdout()); // a TextContent, not a String: it can carry the untrusted _meta
    }
}
