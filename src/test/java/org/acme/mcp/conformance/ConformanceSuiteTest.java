package org.acme.mcp.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.acme.mcp.support.NpmPackages;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance}, pinned in {@link NpmPackages}) against
 * the secured server, once per protocol revision ({@code --requirements}), with the suite's fixture tools, prompts
 * and resources ({@link ConformanceFixtures}) and a real token added by a loopback proxy (the suite sends none). A
 * scenario may fail only if {@code src/test/resources/conformance/expected-failures.yaml} lists it, with its reason;
 * an entry that starts passing fails the run too, so the list stays true.
 */
@QuarkusTest
@TestProfile(FixturesProfile.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class ConformanceSuiteTest {

    static TokenProxy proxy;

    @BeforeAll
    static void startProxy() throws Exception {
        String token = Tokens.keycloak().subject("conformance-suite").scope("mcp.read").expiresIn(3600).sign();
        proxy = TokenProxy.start(FixturesProfile.PROXY_PORT, 8081, token);
    }

    @AfterAll
    static void stopProxy() throws Exception {
        proxy.close();
    }

    @ParameterizedTest
    @ValueSource(strings = { "2026-07-28", "2025-11-25" })
    void everyRequiredScenarioPassesButTheListedOnes(String revision) throws Exception {
        Path suite = NpmPackages.installed("@modelcontextprotocol/conformance").resolve("dist").resolve("index.js");
        Path out = Path.of("target", "conformance", revision).toAbsolutePath();
        Files.createDirectories(out);
        Path log = out.resolve("run.log");
        Path expected = Path.of("src", "test", "resources", "conformance", "expected-failures-" + revision + ".yaml")
                .toAbsolutePath();
        Process run = new ProcessBuilder(List.of(NpmPackages.node22().toString(), suite.toString(), "server",
                "--url", "http://localhost:" + FixturesProfile.PROXY_PORT + "/mcp", "--requirements", revision,
                "--expected-failures", expected.toString(), "-o", out.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!run.waitFor(10, TimeUnit.MINUTES)) {
            run.destroyForcibly();
            throw new AssertionError("conformance suite still running after 10 minutes: " + log);
        }
        List<String> lines = Files.readAllLines(log);
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        assertEquals(0, run.exitValue(), "conformance " + revision + " (full output: " + log + "):\n" + tail);
    }
}
