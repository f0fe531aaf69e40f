package org.acme.mcp.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import org.acme.mcp.bench.LoadClient.Call;
import org.acme.mcp.bench.LoadClient.Reply;
import org.acme.mcp.bench.LoadClient.Run;
import org.acme.mcp.bench.LoadClient.Session;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * A bounded soak of the packaged server with the full security path: several hundred sessions of many callers, a mix
 * of allowed, denied (hidden tool), sandboxed and rate-limited calls, for {@code soak.minutes} minutes. Passes when no
 * answer differs from what its kind expects and the heap after GC stays flat. Not part of the test suite:
 *
 * <pre>
 * ./mvnw package -DskipTests && ./mvnw surefire:test -Dtest=SecuritySoak -Dsoak.minutes=10
 * </pre>
 *
 * Results: stdout and {@code target/benchmark/security-soak.md}.
 */
class SecuritySoak {

    static final double MINUTES = Double.parseDouble(System.getProperty("soak.minutes", "10"));
    static final int CALLERS = Integer.getInteger("soak.callers", 40);
    static final int SESSIONS_PER_CALLER = Integer.getInteger("soak.sessions-per-caller", 10);
    static final int CONCURRENCY = Integer.getInteger("soak.concurrency", 16);
    static final double SLICE_SECONDS = 30;

    static final Predicate<Reply> OK = SecurityBenchmark.OK;
    /** A hidden tool answers exactly like an unknown one. */
    static final Predicate<Reply> HIDDEN = r -> r.status() == 200 && r.body().contains("\"code\":-32602");
    /** sort-lines runs at most 8 at once server-wide: a refusal at that cap is a correct answer too. */
    static final Predicate<Reply> SANDBOXED = r -> OK.test(r) || (r.status() == 200
            && r.body().contains("Too many calls running (tool limit)"));
    /** The tool budget (5 per minute per caller) runs out: 429, or success while some is left. */
    static final Predicate<Reply> BUDGETED = r -> OK.test(r) || (r.status() == 429 && r.body().contains("(tool)"));

    @Test
    void mixedLoadWithoutUnexpectedAnswersAndFlatMemory() throws Exception {
        StringBuilder report = new StringBuilder("# Security soak\n\n");
        List<long[]> memory = new ArrayList<>(); // minute, heap after GC, RSS
        long total = 0;
        long unexpected = 0;
        List<String> samples = new ArrayList<>();
        try (LoadClient client = new LoadClient(64);
                BenchServer server = BenchServer.start("soak", 18084, BenchServer.Kind.SECURED, Map.of(
                        "mcp.limits.caller-limit", "100000",
                        "mcp.limits.tools.\"text-stats\".limit", "5",
                        "mcp.limits.tools.\"text-stats\".period", "1M"))) {
            List<Session> sessions = new ArrayList<>();
            for (int caller = 0; caller < CALLERS; caller++) {
                String token = Tokens.keycloak().subject("soak-" + caller).roles("mcp-reader")
                        .scope("openid mcp.read mcp.write").expiresIn(4 * 3600).sign();
                for (int s = 0; s < SESSIONS_PER_CALLER; s++) {
                    sessions.add(client.open(server, token));
                }
            }
            long start = System.nanoTime();
            memory.add(new long[] { 0, server.heapAfterGc(), server.rss() });
            int slices = (int) Math.ceil(MINUTES * 60 / SLICE_SECONDS);
            for (int slice = 0; slice < slices; slice++) {
                Run run = client.run(CONCURRENCY, SLICE_SECONDS, chain -> mixed(client, sessions));
                total += run.requests();
                unexpected += run.unexpected();
                if (samples.size() < 5) {
                    samples.addAll(run.samples());
                }
                memory.add(new long[] { (System.nanoTime() - start) / 1_000_000_000L, server.heapAfterGc(),
                        server.rss() });
            }
            report.append(String.format("%.0f min, %d callers x %d sessions = %d sessions, %d concurrent requests:"
                    + " %d requests, %d unexpected answers.%n%n", MINUTES, CALLERS, SESSIONS_PER_CALLER,
                    sessions.size(), CONCURRENCY, total, unexpected));
        }
        report.append("| elapsed (s) | heap after GC (MiB) | RSS (MiB) |\n|---|---|---|\n");
        memory.forEach(m -> report.append(String.format("| %d | %.1f | %.0f |%n", m[0], m[1] / 1048576.0,
                m[2] / 1048576.0)));
        int third = Math.max(1, memory.size() / 3);
        double early = memory.subList(1, 1 + third).stream().mapToLong(m -> m[1]).average().orElse(0);
        double late = memory.subList(memory.size() - third, memory.size()).stream().mapToLong(m -> m[1]).average()
                .orElse(0);
        report.append(String.format("%nHeap after GC, mean of the first third %.1f MiB, of the last third %.1f MiB"
                + " (%.1f%%).%n", early / 1048576.0, late / 1048576.0, 100 * (late - early) / early));
        Path out = Path.of("target", "benchmark", "security-soak.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        assertEquals(0, unexpected, "unexpected answers, e.g. " + samples);
        assertTrue(late <= early * 1.15 + 8 * 1048576, "heap grows: " + early + " -> " + late);
    }

    /** 70 % allowed in-process calls, 10 % hidden tool, 10 % sandboxed, 10 % against a small tool budget. */
    static Call mixed(LoadClient client, List<Session> sessions) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Session session = sessions.get(random.nextInt(sessions.size()));
        int dice = random.nextInt(100);
        if (dice < 70) {
            return new Call("allowed", session, client.toolCall("time-in-zone", "{\"zone\":\"UTC\"}"), OK);
        } else if (dice < 80) {
            return new Call("hidden", session, client.toolCall("session-stats", "{}"), HIDDEN);
        } else if (dice < 90) {
            return new Call("sandboxed", session, client.toolCall("sort-lines", "{\"text\":\"b\\na\"}"), SANDBOXED);
        }
        return new Call("budgeted", session, client.toolCall("text-stats", "{\"text\":\"soak\"}"), BUDGETED);
    }
}
