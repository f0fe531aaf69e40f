package org.acme.mcp.security;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.acme.mcp.support.StartupApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** Allowing an HMAC algorithm (key confusion) stops the start in every profile, not only in prod. */
class WeakAlgorithmStartupTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> StartupApps.application(jar))
            .overrideConfigKey("quarkus.oidc.auth-server-url", "http://127.0.0.1:9/realms/none")
            .overrideConfigKey("mcp.security.token.allowed-algorithms", "RS256,HS256")
            .assertException(e -> {
                String chain = StartupApps.messages(e);
                assertTrue(chain.contains("may list only asymmetric JWS algorithms"), chain);
            });

    @Test
    void startupFails() {
        fail("the application must not start");
    }
}
