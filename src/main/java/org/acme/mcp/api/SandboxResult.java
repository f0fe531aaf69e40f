package org.acme.mcp.api;

import java.time.Duration;

/**
 * What happened to one sandboxed run.
 *
 * @param exitCode the program's exit code ({@code 128 + n} when it died of signal {@code n}), -1 if it was killed
 * @param outcome why it ended
 * @param truncated output was cut at the profile's limit
 */
public record SandboxResult(int exitCode, Outcome outcome, String stdout, String stderr, boolean truncated,
        Duration duration) {

    public enum Outcome {
        /** Ran to its end; see the exit code. */
        EXITED,
        /** Wall-clock limit reached; process tree killed. */
        TIMED_OUT,
        /** Wrote more than the output limit; process tree killed. */
        OUTPUT_LIMIT
    }

    public boolean succeeded() {
        return outcome == Outcome.EXITED && exitCode == 0;
    }

    /** A one-line account for a tool error message: no paths, no environment, no internals. */
    public String describe() {
        return switch (outcome) {
            case TIMED_OUT -> "timed out after " + duration.toMillis() + " ms; the process tree was killed";
            case OUTPUT_LIMIT -> "produced more output than allowed; the process tree was killed";
            case EXITED -> exitCode == 0 ? "completed"
                    : exitCode > 128 ? "killed by " + signal(exitCode - 128)
                            : "exited with code " + exitCode;
        } + (truncated ? " (output truncated)" : "");
    }

    private static String signal(int n) {
        return switch (n) {
            case 24 -> "SIGXCPU: CPU-time limit reached";
            case 25 -> "SIGXFSZ: file-size limit reached";
            case 9 -> "SIGKILL (CPU-time hard limit or killed)";
            case 11 -> "SIGSEGV (possibly the memory limit)";
            case 6 -> "SIGABRT (possibly the memory limit)";
            default -> "signal " + n;
        };
    }
}
