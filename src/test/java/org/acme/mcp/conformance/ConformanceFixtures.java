package org.acme.mcp.conformance;

import java.util.List;

import org.acme.mcp.api.AnyAuthenticatedCaller;
import org.acme.mcp.api.ToolError;

import io.quarkiverse.mcp.server.AudioContent;
import io.quarkiverse.mcp.server.BlobResourceContents;
import io.quarkiverse.mcp.server.CompleteArg;
import io.quarkiverse.mcp.server.CompletePrompt;
import io.quarkiverse.mcp.server.EmbeddedResource;
import io.quarkiverse.mcp.server.ImageContent;
import io.quarkiverse.mcp.server.McpLog;
import io.quarkiverse.mcp.server.Progress;
import io.quarkiverse.mcp.server.Prompt;
import io.quarkiverse.mcp.server.PromptArg;
import io.quarkiverse.mcp.server.PromptMessage;
import io.quarkiverse.mcp.server.RequestUri;
import io.quarkiverse.mcp.server.Resource;
import io.quarkiverse.mcp.server.ResourceTemplate;
import io.quarkiverse.mcp.server.ResourceTemplateArg;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.TextResourceContents;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkus.arc.properties.IfBuildProperty;

/**
 * The tools, prompts and resources the official MCP conformance suite calls ({@code test_*}, {@code test://...}),
 * answering as its reference server does. Test classpath only, and only in apps built with
 * {@code test.conformance-fixtures=on} ({@link ConformanceSuiteTest}): never in the packaged server.
 */
@IfBuildProperty(name = "test.conformance-fixtures", stringValue = "on")
@AnyAuthenticatedCaller
public class ConformanceFixtures {

    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
    static final String WAV = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

    @Tool(name = "test_simple_text", description = "Tests simple text content response")
    String simpleText() {
        return "This is a simple text response for testing.";
    }

    @Tool(name = "test_image_content", description = "Tests image content response")
    ImageContent image() {
        return new ImageContent(PNG, "image/png");
    }

    @Tool(name = "test_audio_content", description = "Tests audio content response")
    AudioContent audio() {
        return new AudioContent(WAV, "audio/wav");
    }

    @Tool(name = "test_embedded_resource", description = "Tests embedded resource content response")
    EmbeddedResource embedded() {
        return new EmbeddedResource(new TextResourceContents("test://embedded-resource",
                "This is an embedded resource content.", "text/plain"));
    }

    @Tool(name = "test_multiple_content_types",
            description = "Tests response with multiple content types (text, image, resource)")
    ToolResponse mixed() {
        return ToolResponse.success(List.of(new TextContent("Multiple content types test:"),
                new ImageContent(PNG, "image/png"),
                new EmbeddedResource(new TextResourceContents("test://mixed-content-resource",
                        "{\"test\":\"data\",\"value\":123}", "application/json"))));
    }

    @Tool(name = "test_tool_with_logging", description = "Tests tool that emits log messages during execution")
    String withLogging(McpLog log) throws InterruptedException {
        log.info("Tool execution started");
        Thread.sleep(50);
        log.info("Tool processing data");
        Thread.sleep(50);
        log.info("Tool execution completed");
        return "Tool with logging executed successfully";
    }

    @Tool(name = "test_logging_tool", description = "Logs while it runs; a 2026-07-28 caller gets logs only if it asks")
    String logging(McpLog log) {
        log.info("Logging tool ran");
        return "Logging tool executed";
    }

    /**
     * The suite's probe that a 2026-07-28 response stream carries notifications only: this server never sends the
     * client a request (it asks clients nothing), so the tool streams a notification and answers.
     */
    @Tool(name = "test_streaming_elicitation", description = "Streams a notification, then answers; never a request")
    String streaming(Progress progress) {
        progress.token().ifPresent(token -> progress.notificationBuilder().setProgress(1).setTotal(1)
                .setMessage("working").build().sendAndForget());
        return "Streamed without asking the client anything";
    }

    @Tool(name = "test_tool_with_progress", description = "Tests tool that reports progress notifications")
    String withProgress(Progress progress) throws InterruptedException {
        if (progress.token().isPresent()) {
            for (int step : new int[] { 0, 50, 100 }) {
                progress.notificationBuilder().setProgress(step).setTotal(100)
                        .setMessage("Completed step " + step + " of 100").build().sendAndForget();
                Thread.sleep(50);
            }
        }
        return String.valueOf(progress.token().map(t -> t.value()).orElse(0));
    }

    @Tool(name = "test_error_handling", description = "Tests error response handling")
    String error() {
        throw new ToolError("This tool intentionally returns an error for testing");
    }

    @Resource(uri = "test://static-text", name = "static-text", title = "Static Text Resource",
            description = "A static text resource for testing", mimeType = "text/plain")
    TextResourceContents staticText() {
        return new TextResourceContents("test://static-text", "This is the content of the static text resource.",
                "text/plain");
    }

    @Resource(uri = "test://static-binary", name = "static-binary", title = "Static Binary Resource",
            description = "A static binary resource (image) for testing", mimeType = "image/png")
    BlobResourceContents staticBinary() {
        return new BlobResourceContents("test://static-binary", PNG, "image/png");
    }

    @Resource(uri = "test://watched-resource", name = "watched-resource", title = "Watched Resource",
            description = "A resource clients may subscribe to", mimeType = "text/plain")
    TextResourceContents watched() {
        return new TextResourceContents("test://watched-resource", "Watched resource content", "text/plain");
    }

    @ResourceTemplate(uriTemplate = "test://template/{id}/data", name = "template", title = "Resource Template",
            description = "A resource template with parameter substitution", mimeType = "application/json")
    TextResourceContents template(@ResourceTemplateArg(name = "id") String id, RequestUri uri) {
        return new TextResourceContents(uri.value(),
                "{\"id\":\"" + id + "\",\"templateTest\":true,\"data\":\"Data for ID: " + id + "\"}",
                "application/json");
    }

    @Prompt(name = "test_simple_prompt", title = "Simple Test Prompt", description = "A simple prompt without arguments")
    PromptMessage simplePrompt() {
        return PromptMessage.withUserRole(new TextContent("This is a simple prompt for testing."));
    }

    @Prompt(name = "test_prompt_with_arguments", title = "Prompt With Arguments",
            description = "A prompt with required arguments")
    PromptMessage withArguments(@PromptArg(name = "arg1", description = "First test argument") String arg1,
            @PromptArg(name = "arg2", description = "Second test argument") String arg2) {
        return PromptMessage.withUserRole(
                new TextContent("Prompt with arguments: arg1='" + arg1 + "', arg2='" + arg2 + "'"));
    }

    @CompletePrompt("test_prompt_with_arguments")
    List<String> completeArg1(@CompleteArg(name = "arg1") String value) {
        return List.of();
    }

    @Prompt(name = "test_prompt_with_embedded_resource", title = "Prompt With Embedded Resource",
            description = "A prompt that includes an embedded resource")
    List<PromptMessage> withEmbeddedResource(
            @PromptArg(name = "resourceUri", description = "URI of the resource to embed") String resourceUri) {
        return List.of(
                PromptMessage.withUserRole(new EmbeddedResource(new TextResourceContents(resourceUri,
                        "Embedded resource content for testing.", "text/plain"))),
                PromptMessage.withUserRole(new TextContent("Please process the embedded resource above.")));
    }

    @Prompt(name = "test_prompt_with_image", title = "Prompt With Image", description = "A prompt that includes image content")
    List<PromptMessage> withImage() {
        return List.of(PromptMessage.withUserRole(new ImageContent(PNG, "image/png")),
                PromptMessage.withUserRole(new TextContent("Please analyze the image above.")));
    }
}
