package org.acme.mcp.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.acme.mcp.api.AnyAuthenticatedCaller;
import org.acme.mcp.support.StartupApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.mcp.server.Prompt;
import io.quarkiverse.mcp.server.PromptMessage;
import io.quarkiverse.mcp.server.Sampling;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A feature that sends requests to the client stops the start: the extension would accept the client's answer from
 * any session (ClientRequestsCheck).
 */
class ClientRequestsStartupTest {

    /** A prompt that asks the client's model; only built into this test's app (the property is set below). */
    @IfBuildProperty(name = "test.sampling-prompt", stringValue = "on")
    public static class SamplingPrompt {
        @Prompt(name = "summarize-with-model", description = "Summarizes with the client's model")
        @AnyAuthenticatedCaller
        PromptMessage summarize(Sampling sampling) {
            return PromptMessage.withUserRole(new TextContent("summary"));
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> StartupApps.application(jar)
                    .addClass(SamplingPrompt.class))
            .overrideConfigKey("quarkus.oidc.auth-server-url", "http://127.0.0.1:9/realms/none")
            .overrideConfigKey("test.sampling-prompt", "on")
            .assertException(e -> {
                String chain = StartupApps.messages(e);
                assertTrue(chain.contains("Features that send requests to the client (sampling, elicitation, roots):"
                        + " [PROMPT summarize-with-model (" + SamplingPrompt.class.getName() + "#summarize)]"), chain);
            });

    @Test
    void startupFails() {
        fail("the application must not start");
    }
}
