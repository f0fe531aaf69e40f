package org.acme.mcp.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the command line of one sandboxed run: {@code prlimit} sets the rlimits, then (in bwrap mode) bubblewrap
 * builds the namespaces and mounts and starts the program as an unprivileged user with no capabilities.
 * Pure and side-effect free, so the exact isolation flags are unit-testable.
 */
final class SandboxCommand {

    /** Whether this server runs as root, in which case runs first drop to the configured sandbox user. */
    static final boolean RUNNING_AS_ROOT = effectiveUid() == 0;

    /** Where the private writable directory appears inside the sandbox. */
    static final String WORK_DIR = "/tmp";

    /** The limits of one run, taken from a profile. */
    record Limits(int cpuSeconds, long memoryBytes, int maxProcesses, int maxOpenFiles, long maxFileSizeBytes,
            boolean network, List<String> extraReadOnlyPaths) {

        static Limits of(SandboxConfig.Profile profile) {
            return new Limits(profile.cpuSeconds(), profile.memory().asLongValue(), profile.maxProcesses(),
                    profile.maxOpenFiles(), profile.maxFileSize().asLongValue(), profile.network(),
                    profile.extraReadOnlyPaths().orElse(List.of()));
        }
    }

    private SandboxCommand() {
    }

    /** From /proc, not from the user name, which a JVM option or an odd passwd file can change. */
    static long effectiveUid() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.split("\\s+")[2]);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: the sandbox cannot work anyway and its probe says so
        }
        return -1;
    }

    static List<String> build(SandboxConfig config, Limits limits, List<String> argv, Map<String, String> env) {
        return build(config, limits, argv, env, config.uidBase());
    }

    /** @param uid the unprivileged uid and gid of this run (used when the server runs as root) */
    static List<String> build(SandboxConfig config, Limits limits, List<String> argv, Map<String, String> env, int uid) {
        List<String> cmd = new ArrayList<>();
        if (RUNNING_AS_ROOT) {
            // Leave uid 0 before anything else: RLIMIT_NPROC never holds for root, and inside bwrap's user namespace
            // the sandbox user would still be root on the host
            cmd.addAll(List.of(config.setpriv(), "--reuid", String.valueOf(uid), "--regid", String.valueOf(uid),
                    "--clear-groups", "--inh-caps=-all", "--no-new-privs", "--"));
        }
        cmd.addAll(List.of(config.prlimit(), "--cpu=" + limits.cpuSeconds(), "--as=" + limits.memoryBytes()));
        if (RUNNING_AS_ROOT) {
            // RLIMIT_NPROC counts every process and thread of the uid: only a per-run uid makes it a per-run bound.
            // Without root it would count the server's own threads, so the platform's pid limit takes its place
            cmd.add("--nproc=" + limits.maxProcesses());
        }
        cmd.addAll(List.of("--nofile=" + limits.maxOpenFiles(), "--fsize=" + limits.maxFileSizeBytes(), "--core=0",
                "--"));
        if (config.mode() == SandboxConfig.Mode.RLIMIT_ONLY) {
            cmd.addAll(argv);
            return cmd;
        }
        cmd.addAll(List.of(config.bwrap(),
                "--unshare-all", // pid, net, ipc, uts, cgroup namespaces
                "--unshare-user", // explicit: --unshare-all only tries it
                "--die-with-parent",
                "--new-session",
                "--cap-drop", "ALL",
                "--disable-userns",
                "--hostname", "sandbox",
                "--clearenv"));
        if (limits.network()) {
            cmd.add("--share-net");
        }
        for (String path : config.readOnlyPaths()) {
            cmd.addAll(List.of("--ro-bind", path, path));
        }
        limits.extraReadOnlyPaths().forEach(p -> cmd.addAll(List.of("--ro-bind", p, p)));
        // Debian's merged /usr: programs and the loader find their files through these links
        cmd.addAll(List.of("--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
                "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
                "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
                "--proc", "/proc",
                "--dev", "/dev",
                "--size", String.valueOf(limits.maxFileSizeBytes()), "--tmpfs", WORK_DIR,
                "--chdir", WORK_DIR));
        env.forEach((k, v) -> cmd.addAll(List.of("--setenv", k, v)));
        cmd.add("--");
        cmd.addAll(argv);
        return cmd;
    }
}
