package org.acme.mcp.sandbox;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.acme.mcp.api.SandboxResult;
import org.acme.mcp.audit.AuditConfig;
import org.acme.mcp.audit.AuditLog;
import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.MemorySize;

/**
 * Benchmark, not a test (surefire does not pick it up by name). Per-call cost of running {@code /usr/bin/true}:
 * <ol>
 * <li>plain {@code ProcessBuilder} spawn (no isolation),</li>
 * <li>bare bubblewrap launch ({@code bwrap --unshare-all … true}, the floor of namespace isolation),</li>
 * <li>the sandbox's full command line (setpriv + prlimit + bwrap) spawned directly,</li>
 * <li>{@link SandboxExecutor#run} end to end (that command plus stdin/stdout/stderr handling).</li>
 * </ol>
 * The four are measured interleaved in one run, so machine noise hits all alike; medians, p99 and ratios are printed.
 * Run: {@code ./mvnw package -DskipTests && ./mvnw surefire:test -Dtest=SandboxBenchmark}
 */
class SandboxBenchmark {

    static final int WARMUP = 30;
    static final int ROUNDS = Integer.getInteger("bench.rounds", 300);

    record Profile(Set<String> commands, Duration timeout, int cpuSeconds, MemorySize memory, int maxProcesses,
            int maxOpenFiles, MemorySize maxFileSize, MemorySize maxOutput, boolean network,
            Optional<List<String>> extraReadOnlyPaths, Optional<Set<String>> inheritEnv) implements SandboxConfig.Profile {
    }

    record BenchAuditConfig(String dir) implements AuditConfig {
        public boolean required() {
            return false;
        }

        public Optional<Set<String>> sensitiveArguments() {
            return Optional.empty();
        }

        public int unattributedLimit() {
            return 600;
        }

        public Duration unattributedPeriod() {
            return Duration.ofMinutes(1);
        }

        public Optional<String> replicaId() {
            return Optional.empty();
        }

        public Trail trail() {
            return new Trail() {
                public boolean enabled() {
                    return true;
                }

                public String directory() {
                    return dir;
                }

                public MemorySize maxSegmentSize() {
                    return mb(10);
                }

                public Optional<String> hmacKey() {
                    return Optional.of("bench-key");
                }

                public int queueCapacity() {
                    return 8192;
                }
            };
        }
    }

    static MemorySize mb(long n) {
        return new MemorySize(BigInteger.valueOf(n << 20));
    }

    @Test
    void run() throws Exception {
        Profile profile = new Profile(Set.of("/usr/bin/true"), Duration.ofSeconds(10), 2, mb(256), 32, 64, mb(16), mb(1),
                false, Optional.empty(), Optional.empty());
        SandboxConfig config = new SandboxCommandTest.Config(SandboxConfig.Mode.BWRAP, "/usr/bin/bwrap", "/usr/bin/prlimit",
                "/usr/bin/setpriv", 200000, 65536, List.of("/usr"), Map.of("bench", profile));
        // audited like in the server: every run appends to a (throw-away) trail
        java.nio.file.Path trail = java.nio.file.Files.createTempDirectory("bench-audit");
        AuditLog audit = new AuditLog(new BenchAuditConfig(trail.toString()), io.opentelemetry.api.OpenTelemetry.noop());
        SandboxExecutor executor = new SandboxExecutor(config, new SandboxBackend(config), audit, null);
        List<String> bareBwrap = List.of("/usr/bin/bwrap", "--unshare-all", "--ro-bind", "/usr", "/usr", "--symlink",
                "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin", "--proc", "/proc",
                "--dev", "/dev", "--", "/usr/bin/true");

        Map<String, Supplier<Long>> cases = new java.util.LinkedHashMap<>();
        cases.put("ProcessBuilder true", () -> spawn(List.of("/usr/bin/true")));
        cases.put("bare bwrap true", () -> spawn(bareBwrap));
        cases.put("sandbox command line", () -> spawn(SandboxCommand.build(config, SandboxCommand.Limits.of(profile),
                List.of("/usr/bin/true"), Map.of("PATH", "/usr/bin:/bin"),
                200000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(65536))));
        cases.put("SandboxExecutor.run", () -> {
            long start = System.nanoTime();
            SandboxResult result = executor.run("bench", List.of("/usr/bin/true"), "");
            if (!result.succeeded()) {
                throw new IllegalStateException("sandboxed true failed: " + result.describe() + " " + result.stderr());
            }
            return System.nanoTime() - start;
        });
        Map<String, List<Long>> samples = new java.util.LinkedHashMap<>();
        cases.keySet().forEach(k -> samples.put(k, new ArrayList<>()));
        for (int i = 0; i < WARMUP + ROUNDS; i++) {
            for (var c : cases.entrySet()) {
                long nanos = c.getValue().get();
                if (i >= WARMUP) {
                    samples.get(c.getKey()).add(nanos);
                }
            }
        }
        executor.shutdown();
        System.out.printf("%nSandbox benchmark, %d interleaved rounds, %d cores%n", ROUNDS,
                Runtime.getRuntime().availableProcessors());
        double plain = median(samples.get("ProcessBuilder true"));
        double bwrap = median(samples.get("bare bwrap true"));
        for (var e : samples.entrySet()) {
            double med = median(e.getValue());
            System.out.printf("%-22s median %6.2f ms  p99 %6.2f ms  x plain %5.2f  x bare bwrap %5.2f%n", e.getKey(),
                    med / 1e6, p99(e.getValue()) / 1e6, med / plain, med / bwrap);
        }
        double full = median(samples.get("SandboxExecutor.run"));
        System.out.printf("overhead of SandboxExecutor.run over a plain spawn: %.2f ms (median)%n%n", (full - plain) / 1e6);
    }

    static long spawn(List<String> command) {
        try {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("exit " + p.exitValue() + " for " + command);
            }
            return System.nanoTime() - start;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    static double p99(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    }
}
