package org.acme.mcp.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;

/**
 * Detects at start-up whether the configured isolation works here, by running a harmless program through exactly the
 * command line real runs use. Reports it in the log and in readiness ({@link SandboxHealthCheck});
 * {@link SandboxExecutor} refuses to run anything while it does not work (fail closed).
 */
@Startup
@Singleton
public class SandboxBackend {

    private static final Logger LOG = Logger.getLogger(SandboxBackend.class);

    private final SandboxConfig config;
    private final Optional<String> unavailable;

    SandboxBackend(SandboxConfig config) {
        this.config = config;
        this.unavailable = probe();
        if (unavailable.isPresent()) {
            LOG.errorf("Sandbox (%s) unavailable, sandboxed tools will refuse to run: %s", label(), unavailable.get());
        } else if (!SandboxCommand.RUNNING_AS_ROOT) {
            LOG.warnf("Sandbox ready (%s), but the server does not run as root: programs run as the server's own user,"
                    + " so no per-run process limit (RLIMIT_NPROC would count the server's own threads); rely on the"
                    + " platform's pid limit (e.g. Kubernetes podPidsLimit) against fork bombs", label());
        } else if (config.mode() == SandboxConfig.Mode.RLIMIT_ONLY) {
            LOG.warnf("Sandbox in rlimit-only mode, chosen by configuration: resource limits and a scrubbed environment,"
                    + " but NO filesystem, network or process isolation");
        } else {
            LOG.infof("Sandbox ready: %s", label());
        }
    }

    /** Why sandboxed runs are refused, if they are. */
    public Optional<String> unavailable() {
        return unavailable;
    }

    public String label() {
        return config.mode() == SandboxConfig.Mode.BWRAP ? "bubblewrap namespaces + rlimits" : "rlimit-only";
    }

    private Optional<String> probe() {
        List<String> tools = new java.util.ArrayList<>(List.of(config.prlimit()));
        if (config.mode() == SandboxConfig.Mode.BWRAP) {
            tools.add(config.bwrap());
        }
        if (SandboxCommand.RUNNING_AS_ROOT) {
            tools.add(config.setpriv());
        }
        for (String tool : tools) {
            if (!Files.isExecutable(Path.of(tool))) {
                return Optional.of(tool + " is not installed (Debian: apt-get install "
                        + (tool.endsWith("bwrap") ? "bubblewrap" : "util-linux") + ")");
            }
        }
        var limits = new SandboxCommand.Limits(2, 256L << 20, 8, 32, 1L << 20, false, List.of());
        List<String> command = SandboxCommand.build(config, limits, List.of("/usr/bin/true"), Map.of());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of("the probe run did not finish within 10 s");
            }
            String output = new String(process.getInputStream().readNBytes(2048)).strip();
            return process.exitValue() == 0 ? Optional.empty()
                    : Optional.of("the probe run failed (exit " + process.exitValue() + "): " + output
                            + " — user namespaces may be disabled on this host or container");
        } catch (Exception e) {
            return Optional.of("the probe run could not start: " + e.getMessage());
        }
    }
}
