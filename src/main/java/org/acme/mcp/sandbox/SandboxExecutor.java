package org.acme.mcp.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.acme.mcp.api.Sandbox;
import org.acme.mcp.api.SandboxException;
import org.acme.mcp.api.SandboxResult;
import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.identity.CallerIdentity;
import org.jboss.logging.Logger;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Runs one program per call in a fresh, resource-limited sandbox and reports what happened.
 * <p>
 * The program is an argv list from the profile's allowlist, never a shell string. It gets the stdin the tool passes,
 * no environment but a fixed {@code PATH}/{@code LANG} and the profile's allowlist, a private size-limited {@code /tmp},
 * and is killed with its whole process tree on timeout or output overflow. Blocking: call it from a worker thread
 * (blocking {@code @Tool} methods run on one).
 */
@Singleton
public class SandboxExecutor implements Sandbox {

    private static final Logger LOG = Logger.getLogger(SandboxExecutor.class);
    private static final Map<String, String> BASE_ENV = Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8");

    private final SandboxConfig config;
    private final SandboxBackend backend;
    private final AuditLog audit;
    private final CurrentIdentityAssociation identities;
    private final ExecutorService io = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sandbox-io");
        t.setDaemon(true);
        return t;
    });

    SandboxExecutor(SandboxConfig config, SandboxBackend backend, AuditLog audit,
            CurrentIdentityAssociation identities) {
        this.config = config;
        this.backend = backend;
        this.audit = audit;
        this.identities = identities;
    }

    /**
     * Runs {@code argv} under the named profile with {@code stdin} as input.
     *
     * @throws SandboxException if the run is refused before starting (nothing ran)
     */
    @Override
    public SandboxResult run(String profileName, List<String> argv, String stdin) {
        String program = argv.isEmpty() ? "" : argv.get(0);
        try {
            SandboxResult result = start(profileName, argv, stdin);
            Map<String, String> attrs = attributes(profileName, program);
            attrs.put("audit.sandbox.outcome", result.outcome().name().toLowerCase());
            attrs.put("process.exit.code", String.valueOf(result.exitCode()));
            attrs.put("audit.sandbox.output_truncated", String.valueOf(result.truncated()));
            attrs.put("audit.duration_ms", String.valueOf(result.duration().toMillis()));
            audit.record(AuditType.SANDBOX_RUN, result.succeeded() ? AuditOutcome.OK : AuditOutcome.ERROR, attrs);
            return result;
        } catch (SandboxException e) {
            Map<String, String> attrs = attributes(profileName, program);
            attrs.put("audit.reason", e.getMessage());
            audit.record(AuditType.SANDBOX_RUN, AuditOutcome.DENIED, attrs);
            throw e;
        }
    }

    /**
     * The run's caller, when it runs for a request (the tool's thread carries the request context), and its program.
     * No identities (outside CDI, the benchmark): no caller.
     */
    private Map<String, String> attributes(String profileName, String program) {
        SecurityIdentity caller = identities == null ? null : CallerIdentity.current(identities);
        Map<String, String> attrs = AuditAttributes.caller(caller);
        attrs.put("audit.sandbox.profile", profileName);
        attrs.put("process.executable.path", AuditAttributes.untrusted(program));
        return attrs;
    }

    private SandboxResult start(String profileName, List<String> argv, String stdin) {
        SandboxConfig.Profile profile = config.profiles().get(profileName);
        if (profile == null) {
            throw new SandboxException("No sandbox profile '" + profileName + "'");
        }
        if (argv.isEmpty() || !profile.commands().contains(argv.get(0))) {
            throw new SandboxException("Program not allowed in sandbox profile '" + profileName + "'");
        }
        backend.unavailable().ifPresent(reason -> {
            throw new SandboxException("Sandbox unavailable, refusing to run: " + reason);
        });
        Map<String, String> env = environment(profile);
        // A uid of its own per run: RLIMIT_NPROC then bounds this run alone (see SandboxConfig#uidBase)
        int uid = config.uidBase() + ThreadLocalRandom.current().nextInt(config.uidCount());
        ProcessBuilder builder = new ProcessBuilder(
                SandboxCommand.build(config, SandboxCommand.Limits.of(profile), argv, env, uid));
        builder.environment().clear(); // the server's secrets and tokens never reach the child
        builder.environment().putAll(env); // bwrap clears it again and sets it inside
        return execute(builder, profile, argv.get(0), stdin == null ? "" : stdin);
    }

    private Map<String, String> environment(SandboxConfig.Profile profile) {
        Map<String, String> env = new LinkedHashMap<>(BASE_ENV);
        profile.inheritEnv().ifPresent(names -> names.forEach(n -> {
            String value = System.getenv(n);
            if (value != null) {
                env.put(n, value);
            }
        }));
        return env;
    }

    private SandboxResult execute(ProcessBuilder builder, SandboxConfig.Profile profile, String program, String stdin) {
        long start = System.nanoTime();
        Path workDir = null;
        Process process;
        try {
            if (config.mode() == SandboxConfig.Mode.RLIMIT_ONLY) {
                workDir = Files.createTempDirectory("mcp-sandbox-");
                builder.directory(workDir.toFile());
            }
            process = builder.start();
        } catch (IOException e) {
            deleteQuietly(workDir);
            throw new SandboxException("Sandbox could not start the program");
        }
        long maxOutput = profile.maxOutput().asLongValue();
        AtomicLong captured = new AtomicLong();
        AtomicBoolean overflow = new AtomicBoolean();
        Future<?> input = io.submit(() -> writeAndClose(process.getOutputStream(), stdin));
        Future<String> out = io.submit(() -> drain(process.getInputStream(), maxOutput, captured, overflow, process));
        Future<String> err = io.submit(() -> drain(process.getErrorStream(), maxOutput, captured, overflow, process));
        try {
            boolean finished = process.waitFor(profile.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                killTree(process);
            }
            String stdout = out.get(5, TimeUnit.SECONDS);
            String stderr = err.get(5, TimeUnit.SECONDS);
            Duration duration = Duration.ofNanos(System.nanoTime() - start);
            SandboxResult.Outcome outcome = !finished ? SandboxResult.Outcome.TIMED_OUT
                    : overflow.get() ? SandboxResult.Outcome.OUTPUT_LIMIT : SandboxResult.Outcome.EXITED;
            int exit = finished && !overflow.get() ? process.exitValue() : -1;
            SandboxResult result = new SandboxResult(exit, outcome, stdout, stderr, overflow.get(), duration);
            LOG.debugf("Sandboxed %s: %s in %d ms", program, result.describe(), duration.toMillis());
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("Interrupted while the sandboxed program ran");
        } catch (Exception e) {
            throw new SandboxException("Sandboxed run failed: " + e.getClass().getSimpleName());
        } finally {
            if (process.isAlive()) {
                killTree(process);
            }
            // a detached grandchild may hold the pipes open: never leave a reader thread behind
            input.cancel(true);
            out.cancel(true);
            err.cancel(true);
            closeQuietly(process);
            deleteQuietly(workDir);
        }
    }

    private static void closeQuietly(Process process) {
        for (java.io.Closeable stream : new java.io.Closeable[] { process.getOutputStream(), process.getInputStream(),
                process.getErrorStream() }) {
            try {
                stream.close();
            } catch (IOException e) {
                // nothing more to do
            }
        }
    }

    private static void writeAndClose(OutputStream stdin, String input) {
        try (stdin) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the program may exit without reading its input
        }
    }

    /** Reads a stream, keeping at most {@code max} bytes across both streams; on overflow the tree is killed. */
    private static String drain(InputStream stream, long max, AtomicLong captured, AtomicBoolean overflow,
            Process process) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = stream.read(buffer)) != -1) {
                long before = captured.getAndAdd(n);
                long room = Math.max(0, max - before);
                kept.write(buffer, 0, (int) Math.min(n, room));
                if (before + n > max && overflow.compareAndSet(false, true)) {
                    killTree(process);
                }
            }
        } catch (IOException e) {
            // the stream closes under us when the process tree is killed: keep what was read
        }
        return kept.toString(StandardCharsets.UTF_8);
    }

    /** Kills the program and everything it started; bwrap's PID namespace takes the rest down with its init. */
    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("Could not delete sandbox directory %s", dir);
        }
    }

    @PreDestroy
    void shutdown() {
        io.shutdownNow();
    }
}
