package org.acme.mcp.rbac;

import java.util.List;

import org.acme.mcp.api.AnyAuthenticatedCaller;
import org.acme.mcp.api.RequiresRoles;
import org.acme.mcp.api.RequiresScopes;

import io.quarkiverse.mcp.server.CompleteArg;
import io.quarkiverse.mcp.server.CompletePrompt;
import io.quarkiverse.mcp.server.CompleteResourceTemplate;
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
    PromptMessage incidentBriefing(@PromptArg(description = "which incident", required = false) String incident) {
        return PromptMessage.withUserRole(new TextContent("admin-only briefing"));
    }

    // a name that a JSON number becomes when read with getString: {"name":7} must not reach it (FeatureGate)
    @Prompt(name = "7", description = "Briefs an administrator on incident seven.")
    @RequiresRoles("mcp-admin")
    PromptMessage seven(@PromptArg(description = "which part", required = false) String part) {
        return PromptMessage.withUserRole(new TextContent("admin-only briefing seven"));
    }

    @CompletePrompt("7")
    List<String> completeSeven(@CompleteArg(name = "part") String prefix) {
        return List.of("seven-admin-only-" + prefix);
    }

    // "greeting" + "_" + "internal_dept" is this completion's key too: asking greeting's must not run it (FeatureGate)
    @Prompt(name = "greeting_internal", description = "Greets a department.")
    @RequiresRoles("mcp-admin")
    PromptMessage greetingInternal(@PromptArg(description = "which department", required = false) String dept) {
        return PromptMessage.withUserRole(new TextContent("admin-only greeting"));
    }

    @CompletePrompt("greeting_internal")
    List<String> completeDepartment(@CompleteArg(name = "dept") String prefix) {
        return List.of("dept-admin-only-" + prefix);
    }

    // completions are authorized as the prompt or template they complete (FeatureGate)
    @CompletePrompt("incident-briefing")
    List<String> completeIncident(@CompleteArg(name = "incident") String prefix) {
        return List.of("INC-admin-only-" + prefix);
    }

    @CompleteResourceTemplate("note")
    List<String> completeNoteId(@CompleteArg(name = "id") String prefix) {
        return List.of("note-admin-only-" + prefix);
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
