package org.acme.mcp.roundtrip;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.acme.mcp.api.AnyAuthenticatedCaller;
import org.acme.mcp.api.InputRequired;
import org.acme.mcp.api.InputResponses;
import org.acme.mcp.api.InputResponses.Elicitation;
import org.acme.mcp.api.RequiresApproval;

import io.quarkiverse.mcp.server.RequestUri;
import io.quarkiverse.mcp.server.ResourceTemplate;
import io.quarkiverse.mcp.server.ResourceTemplateArg;
import io.quarkiverse.mcp.server.TextResourceContents;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkus.arc.properties.IfBuildProperty;

/**
 * A tool and a resource that ask before they act, counting what they did, so that {@link RequestStateAttackTest} can
 * prove that a refused retry executes nothing. Built with the conformance fixtures only.
 */
@IfBuildProperty(name = "test.conformance-fixtures", stringValue = "on")
@AnyAuthenticatedCaller
public class AskFirstFeatures {

    public static final AtomicInteger DELETIONS = new AtomicInteger();

    @Inject
    InputResponses input;

    @Tool(name = "confirm-delete", description = "Deletes a target once the user confirmed it")
    String confirmDelete(@ToolArg(description = "What to delete") String target) {
        Elicitation confirm = input.elicitation("confirm").filter(c -> input.state().isPresent())
                .orElseThrow(() -> InputRequired.builder().elicitForm("confirm", "Delete " + target + "?",
                        Map.of("type", "object", "properties", Map.of("sure", Map.of("type", "boolean")), "required",
                                List.of("sure")))
                        .state("asked").build());
        if (!confirm.accepted() || !Boolean.TRUE.equals(confirm.content().get("sure"))) {
            return "not deleted: " + confirm.action().name().toLowerCase();
        }
        DELETIONS.incrementAndGet();
        return "deleted " + target;
    }

    @Tool(name = "delete-forever", description = "Deletes a target once a person approved the call")
    @RequiresApproval
    String deleteForever(@ToolArg(description = "What to delete") String target) {
        DELETIONS.incrementAndGet();
        return "deleted forever " + target;
    }

    /** A template, so that it is not among the listed resources the conformance suite reads without answering. */
    @ResourceTemplate(uriTemplate = "test://ask-first/{topic}", name = "ask-first",
            description = "Asks why before it is read", mimeType = "text/plain")
    TextResourceContents askFirst(@ResourceTemplateArg(name = "topic") String topic, RequestUri uri) {
        Elicitation why = input.elicitation("why").orElseThrow(() -> InputRequired.builder()
                .elicitForm("why", "Why do you read this?", Map.of("type", "object", "properties",
                        Map.of("reason", Map.of("type", "string"))))
                .build());
        return new TextResourceContents(uri.value(), topic + " read because " + why.content().get("reason"),
                "text/plain");
    }
}
