package org.acme.mcp.rbac;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.acme.mcp.support.StartupApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.mcp.server.Tool;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.test.QuarkusUnitTest;

/** Secure by default: an application with a tool that declares no authorization policy does not start. */
class UndeclaredToolStartupTest {

    /** A tool a developer forgot to protect; only built into this test's app (the property is set below). */
    @IfBuildProperty(name = "test.forgotten-tool", stringValue = "on")
    public static class ForgottenTool {
        @Tool(name = "forgotten", description = "Deletes everything")
        String forgotten() {
            return "done";
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> StartupApps.application(jar)
                    .addClass(ForgottenTool.class))
            .overrideConfigKey("quarkus.oidc.auth-server-url", "http://127.0.0.1:9/realms/none")
            .overrideConfigKey("test.forgotten-tool", "on")
            .assertException(e -> {
                String chain = StartupApps.messages(e);
                assertTrue(chain.contains("Tools without an authorization policy: [forgotten"), chain);
            });

    @Test
    void startupFails() {
        fail("the application must not start");
    }
}
