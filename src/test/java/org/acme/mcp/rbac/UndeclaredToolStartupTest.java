package org.acme.mcp.rbac;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.mcp.server.Tool;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.test.QuarkusUnitTest;

/** Secure by default: an application with a tool that declares no authorization policy does not start. */
class UndeclaredToolStartupTest {

    /** The application's packages, for the small test apps. */
    static final String[] APP_PACKAGES = { "org.acme.mcp.audit", "org.acme.mcp.incident", "org.acme.mcp.rbac",
            "org.acme.mcp.sandbox", "org.acme.mcp.security", "org.acme.mcp.tools", "org.acme.mcp.transport" };

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
            .withApplicationRoot(jar -> jar.addPackages(true, UndeclaredToolStartupTest.APP_PACKAGES)
                    .addClass(ForgottenTool.class)
                    .addAsResource("application.properties"))
            .overrideConfigKey("quarkus.oidc.auth-server-url", "http://127.0.0.1:9/realms/none")
            .overrideConfigKey("test.forgotten-tool", "on")
            .assertException(e -> {
                String chain = messages(e);
                assertTrue(chain.contains("Tools without an authorization policy: [forgotten"), chain);
            });

    static String messages(Throwable e) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(t.getMessage()).append('\n');
        }
        return chain.toString();
    }

    @Test
    void startupFails() {
        fail("the application must not start");
    }
}
