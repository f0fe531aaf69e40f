package org.acme.mcp.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Isolation of tool subprocesses. Keys: {@code mcp.sandbox.*}. Each tool runs programs under a named profile
 * ({@code mcp.sandbox.profiles."<name>".*}) that lists the programs it may start and its limits.
 */
@ConfigMapping(prefix = "mcp.sandbox")
public interface SandboxConfig {

    /**
     * {@code bwrap}: namespaces (user, pid, net, ipc, uts, mount) via bubblewrap plus rlimits. {@code rlimit-only}:
     * rlimits, a scrubbed environment and a private working directory only, for platforms that forbid user
     * namespaces; an explicit operator choice, logged as a warning at every start. There is no silent fallback: when
     * the configured mode cannot work, sandboxed tools refuse to run.
     */
    @WithDefault("bwrap")
    Mode mode();

    /** The bubblewrap executable. */
    @WithDefault("/usr/bin/bwrap")
    String bwrap();

    /** util-linux {@code prlimit}, which sets the rlimits before the program starts. */
    @WithDefault("/usr/bin/prlimit")
    String prlimit();

    /** util-linux {@code setpriv}, which drops root to {@link #uid()} when the server runs as root. */
    @WithDefault("/usr/bin/setpriv")
    String setpriv();

    /**
     * First of the unprivileged uids (and gids) programs run as when the server runs as root: each run takes a random
     * one of {@link #uidCount()}, so that RLIMIT_NPROC, which counts processes per uid, limits each run on its own and
     * runs cannot signal each other. No account needs to exist; no other software may use the range.
     */
    @WithDefault("200000")
    int uidBase();

    /** Size of the uid range. */
    @WithDefault("65536")
    int uidCount();

    /** Host directories mounted read-only in every sandbox: just what programs need to load. */
    @WithDefault("/usr")
    List<String> readOnlyPaths();

    /** Profiles by name. */
    Map<String, Profile> profiles();

    enum Mode {
        BWRAP,
        RLIMIT_ONLY
    }

    interface Profile {

        /** Absolute paths of the programs this profile may start (argv[0]); no shell unless listed. Required. */
        Set<String> commands();

        /** Wall-clock limit; the whole process tree is killed when it expires. */
        @WithDefault("10s")
        Duration timeout();

        /** CPU-seconds (RLIMIT_CPU). */
        @WithDefault("5")
        int cpuSeconds();

        /** Address space (RLIMIT_AS). */
        @WithDefault("512M")
        MemorySize memory();

        /** Processes and threads (RLIMIT_NPROC). */
        @WithDefault("32")
        int maxProcesses();

        /** Open files (RLIMIT_NOFILE). */
        @WithDefault("64")
        int maxOpenFiles();

        /** Largest file the program may write (RLIMIT_FSIZE), and the size of its private writable /tmp. */
        @WithDefault("16M")
        MemorySize maxFileSize();

        /** Bytes of stdout + stderr kept; a program writing more is killed and its output flagged as truncated. */
        @WithDefault("64K")
        MemorySize maxOutput();

        /** Network access. Off: a private network namespace with only its own loopback. */
        @WithDefault("false")
        boolean network();

        /** Further host paths visible read-only, e.g. a data directory the tool reads. */
        Optional<List<String>> extraReadOnlyPaths();

        /** Environment variables copied from the server; everything else is absent. None by default. */
        Optional<Set<String>> inheritEnv();
    }
}
