package org.acme.mcp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.mcp.support.ProdJar;
import org.acme.mcp.support.TestIssuer;

/**
 * One server of the benchmark, on loopback, as a process of its own: the packaged product ({@code target/quarkus-app})
 * or one of the benchmark's own applications ({@link BenchApps}: the unsecured baseline, authentication alone).
 */
final class BenchServer implements AutoCloseable {

    /** What a server runs. */
    enum Kind {
        /**
         * The packaged product in the {@code benchmark} profile, configured like production (issuer, audience,
         * audit trail with HMAC, limits on) except where a variant says otherwise.
         */
        SECURED(null),
        /** {@link BenchApps.App#UNSECURED}: the sample tools on the bare extension, no security at all. */
        UNSECURED(BenchApps.App.UNSECURED),
        /** {@link BenchApps.App#AUTHENTICATION_ONLY}: the same plus the product's bearer authentication. */
        AUTHENTICATION_ONLY(BenchApps.App.AUTHENTICATION_ONLY);

        final BenchApps.App app;

        Kind(BenchApps.App app) {
            this.app = app;
        }

        /** Whether a request needs a valid token. */
        boolean authenticates() {
            return this != UNSECURED;
        }
    }

    final String name;
    final int port;
    final Kind kind;
    /** Whether a request needs a valid token. */
    final boolean secured;
    private final ProdJar jar;

    private BenchServer(String name, int port, Kind kind, ProdJar jar) {
        this.name = name;
        this.port = port;
        this.kind = kind;
        this.secured = kind.authenticates();
        this.jar = jar;
    }

    /** A server of the given kind; {@code overrides} come last. */
    static BenchServer start(String name, int port, Kind kind, Map<String, String> overrides) throws Exception {
        return start(name, port, kind, overrides, ProdJar.JAR);
    }

    /**
     * The same, a {@link Kind#SECURED} server launched from {@code productJar} instead of this build's
     * {@code target/quarkus-app/quarkus-run.jar}, e.g. the product before a change ({@code bench.compare-jar}).
     */
    static BenchServer start(String name, int port, Kind kind, Map<String, String> overrides, Path productJar)
            throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("quarkus.http.port", String.valueOf(port));
        config.put("quarkus.otel.sdk.disabled", "true");
        if (kind.authenticates()) {
            TestIssuer.ensureStarted();
            config.put("quarkus.oidc.auth-server-url", TestIssuer.issuer());
            config.put("quarkus.oidc.token.issuer", TestIssuer.issuer());
            config.put("quarkus.oidc.token.audience", "mcp-server");
            config.put("mcp.security.resource", "http://localhost:" + port + "/mcp");
            config.put("mcp.security.transport.tls-termination", "proxy");
        }
        if (kind == Kind.SECURED) {
            // a profile of its own, as the benchmark always had: the %prod settings (TLS, HSTS, issuer from the
            // environment) do not apply on plain-HTTP loopback, nor do %dev and %test relaxations
            config.put("quarkus.profile", "benchmark");
            Path audit = Path.of("target", "bench-audit", name);
            deleteRecursively(audit);
            config.put("mcp.audit.trail.directory", audit.toString());
            config.put("mcp.audit.trail.hmac-key", "bench-audit-key-0123456789");
            config.put("mcp.round-trip.state-key", "bench-request-state-key-0123456789-abcdef");
            // the limiter runs (its cost is measured) but the load stays inside the budgets
            config.put("mcp.limits.caller-limit", "1000000000");
            config.put("mcp.limits.client-limit", "1000000000");
            config.put("mcp.limits.request-limit", "1000000000");
            config.put("mcp.limits.max-concurrent-calls-per-caller", "64");
            config.put("mcp.security.transport.max-sessions-per-caller", "100");
        }
        config.putAll(overrides);
        Path executable = kind.app == null ? productJar : BenchApps.jar(kind.app);
        List<String> jvm = new ArrayList<>();
        if (Boolean.getBoolean("bench.jfr")) {
            // e.g. -Dbench.jfr-settings=my.jfc: a copy of profile.jfc with jdk.ExecutionSample every 1 ms
            jvm.add("-XX:StartFlightRecording=settings=" + System.getProperty("bench.jfr-settings", "profile")
                    + ",filename=" + Path.of("target", "benchmark", name + ".jfr"));
        }
        String extra = System.getProperty("bench.jvm", ""); // e.g. "-XX:+PreserveFramePointer" for perf
        if (!extra.isBlank()) {
            jvm.addAll(List.of(extra.trim().split("\\s+")));
        }
        // e.g. "taskset -c 1" with the client on the other core ("taskset -c 0 ./mvnw ..."): far less noise
        String launcher = System.getProperty("bench.launcher", "");
        Files.createDirectories(Path.of("target", "benchmark"));
        ProdJar jar = ProdJar.launch(config, jvm,
                launcher.isBlank() ? List.of() : List.of(launcher.trim().split("\\s+")), executable);
        try {
            if (!jar.awaitStartedOrExit()) {
                throw new IllegalStateException(name + " did not start:\n" + jar.output());
            }
        } catch (Exception | Error e) {
            jar.close();
            throw e;
        }
        return new BenchServer(name, port, kind, jar);
    }

    /**
     * Heap in use right after a full GC, in bytes (jcmd GC.run, then GC.heap_info): the sum over its generations, since
     * a server that sees one CPU (pinned) runs the serial collector, which reports young and old generation apart.
     */
    long heapAfterGc() throws Exception {
        jcmd("GC.run");
        jcmd("GC.run"); // a second full GC: what the first only made unreachable (finalizers, cleaners) goes too
        String info = jcmd("GC.heap_info");
        Matcher m = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
        long usedKiB = 0;
        boolean found = false;
        while (m.find()) {
            usedKiB += Long.parseLong(m.group(1));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("no heap figure in: " + info);
        }
        return usedKiB * 1024;
    }

    /** Resident set size of the server process, in bytes. */
    long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(jar.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    /** Linux's USER_HZ, the unit of /proc CPU times. */
    static final int TICKS_PER_SECOND = 100;

    /**
     * CPU time so far, in clock ticks: of the whole process with its reaped children (the sandboxed programs), and of
     * its JIT compiler threads (a compiler thread that ended takes its time along, so compare windows, not totals).
     */
    record Cpu(long total, long compilers) {
    }

    Cpu cpuTicks() throws IOException {
        Path proc = Path.of("/proc", String.valueOf(jar.pid()));
        long compilers = 0;
        try (var tasks = Files.list(proc.resolve("task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        compilers += ticks(task.resolve("stat"), false);
                    }
                } catch (NoSuchFileException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return new Cpu(ticks(proc.resolve("stat"), true), compilers);
    }

    /**
     * utime + stime of a /proc stat file (fields 14 and 15; the name in parentheses may contain spaces), with
     * {@code children} also cutime + cstime (16 and 17).
     */
    private static long ticks(Path stat, boolean children) throws IOException {
        String text = Files.readString(stat);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        long own = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return children ? own + Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : own;
    }

    String output() throws IOException {
        return jar.output();
    }

    private String jcmd(String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(jar.pid()), command).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Override
    public void close() throws Exception {
        jar.close();
    }
}
