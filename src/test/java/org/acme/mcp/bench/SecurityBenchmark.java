package org.acme.mcp.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.acme.mcp.bench.LoadClient.Call;
import org.acme.mcp.bench.LoadClient.Reply;
import org.acme.mcp.bench.LoadClient.Run;
import org.acme.mcp.bench.LoadClient.Session;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.RedisServer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * What the security costs: the packaged server with the full security path (JWT verification, authorization, session
 * binding, rate and concurrency limits, input guard, audit trail), also without the verified-token cache, against an
 * unsecured baseline, measured in alternating rounds in one invocation.
 * <p>
 * The baseline is not the product with its checks switched off: the packaged jar has no such switch
 * ({@code NoSecurityOffSwitchIT}). It is a separate application that this benchmark builds itself, test-scoped, before
 * it starts the servers ({@link BenchApps}, as {@code QuarkusProdModeTest} builds its applications, into
 * {@code target/bench-apps/unsecured}): the product's own classes of the sample tools {@code time-in-zone},
 * {@code text-stats} and {@code sort-lines} with the sandbox they need, on the bare extension
 * (quarkus-mcp-server-http) with the product's extension, sandbox and telemetry settings, and none of its pipeline
 * stages, tool-call interceptors, extension filters, audit or authentication. The build is checked (its classes are
 * exactly those, none of them a security component, nothing intercepted), and before measuring the baseline must
 * answer a tool call without a token while every other server must refuse a request without one with 401. With
 * {@code bench.ablation}, {@code authentication-only} is built the same way plus the product's bearer authentication
 * ({@code McpBearerAuthenticationMechanism} with its verified-token cache and revocation check, on quarkus-oidc) and
 * its path policy.
 * <p>
 * Not part of the test suite; run it explicitly after packaging (the benchmark's own applications are built in this
 * JVM before any server starts, some 20 s each; {@code BenchAppsCheck} checks them on their own):
 *
 * <pre>
 * ./mvnw package -DskipTests && ./mvnw surefire:test -Dtest=SecurityBenchmark
 * # less noise: load generator on core 0, servers on core 1
 * ./mvnw package -DskipTests
 * taskset -c 0 ./mvnw surefire:test -Dtest=SecurityBenchmark -Dbench.launcher="taskset -c 1"
 * </pre>
 *
 * Knobs (system properties): {@code bench.rounds} (5), {@code bench.seconds} (10), {@code bench.warmup} (10, the
 * least warm-up per server and scenario), {@code bench.warmup-max} (300), {@code bench.concurrency} (16),
 * {@code bench.sessions} (2000; 0 skips the memory tables), {@code bench.servers} (names of the servers measured
 * besides the baseline, e.g. {@code secured}; all by default; a server that is not measured is not started unless a
 * memory table needs it), {@code bench.scenarios} (tool names, e.g. {@code time-in-zone}; all by default),
 * {@code bench.ablation}, {@code bench.jfr}, {@code bench.jvm} (extra JVM options of the servers),
 * {@code bench.launcher} (a command the servers start under, e.g. {@code taskset -c 1}),
 * {@code bench.compare-jar} (the {@code quarkus-run.jar} of another build of the product, e.g. of the code before a
 * change in a git worktree: adds the server {@code secured-before}, configured like {@code secured} but launched from
 * that jar, measured in the same rounds against the same baseline). The server {@code secured-fleet} is
 * {@code secured} as one replica of a fleet (a Redis this run starts, three replicas expected), reported also against
 * {@code secured} itself. Results: stdout and
 * {@code target/benchmark/security-benchmark.md}.
 */
class SecurityBenchmark {

    static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    static final double SECONDS = Double.parseDouble(System.getProperty("bench.seconds", "10"));
    static final double WARMUP = Double.parseDouble(System.getProperty("bench.warmup", "10"));
    static final double WARMUP_MAX = Double.parseDouble(System.getProperty("bench.warmup-max", "300"));
    static final double WARMUP_WINDOW = 5;
    /** Warm-up ends when the JIT compilers used less than this share of the server's CPU in the last window. */
    static final double COMPILER_SHARE_WHEN_WARM = 0.02;
    static final int PLATEAU_WINDOWS = 3;
    static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 16);
    static final int SANDBOX_CONCURRENCY = 4;
    static final int SESSIONS = Integer.getInteger("bench.sessions", 2000);
    /** Tools whose scenarios run (comma-separated); all when empty. */
    static final List<String> SCENARIOS = Arrays.stream(System.getProperty("bench.scenarios", "").split(","))
            .map(String::trim).filter(t -> !t.isEmpty()).toList();
    /** Servers measured besides the unsecured baseline (comma-separated names); all when empty. */
    static final List<String> SERVERS = Arrays.stream(System.getProperty("bench.servers", "").split(","))
            .map(String::trim).filter(t -> !t.isEmpty()).toList();
    /**
     * Also measures the secured server without its audit trail and without its input guard, and the baseline with
     * the product's authentication alone: what each costs.
     */
    static final boolean ABLATION = Boolean.getBoolean("bench.ablation");
    /** Another build's {@code quarkus-run.jar}, measured as {@code secured-before}; none when empty. */
    static final String COMPARE_JAR = System.getProperty("bench.compare-jar", "").trim();

    static final Predicate<Reply> OK = r -> r.status() == 200 && r.body().contains("\"result\"")
            && !r.body().contains("\"isError\":true");

    /** A 2026-07-28 answer must also be in that revision's form. */
    static final Predicate<Reply> STATELESS_OK = r -> OK.test(r) && r.body().contains("\"resultType\":\"complete\"");

    /** A run on one server, and the server's CPU time over it in clock ticks (its sandboxed programs included). */
    record Measured(Run run, long cpuTicks, long compilerTicks) {

        double cpuMicrosPerCall() {
            return cpuTicks * 1e6 / BenchServer.TICKS_PER_SECOND / run.requests();
        }

        /** The JIT compilers' share of that time. */
        double compilerShare() {
            return compilerTicks / (double) Math.max(1, cpuTicks);
        }
    }

    /**
     * One kind of call, measured on every server. {@code stateless}: the product's servers are called per 2026-07-28,
     * without a session; the baseline and authentication-only, which speak only 2025-11-25, answer the same call in
     * their sessions.
     */
    record Scenario(String name, String tool, String arguments, int concurrency, double seconds, boolean stateless) {

        Scenario(String name, String tool, String arguments, int concurrency, double seconds) {
            this(name, tool, arguments, concurrency, seconds, false);
        }
    }

    @Test
    void securedVersusUnsecured() throws Exception {
        List<Scenario> scenarios = List.of(
                new Scenario("in-process tool (time-in-zone)", "time-in-zone", "{\"zone\":\"Europe/Paris\"}",
                        CONCURRENCY, SECONDS),
                new Scenario("in-process tool (time-in-zone), 2026-07-28 (the baseline in a 2025-11-25 session)",
                        "time-in-zone", "{\"zone\":\"Europe/Paris\"}", CONCURRENCY, SECONDS, true),
                new Scenario("in-process tool with work (text-stats, 4 KiB text)", "text-stats",
                        "{\"text\":\"" + "The quick brown fox jumps over the lazy dog. ".repeat(91) + "\"}",
                        CONCURRENCY, SECONDS),
                new Scenario("sandboxed tool (sort-lines)", "sort-lines", "{\"text\":\"pear\\napple\\nfig\"}",
                        SANDBOX_CONCURRENCY, SECONDS / 2))
                .stream().filter(s -> SCENARIOS.isEmpty() || SCENARIOS.contains(s.tool())).toList();
        StringBuilder report = new StringBuilder("# Security benchmark\n\n");
        report.append(String.format("%d alternating rounds per scenario, %.0f s per round (sandboxed: %.0f s), after"
                + " a warm-up per server until its JIT compilers take under %.0f %% of its CPU and its throughput stopped"
                + " rising (at least %.0f s);"
                + " client: Vert.x, closed loop, keep-alive; JVM %s, %d CPUs.%n%n",
                ROUNDS, SECONDS, SECONDS / 2, COMPILER_SHARE_WHEN_WARM * 100, WARMUP, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors()));
        report.append("Baseline (unsecured): the sample tools on the bare extension, built by this run without any"
                + " security component (org.acme.mcp.bench.BenchApps).\n\n");
        if (!COMPARE_JAR.isEmpty()) {
            assertTrue(Files.isRegularFile(Path.of(COMPARE_JAR)), "bench.compare-jar: no file " + COMPARE_JAR);
            report.append("secured-before: secured launched from ").append(COMPARE_JAR).append(".\n\n");
        }
        try (LoadClient client = new LoadClient(64);
                BenchServer unsecured = BenchServer.start("unsecured", 18081, BenchServer.Kind.UNSECURED, Map.of());
                BenchServer secured = BenchServer.start("secured", 18082, BenchServer.Kind.SECURED, Map.of());
                BenchServer before = !COMPARE_JAR.isEmpty() && measured("secured-before")
                        ? BenchServer.start("secured-before", 18087, BenchServer.Kind.SECURED, Map.of(),
                                Path.of(COMPARE_JAR))
                        : null;
                BenchServer noCache = measured("secured-no-token-cache") || SESSIONS > 0
                        ? BenchServer.start("secured-no-token-cache", 18083, BenchServer.Kind.SECURED,
                                Map.of("mcp.security.token.cache.enabled", "false"))
                        : null;
                Ablation ablation = Ablation.start(ABLATION);
                RedisServer redis = measured("secured-fleet") ? new RedisServer("bench-fleet-password").start() : null;
                BenchServer fleet = redis != null ? BenchServer.start("secured-fleet", 18088, BenchServer.Kind.SECURED,
                        Map.of("mcp.fleet.enabled", "true", "mcp.fleet.replicas", "3",
                                "mcp.fleet.redis.url", redis.url(), "mcp.fleet.redis.password", redis.password()))
                        : null) {
            List<BenchServer> servers = new ArrayList<>(List.of(unsecured, secured));
            if (fleet != null) {
                servers.add(fleet);
            }
            if (before != null) {
                servers.add(before);
            }
            if (noCache != null) {
                servers.add(noCache);
            }
            servers.addAll(ablation.servers());
            servers.removeIf(s -> s != unsecured && !measured(s.name));
            Map<BenchServer, List<Session>> sessions = new LinkedHashMap<>();
            for (BenchServer server : servers) {
                if (server.secured) { // whatever else a variant turns off, it must still refuse a call without a token
                    int status = client.post(server, null, null, McpHttp.initializeBody()).get(30, TimeUnit.SECONDS)
                            .status();
                    assertEquals(401, status, server.name + " answered a request without a token");
                }
                List<Session> list = new ArrayList<>();
                for (int i = 0; i < CONCURRENCY; i++) {
                    list.add(client.open(server, server.secured ? token("bench-user-" + i) : null));
                }
                sessions.put(server, list);
            }
            // the baseline has no security to pass: a tool call without a token succeeds
            Session anonymous = sessions.get(unsecured).get(0);
            Reply call = client.post(unsecured, null, anonymous.id(),
                    client.toolCall("time-in-zone", "{\"zone\":\"UTC\"}")).get(30, TimeUnit.SECONDS);
            assertTrue(OK.test(call), "the baseline refused a tool call without a token: " + call);
            for (Scenario scenario : scenarios) {
                StringBuilder warmUps = new StringBuilder();
                for (BenchServer server : servers) {
                    double seconds = warmUp(client, server, sessions.get(server), scenario);
                    warmUps.append(warmUps.length() == 0 ? "" : ", ").append(server.name).append(' ')
                            .append(Math.round(seconds)).append(" s");
                }
                Map<BenchServer, List<Measured>> runs = new LinkedHashMap<>();
                servers.forEach(s -> runs.put(s, new ArrayList<>()));
                for (int round = 0; round < ROUNDS; round++) {
                    for (int k = 0; k < servers.size(); k++) {
                        BenchServer server = servers.get((round + k) % servers.size()); // rotate who goes first
                        Measured measured = measure(client, server, sessions.get(server), scenario, scenario.seconds());
                        assertEquals(0, measured.run().unexpected(), server.name + ": " + measured.run().samples());
                        runs.get(server).add(measured);
                    }
                }
                report.append(table(scenario, runs, unsecured)).append("Warm-up: ").append(warmUps).append(".\n\n");
                if (fleet != null && runs.containsKey(secured)) {
                    // the fleet's target: the same replica with and without the shared store, round by round
                    Map<BenchServer, List<Measured>> pair = new LinkedHashMap<>();
                    pair.put(secured, runs.get(secured));
                    pair.put(fleet, runs.get(fleet));
                    report.append(table(new Scenario(scenario.name() + ": one replica of a fleet (Redis) vs alone",
                            scenario.tool(), scenario.arguments(), scenario.concurrency(), scenario.seconds(),
                            scenario.stateless()), pair, secured));
                }
            }
            if (SESSIONS > 0) {
                report.append(sessionMemory(client, List.of(unsecured, secured), 10));
                report.append(sessionMemory(client, List.of(noCache, secured), 1));
            }
        }
        Path out = Path.of("target", "benchmark", "security-benchmark.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    /** Whether a server other than the baseline is measured ({@code bench.servers}). */
    static boolean measured(String name) {
        return SERVERS.isEmpty() || SERVERS.contains(name);
    }

    /**
     * The secured server less one component each, and the baseline with authentication alone, for
     * {@code bench.ablation} (those that {@code bench.servers} names); none when off.
     */
    record Ablation(List<BenchServer> servers) implements AutoCloseable {

        static Ablation start(boolean on) throws Exception {
            List<BenchServer> servers = new ArrayList<>();
            try {
                if (on && measured("secured-no-audit-trail")) {
                    servers.add(BenchServer.start("secured-no-audit-trail", 18084, BenchServer.Kind.SECURED,
                            Map.of("mcp.audit.trail.enabled", "false")));
                }
                if (on && measured("secured-input-guard-off")) {
                    servers.add(BenchServer.start("secured-input-guard-off", 18085, BenchServer.Kind.SECURED,
                            Map.of("mcp.guard.action", "allow")));
                }
                if (on && measured("authentication-only")) {
                    // the baseline application plus the product's bearer authentication and its path policy: bearer
                    // pre-check, quarkus-oidc validation, verified-token cache, revocation check, Quarkus' HTTP
                    // security (BenchApps.App.AUTHENTICATION_ONLY)
                    servers.add(BenchServer.start("authentication-only", 18086,
                            BenchServer.Kind.AUTHENTICATION_ONLY, Map.of()));
                }
            } catch (Exception | Error e) {
                new Ablation(servers).close();
                throw e;
            }
            return new Ablation(servers);
        }

        @Override
        public void close() throws Exception {
            for (BenchServer server : servers) {
                server.close();
            }
        }
    }

    /**
     * Drives a server with the scenario until it is warm: measuring while the JIT still compiles favours the server
     * with less code to compile (the secured one needs 60–90 s of load on 2 cores). Warm means: its JIT compilers
     * used under {@link #COMPILER_SHARE_WHEN_WARM} of its CPU in the last window, and the last
     * {@link #PLATEAU_WINDOWS} windows did not beat the best throughput before them by more than 2 %. Returns the
     * seconds it took.
     */
    static double warmUp(LoadClient client, BenchServer server, List<Session> sessions, Scenario scenario)
            throws Exception {
        List<Double> throughputs = new ArrayList<>();
        while (true) {
            Measured window = measure(client, server, sessions, scenario, WARMUP_WINDOW);
            throughputs.add(window.run().throughput());
            double seconds = throughputs.size() * WARMUP_WINDOW;
            if (seconds >= WARMUP_MAX || seconds >= WARMUP && window.compilerShare() < COMPILER_SHARE_WHEN_WARM
                    && plateaued(throughputs)) {
                return seconds;
            }
        }
    }

    /** Drives the server with the scenario for {@code seconds}, reading its CPU time around the run. */
    static Measured measure(LoadClient client, BenchServer server, List<Session> sessions, Scenario scenario,
            double seconds) throws Exception {
        BenchServer.Cpu before = server.cpuTicks();
        Run run = client.run(scenario.concurrency(), seconds, chain -> call(client, sessions.get(chain), scenario));
        BenchServer.Cpu after = server.cpuTicks();
        return new Measured(run, after.total() - before.total(), Math.max(0, after.compilers() - before.compilers()));
    }

    static boolean plateaued(List<Double> throughputs) {
        int n = throughputs.size();
        if (n <= PLATEAU_WINDOWS) {
            return false;
        }
        double bestBefore = throughputs.subList(0, n - PLATEAU_WINDOWS).stream().mapToDouble(d -> d).max().orElse(0);
        return throughputs.subList(n - PLATEAU_WINDOWS, n).stream().allMatch(t -> t <= bestBefore * 1.02);
    }

    static String token(String subject) {
        return Tokens.keycloak().subject(subject).expiresIn(3600).sign();
    }

    static Call call(LoadClient client, Session session, Scenario scenario) {
        if (scenario.stateless() && session.server().kind == BenchServer.Kind.SECURED) {
            // the same caller, without its session (the bare extension of the other servers speaks 2025-11-25 only)
            return new Call(scenario.tool(), new Session(session.server(), session.token(), null),
                    client.statelessToolCall(scenario.tool(), scenario.arguments()), STATELESS_OK,
                    LoadClient.statelessHeaders(scenario.tool()));
        }
        return new Call(scenario.tool(), session, client.toolCall(scenario.tool(), scenario.arguments()), OK);
    }

    static String table(Scenario scenario, Map<BenchServer, List<Measured>> runs, BenchServer baseline) {
        StringBuilder t = new StringBuilder("## " + scenario.name() + ", " + scenario.concurrency()
                + " concurrent callers\n\n| server | throughput (req/s) | p50 (ms) | p99 (ms)"
                + " | server CPU per call (µs) | throughput vs " + baseline.name + " | p99 vs " + baseline.name
                + " | CPU per call vs " + baseline.name + " | CPU added per call (µs) |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        List<Measured> base = runs.get(baseline);
        runs.forEach((server, list) -> {
            double[] tputRatio = new double[list.size()];
            double[] p99Ratio = new double[list.size()];
            double[] cpuRatio = new double[list.size()];
            double[] cpuAdded = new double[list.size()];
            for (int i = 0; i < list.size(); i++) {
                Run run = list.get(i).run();
                tputRatio[i] = run.throughput() / base.get(i).run().throughput();
                p99Ratio[i] = run.percentileMs(99) / base.get(i).run().percentileMs(99);
                cpuRatio[i] = list.get(i).cpuMicrosPerCall() / base.get(i).cpuMicrosPerCall();
                cpuAdded[i] = list.get(i).cpuMicrosPerCall() - base.get(i).cpuMicrosPerCall();
            }
            t.append(String.format("| %s | %.0f | %.2f | %.2f | %.0f | %.3f | %.3f | %.2f | %.0f |%n", server.name,
                    median(list.stream().mapToDouble(m -> m.run().throughput()).toArray()),
                    median(list.stream().mapToDouble(m -> m.run().percentileMs(50)).toArray()),
                    median(list.stream().mapToDouble(m -> m.run().percentileMs(99)).toArray()),
                    median(list.stream().mapToDouble(Measured::cpuMicrosPerCall).toArray()),
                    median(tputRatio), median(p99Ratio), median(cpuRatio), median(cpuAdded)));
        });
        return t.append("\nMedians over the rounds; ratios and added CPU are medians of the per-round ratios and"
                + " differences. Server CPU: user + system time of the server process and its reaped children (/proc),"
                + " over the calls of the round.\n\n").toString();
    }

    /**
     * Heap held per live session, from full GCs before and after opening {@code SESSIONS} sessions, twice. The first
     * batch also counts what warms up with it (and a young server's heap may shrink by more than it costs); the second
     * is the steady cost, and shows the verified-token cache staying within its bound. With tokens reused, the cost of
     * a session; with one token per session, plus the cached token while the cache has room.
     */
    static String sessionMemory(LoadClient client, List<BenchServer> servers, int sessionsPerToken) throws Exception {
        StringBuilder t = new StringBuilder("## Memory of idle sessions, " + sessionsPerToken
                + " per token, two batches of " + SESSIONS + "\n\n| server | heap before (MiB)"
                + " | after the first batch (MiB) | after the second (MiB) | per session, first batch (KiB)"
                + " | per session, second batch (KiB) | RSS after (MiB) |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (BenchServer server : servers) {
            long heap0 = server.heapAfterGc();
            openSessions(client, server, sessionsPerToken, 0);
            long heap1 = server.heapAfterGc();
            openSessions(client, server, sessionsPerToken, SESSIONS);
            long heap2 = server.heapAfterGc();
            t.append(String.format("| %s | %.1f | %.1f | %.1f | %.2f | %.2f | %.0f |%n", server.name, heap0 / 1048576.0,
                    heap1 / 1048576.0, heap2 / 1048576.0, (heap1 - heap0) / 1024.0 / SESSIONS,
                    (heap2 - heap1) / 1024.0 / SESSIONS, server.rss() / 1048576.0));
        }
        return t.append('\n').toString();
    }

    /** Opens {@code SESSIONS} sessions, numbered from {@code first}, and keeps them open. */
    private static void openSessions(LoadClient client, BenchServer server, int sessionsPerToken, int first) {
        List<CompletableFuture<Session>> opened = new ArrayList<>();
        String token = null;
        for (int i = first; i < first + SESSIONS; i++) {
            if (server.secured && i % sessionsPerToken == 0) {
                // 10 per token: clients reuse their token; 1: every session brings a new token to cache
                token = token("mem-" + sessionsPerToken + "-" + server.name + "-" + i / 10);
            }
            String sessionToken = token;
            opened.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return client.open(server, sessionToken);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, java.util.concurrent.ForkJoinPool.commonPool()));
        }
        opened.forEach(CompletableFuture::join);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
