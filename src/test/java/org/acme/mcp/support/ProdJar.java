package org.acme.mcp.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the packaged prod artifact ({@code target/quarkus-app/quarkus-run.jar}) as a separate process with a given
 * configuration, for tests about start-up itself. Environment variables that could configure it are removed, so the
 * test decides the whole configuration.
 */
public final class ProdJar implements AutoCloseable {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final Process process;
    private final Path log;

    private ProdJar(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ProdJar launch(Map<String, String> config) throws IOException {
        return launch(config, List.of());
    }

    /** With extra JVM options, e.g. a flight recording. */
    public static ProdJar launch(Map<String, String> config, List<String> jvmOptions) throws IOException {
        return launch(config, jvmOptions, List.of(), JAR);
    }

    /**
     * The full form: {@code launcher} goes before the {@code java} command (e.g. {@code setpriv} to run as another
     * user), {@code jar} is the {@code quarkus-run.jar} to start.
     */
    public static ProdJar launch(Map<String, String> config, List<String> jvmOptions, List<String> launcher, Path jar)
            throws IOException {
        return launch(config, jvmOptions, launcher, jar, Map.of());
    }

    /** Configured through {@code environment} too, as a container is; system properties ({@code config}) still win. */
    public static ProdJar launch(Map<String, String> config, Map<String, String> environment) throws IOException {
        return launch(config, List.of(), List.of(), JAR, environment);
    }

    private static ProdJar launch(Map<String, String> config, List<String> jvmOptions, List<String> launcher, Path jar,
            Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        config.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        Path log = Files.createTempFile("prod-jar", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet()
                .removeIf(k -> k.startsWith("OIDC_") || k.startsWith("MCP_") || k.startsWith("QUARKUS_"));
        builder.environment().putAll(environment);
        return new ProdJar(builder.start(), log);
    }

    /**
     * Waits until the server reports it started ({@code true}) or the process exits ({@code false}).
     */
    public boolean awaitStartedOrExit() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                return false;
            }
            if (output().contains(" started in ")) {
                return true;
            }
        }
        throw new AssertionError("neither started nor exited within 60 s:\n" + output());
    }

    public long pid() {
        return process.pid();
    }

    public int exitCode() {
        return process.exitValue();
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(log);
    }
}
