package org.acme.mcp.it;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Fail closed: the packaged prod artifact refuses to start when a token check or transport protection would be off.
 * Each case starts the real {@code quarkus-run.jar} with an otherwise complete configuration and one defect.
 */
class ProdStartupRefusalIT {

    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    /** A complete prod configuration (the IdP need not be reachable for the start-up checks). */
    static Map<String, String> good() {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.http.port", "0");
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("quarkus.otel.sdk.disabled", "true");
        config.put("quarkus.oidc.auth-server-url", "http://127.0.0.1:9/realms/mcp");
        config.put("quarkus.oidc.token.issuer", "http://127.0.0.1:9/realms/mcp");
        config.put("mcp.security.resource", "https://mcp.example.com/mcp");
        config.put("quarkus.oidc.token.audience", "https://mcp.example.com/mcp");
        config.put("mcp.security.transport.tls-termination", "proxy");
        return config;
    }

    /** Exit code stand-in for a server that started and kept running. */
    static final int STARTED = Integer.MIN_VALUE;

    record Outcome(int exitCode, String output) {
    }

    static Outcome launch(Map<String, String> config) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        config.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", JAR.toString()));
        Path log = Files.createTempFile("prod-start", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // No inherited OIDC_*/MCP_* variables: the test decides the whole configuration
        builder.environment().keySet().removeIf(k -> k.startsWith("OIDC_") || k.startsWith("MCP_") || k.startsWith("QUARKUS_"));
        Process process = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                    return new Outcome(process.exitValue(), read(log));
                }
                if (read(log).contains(" started in ")) {
                    return new Outcome(STARTED, read(log));
                }
            }
            throw new AssertionError("neither started nor exited within 60 s:\n" + read(log));
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        }
    }

    static String read(Path log) throws IOException {
        return Files.readString(log);
    }

    static void assertRefused(Map<String, String> config, String expected) throws Exception {
        Outcome outcome = launch(config);
        assertNotEquals(STARTED, outcome.exitCode(), "the server started:\n" + outcome.output());
        assertNotEquals(0, outcome.exitCode(), outcome.output());
        assertTrue(outcome.output().contains(expected), "expected '" + expected + "' in:\n" + outcome.output());
    }

    @Test
    void withoutAnIssuer() throws Exception {
        Map<String, String> config = good();
        config.remove("quarkus.oidc.token.issuer");
        assertRefused(config, "quarkus.oidc.token.issuer (OIDC_ISSUER) must name the one trusted issuer");
    }

    @Test
    void withAnyIssuer() throws Exception {
        Map<String, String> config = good();
        config.put("quarkus.oidc.token.issuer", "any");
        assertRefused(config, "quarkus.oidc.token.issuer (OIDC_ISSUER) must name the one trusted issuer");
    }

    @Test
    void withAnyAudience() throws Exception {
        Map<String, String> config = good();
        config.put("quarkus.oidc.token.audience", "any");
        assertRefused(config, "quarkus.oidc.token.audience must list this server's audiences");
    }

    @Test
    void withoutAResource() throws Exception {
        Map<String, String> config = good();
        config.remove("mcp.security.resource");
        config.remove("quarkus.oidc.token.audience");
        assertRefused(config, "mcp.security.resource");
    }

    @Test
    void withAPlainHttpResourceOnTheNetwork() throws Exception {
        Map<String, String> config = good();
        config.put("mcp.security.resource", "http://mcp.example.com/mcp");
        config.put("quarkus.oidc.token.audience", "http://mcp.example.com/mcp");
        assertRefused(config, "must be an https URI");
    }

    @Test
    void withoutTls() throws Exception {
        Map<String, String> config = good();
        config.put("mcp.security.transport.tls-termination", "none");
        assertRefused(config, "tls-termination=none is for dev and test only");
    }

    @Test
    void withAppTlsButNoKeyStore() throws Exception {
        Map<String, String> config = good();
        config.remove("mcp.security.transport.tls-termination"); // default: app
        assertRefused(config, "needs a key store in the TLS registry");
    }

    @Test
    void aCompleteConfigurationStarts() throws Exception {
        Outcome outcome = launch(good());
        assertTrue(outcome.exitCode() == STARTED, "expected the server to keep running:\n" + outcome.output());
    }
}
