package org.acme.mcp.guard;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.acme.mcp.support.StartupApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A typo in a per-tool guard setting (a tool name that does not exist) stops start-up instead of guarding nothing. */
class UnknownGuardToolStartupTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> StartupApps.application(jar))
            .overrideConfigKey("quarkus.oidc.auth-server-url", "http://127.0.0.1:9/realms/none")
            .overrideConfigKey("mcp.guard.tools.\"sort-line\".action", "allow")
            .assertException(e -> {
                StringBuilder chain = new StringBuilder();
                for (Throwable t = e; t != null; t = t.getCause()) {
                    chain.append(t.getMessage()).append('\n');
                }
                assertTrue(chain.toString().contains("mcp.guard.tools names no tool: [sort-line]"), chain.toString());
            });

    @Test
    void startupFails() {
        fail("the application must not start");
    }
}
