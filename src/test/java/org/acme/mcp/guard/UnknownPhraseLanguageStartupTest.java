package org.acme.mcp.guard;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.acme.mcp.support.StartupApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A language without a word list stops start-up: the guard must not run weaker than configured. */
class UnknownPhraseLanguageStartupTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> StartupApps.application(jar))
            .overrideConfigKey("quarkus.oidc.auth-server-url", "http://127.0.0.1:9/realms/none")
            .overrideConfigKey("mcp.guard.local.languages", "en,de,xx")
            .assertException(e -> {
                String chain = StartupApps.messages(e);
                assertTrue(chain.contains("No phrase list for language 'xx'"), chain);
            });

    @Test
    void startupFails() {
        fail("the application must not start");
    }
}
