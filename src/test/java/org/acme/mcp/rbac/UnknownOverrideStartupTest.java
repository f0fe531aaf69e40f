package org.acme.mcp.rbac;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.acme.mcp.support.StartupApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A typo in an operator override (a tool name that does not exist) stops start-up instead of protecting nothing. */
class UnknownOverrideStartupTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> StartupApps.application(jar))
            .overrideConfigKey("quarkus.oidc.auth-server-url", "http://127.0.0.1:9/realms/none")
            .overrideConfigKey("mcp.rbac.tools.\"end-user-session\".disabled", "true")
            .assertException(e -> {
                String chain = StartupApps.messages(e);
                assertTrue(chain.contains("mcp.rbac.tools overrides name no tool: [end-user-session]"), chain);
            });

    @Test
    void startupFails() {
        fail("the application must not start");
    }
}
