package org.acme.mcp.rbac;

import io.quarkiverse.mcp.server.Prompt;
import io.quarkiverse.mcp.server.PromptArg;
import io.quarkiverse.mcp.server.PromptMessage;
import io.quarkiverse.mcp.server.Resource;
import io.quarkiverse.mcp.server.ResourceTemplate;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkus.arc.properties.IfBuildProperty;

/** Test-only prompts and resources, open and restricted; present only in apps built with {@code test.features=on}. */
@IfBuildProperty(name = "test.features", stringValue = "on")
public class TestFeatures {

    @Prompt(name = "greeting", description = "Greets someone.")
    @AnyAuthenticatedCaller
    PromptMessage greeting(@PromptArg(description = "who") String name) {
        return PromptMessage.withUserRole(new TextContent("Hello " + name));
    }

    @Prompt(name = "incident-briefing", description = "Briefs an administrator.")
    @RequiresRoles("mcp-admin")
    PromptMessage incidentBriefing() {
        return PromptMessage.withUserRole(new TextContent("admin-only briefing"));
    }

    @Resource(uri = "file:///reports/q3.txt", name = "q3-report", description = "Quarterly report.")
    @RequiresRoles("mcp-admin")
    String q3Report() {
        return "admin-only report";
    }

    @ResourceTemplate(uriTemplate = "file:///notes/{id}", name = "note", description = "A note.")
    @RequiresScopes("mcp.write")
    String note(String id) {
        return "note " + id;
    }
}
