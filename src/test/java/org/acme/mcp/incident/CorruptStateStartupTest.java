package org.acme.mcp.incident;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.acme.mcp.support.StartupApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** Fail closed: a server whose kill-switch state file is corrupt does not start (it would lift the blocks). */
class CorruptStateStartupTest {

    static final Path STATE = Path.of("target", "incident-corrupt-test", "state.json").toAbsolutePath();

    static {
        try {
            Files.createDirectories(STATE.getParent());
            Files.writeString(STATE, "{\"version\":1,\"blockedSubjects\":{\"compromised\":"); // torn write
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> StartupApps.application(jar))
            .overrideConfigKey("quarkus.oidc.auth-server-url", "http://127.0.0.1:9/realms/none")
            .overrideConfigKey("%test.mcp.incident.state-file", STATE.toString())
            .assertException(e -> {
                StringBuilder chain = new StringBuilder();
                for (Throwable t = e; t != null; t = t.getCause()) {
                    chain.append(t.getMessage()).append('\n');
                }
                assertTrue(chain.indexOf("Incident state file " + STATE + " is corrupt") >= 0
                        && chain.indexOf("Refusing to start") >= 0, chain.toString());
            });

    @Test
    void startupFails() {
        fail("the application must not start");
    }
}
