package org.acme.mcp.transport;

import io.quarkiverse.mcp.server.Prompt;
import io.quarkiverse.mcp.server.PromptArg;
import io.quarkiverse.mcp.server.PromptMessage;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkus.arc.properties.IfBuildProperty;

/** A test-only prompt; present only in apps built with {@code test.prompts=on}. */
@IfBuildProperty(name = "test.prompts", stringValue = "on")
public class TestPrompts {

    @Prompt(name = "greeting", description = "Greets someone.")
    PromptMessage greeting(@PromptArg(description = "who") String name) {
        return PromptMessage.withUserRole(new TextContent("Hello " + name));
    }
}
