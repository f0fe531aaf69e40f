package org.acme.mcp.rbac;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.acme.mcp.support.StartupApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.mcp.server.Prompt;
import io.quarkiverse.mcp.server.PromptMessage;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.test.QuarkusUnitTest;

/** Secure by default, as for tools: an application with a prompt that declares no authorization policy does not start. */
class UndeclaredPromptStartupTest {

    /** A prompt a developer forgot to protect; only built into this test's app (the property is set below). */
    @IfBuildProperty(name = "test.forgotten-prompt", stringValue = "on")
    public static class ForgottenPrompt {
        @Prompt(name = "internal-runbook", description = "The internal runbook")
        PromptMessage runbook() {
            return PromptMessage.withUserRole(new TextContent("secret steps"));
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> StartupApps.application(jar)
                    .addClass(ForgottenPrompt.class))
            .overrideConfigKey("quarkus.oidc.auth-server-url", "http://127.0.0.1:9/realms/none")
            .overrideConfigKey("test.forgotten-prompt", "on")
            .assertException(e -> {
                String chain = StartupApps.messages(e);
                assertTrue(chain.contains("Prompts or resources without an authorization policy: [Prompt internal-runbook"),
                        chain);
            });

    @Test
    void startupFails() {
        fail("the application must not start");
    }
}
