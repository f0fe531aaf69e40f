package org.acme.mcp.tools;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.acme.mcp.api.RequiresScopes;
import org.acme.mcp.api.Sandbox;
import org.acme.mcp.api.ToolError;
import org.acme.mcp.api.UntrustedOutput;

import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;

/**
 * Sorts lines with GNU {@code sort}, run in the sandbox: the model of a tool that needs a real program. The program
 * and its options come from code (argv list, no shell); the caller's text only ever reaches its stdin. Its result is
 * that text again, so it is returned as untrusted content (delimited, data-marked, invisible characters escaped).
 */
public class SortLinesTool {

    static final int MAX_INPUT = 200_000;

    @Inject
    Sandbox sandbox;

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
            throw new ToolError("Text too long: at most " + MAX_INPUT + " characters");
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
        String sorted = sandbox.output("text", argv, text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
        return new TextContent(sorted); // a TextContent, not a String: it can carry the untrusted _meta
    }
}
