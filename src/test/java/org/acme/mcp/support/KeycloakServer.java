package org.acme.mcp.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a real Keycloak (the distribution unpacked by {@code ./mvnw verify} into
 * {@code target/keycloak/keycloak-26.5.6}) on loopback, with the realm from
 * {@code deploy/keycloak/mcp-realm.json} imported into a fresh in-memory database.
 *
 * <p>
 * One Keycloak per JVM: a second {@link #start()} while the server is running reuses it (the state
 * lives in system properties, so this also holds when Quarkus loads this class in several class
 * loaders). Each {@code start()} is balanced by a {@code stop()}; the server is stopped when the last
 * user stops, and a shutdown hook stops it if the JVM exits first.
 *
 * <p>
 * Output goes to {@code target/keycloak-server.log}. Bootstrap admin of the master realm:
 * {@code admin}/{@code admin} (loopback only, throw-away database).
 */
public class KeycloakServer implements QuarkusTestResourceLifecycleManager {

    public static final String KEYCLOAK_VERSION = "26.5.6";
    public static final String REALM = "mcp";
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";

    /** Config keys handed to the application under test. */
    public static final String OIDC_AUTH_SERVER_URL = "quarkus.oidc.auth-server-url";
    public static final String KEYCLOAK_URL = "mcp.test.keycloak.url";

    static final Path DIST_DIR = Path.of("target", "keycloak", "keycloak-" + KEYCLOAK_VERSION);
    static final Path REALM_FILE = Path.of("deploy", "keycloak", "mcp-realm.json");
    static final Path LOG_FILE = Path.of("target", "keycloak-server.log");
    static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;

    // JVM-wide state (system properties are shared by every class loader of the JVM).
    private static final String PROP_PID = "mcp.test.keycloak.internal.pid";
    private static final String PROP_MGMT_PORT = "mcp.test.keycloak.internal.management-port";
    private static final String PROP_USERS = "mcp.test.keycloak.internal.users";
    private static final String PROP_LOG_STARTED = "mcp.test.keycloak.internal.log-started";
    private static final String PROP_HOOK = "mcp.test.keycloak.internal.shutdown-hook";

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private boolean started;

    /** Base URL of the running Keycloak, e.g. {@code http://127.0.0.1:41234}. */
    public static String baseUrl() {
        String url = System.getProperty(KEYCLOAK_URL);
        if (url == null) {
            throw new IllegalStateException("Keycloak is not running: start it with "
                    + "@QuarkusTestResource(KeycloakServer.class) (or call new KeycloakServer().start())");
        }
        return url;
    }

    /** Issuer / realm URL of the {@code mcp} realm, e.g. {@code http://127.0.0.1:41234/realms/mcp}. */
    public static String realmUrl() {
        return baseUrl() + "/realms/" + REALM;
    }

    /** Whether a Keycloak started by this class is running in this JVM. */
    public static boolean isRunning() {
        return runningProcess().isPresent();
    }

    @Override
    public Map<String, String> start() {
        synchronized (lock()) {
            if (!started) {
                if (runningProcess().isEmpty()) {
                    launch();
                }
                started = true;
                System.setProperty(PROP_USERS, String.valueOf(users() + 1));
            }
            return Map.of(
                    OIDC_AUTH_SERVER_URL, realmUrl(),
                    "quarkus.oidc.token.issuer", realmUrl(),
                    KEYCLOAK_URL, baseUrl());
        }
    }

    @Override
    public void stop() {
        synchronized (lock()) {
            if (!started) {
                return;
            }
            started = false;
            int remaining = Math.max(0, users() - 1);
            System.setProperty(PROP_USERS, String.valueOf(remaining));
            if (remaining == 0) {
                shutdown();
            }
        }
    }

    // ------------------------------------------------------------------------------------------

    private static Object lock() {
        // One monitor for the whole JVM, whatever class loader loaded this class (interned strings are shared).
        return "org.acme.mcp.support.KeycloakServer#lock".intern();
    }

    private static int users() {
        return Integer.parseInt(System.getProperty(PROP_USERS, "0"));
    }

    private static Optional<ProcessHandle> runningProcess() {
        String pid = System.getProperty(PROP_PID);
        if (pid == null) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive);
    }

    private static void launch() {
        Path dist = DIST_DIR.toAbsolutePath().normalize();
        Path kcSh = dist.resolve("bin").resolve("kc.sh");
        if (!Files.isRegularFile(kcSh)) {
            throw new IllegalStateException("Keycloak distribution not found: " + dist
                    + " (expected " + kcSh + "). Run `./mvnw verify` (its pre-integration-test phase unpacks "
                    + "org.keycloak:keycloak-quarkus-dist:" + KEYCLOAK_VERSION + ":zip into target/keycloak/).");
        }
        Path realm = REALM_FILE.toAbsolutePath().normalize();
        if (!Files.isRegularFile(realm)) {
            throw new IllegalStateException("Realm file not found: " + realm);
        }
        Path log = LOG_FILE.toAbsolutePath().normalize();
        try {
            Path importDir = dist.resolve("data").resolve("import");
            Files.createDirectories(importDir);
            Files.copy(realm, importDir.resolve("mcp-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            Files.createDirectories(log.getParent());
            if (System.getProperty(PROP_LOG_STARTED) == null) {
                Files.deleteIfExists(log); // one log per test JVM, restarts append to it
                System.setProperty(PROP_LOG_STARTED, "true");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Keycloak in " + dist, e);
        }
        installShutdownHook();

        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                launchOnce(dist, kcSh, log);
                return;
            } catch (PortClashException e) {
                failure = e; // another process grabbed a port between probing and binding: retry
            }
        }
        throw failure;
    }

    private static void launchOnce(Path dist, Path kcSh, Path log) {
        int[] ports = freePorts(2);
        int httpPort = ports[0];
        int mgmtPort = ports[1];
        String base = "http://127.0.0.1:" + httpPort;

        List<String> command = List.of("/bin/sh", kcSh.toString(), "start-dev",
                "--http-host=127.0.0.1",
                "--http-port=" + httpPort,
                "--http-management-host=127.0.0.1",
                "--http-management-port=" + mgmtPort,
                "--health-enabled=true",
                "--hostname=" + base,
                "--import-realm",
                "--db=dev-mem",
                "--cache=local");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dist.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        // Keep the developer's environment from reconfiguring the throw-away server.
        env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("KEYCLOAK_") || k.startsWith("QUARKUS_")
                || k.equals("JAVA_OPTS") || k.equals("JAVA_OPTS_APPEND") || k.equals("JAVA_ADD_OPENS"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");

        Instant begin = Instant.now();
        Process process;
        try {
            Files.writeString(log, System.lineSeparator() + "=== " + begin + " starting Keycloak " + KEYCLOAK_VERSION
                    + ": " + String.join(" ", command) + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + kcSh, e);
        }
        System.setProperty(PROP_PID, String.valueOf(process.pid()));
        System.setProperty(PROP_MGMT_PORT, String.valueOf(mgmtPort));

        try {
            awaitReady(process, mgmtPort, log, begin);
            verifyRealm(base, log);
        } catch (RuntimeException | Error e) {
            shutdown();
            throw e;
        }
        System.setProperty(KEYCLOAK_URL, base);
        System.out.printf("Keycloak %s ready at %s (management port %d) in %.1f s, log: %s%n",
                KEYCLOAK_VERSION, base, mgmtPort, Duration.between(begin, Instant.now()).toMillis() / 1000.0, log);
    }

    private static void awaitReady(Process process, int mgmtPort, Path log, Instant begin) {
        URI ready = URI.create("http://127.0.0.1:" + mgmtPort + "/health/ready");
        Instant deadline = begin.plus(READY_TIMEOUT);
        while (true) {
            if (!process.isAlive()) {
                String tail = tail(log);
                String message = "Keycloak exited with code " + process.exitValue() + " before becoming ready. Log "
                        + log + " ends with:\n" + tail;
                if (tail.contains("Address already in use") || tail.contains("already bound")
                        || tail.contains("Port(s) already")) {
                    throw new PortClashException(message);
                }
                throw new IllegalStateException(message);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Keycloak not ready after " + READY_TIMEOUT.toSeconds() + " s ("
                        + ready + "). Log " + log + " ends with:\n" + tail(log));
            }
            try {
                HttpResponse<Void> response = HTTP.send(
                        HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
            }
            sleep(250);
        }
    }

    /** Ready does not prove the realm was imported: check its discovery document and issuer. */
    private static void verifyRealm(String base, Path log) {
        String realmUrl = base + "/realms/" + REALM;
        URI discovery = URI.create(realmUrl + "/.well-known/openid-configuration");
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || !response.body().contains("\"issuer\":\"" + realmUrl + "\"")) {
                throw new IllegalStateException("Realm '" + REALM + "' not served as expected: GET " + discovery
                        + " answered " + response.statusCode() + ". Was " + REALM_FILE + " imported? Log " + log
                        + " ends with:\n" + tail(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("GET " + discovery + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking the realm", e);
        }
    }

    /** SIGTERM to kc.sh and its descendants (the Keycloak JVM), wait, then SIGKILL what is left. */
    private static void shutdown() {
        Optional<ProcessHandle> root = runningProcess();
        System.clearProperty(PROP_PID);
        System.clearProperty(PROP_MGMT_PORT);
        System.clearProperty(KEYCLOAK_URL);
        if (root.isEmpty()) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root.get());
        root.get().descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroy);
        if (!awaitExit(tree, STOP_TIMEOUT)) {
            tree.forEach(ProcessHandle::destroyForcibly);
            awaitExit(tree, Duration.ofSeconds(10));
        }
    }

    private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle p : processes) {
            long left = deadline - System.nanoTime();
            try {
                p.onExit().get(Math.max(left, 1), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception timeoutOrOther) {
                if (p.isAlive()) {
                    return false;
                }
            }
        }
        return processes.stream().noneMatch(ProcessHandle::isAlive);
    }

    private static void installShutdownHook() {
        if (System.getProperty(PROP_HOOK) != null) {
            return;
        }
        System.setProperty(PROP_HOOK, "true");
        Runtime.getRuntime().addShutdownHook(new Thread(KeycloakServer::shutdown, "keycloak-test-server-stop"));
    }

    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"));
                sockets.add(socket); // held open until all are chosen, so the ports differ
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free loopback port", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    private static String tail(Path log) {
        try {
            byte[] bytes = Files.readAllBytes(log);
            String text = new String(bytes, Math.max(0, bytes.length - 32_768), Math.min(bytes.length, 32_768),
                    StandardCharsets.UTF_8);
            String[] lines = text.split("\\R");
            return String.join("\n", Arrays.asList(lines).subList(Math.max(0, lines.length - 60), lines.length));
        } catch (IOException | RuntimeException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
        }
    }

    private static final class PortClashException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortClashException(String message) {
            super(message);
        }
    }
}
