package org.acme.mcp.api;

import java.util.List;

/**
 * Runs a program in the sandbox: no shell, a fresh namespace per run, the limits of a named profile
 * ({@code mcp.sandbox.profiles.<name>.*}), audited as {@code sandbox.run}. Inject it into a tool.
 */
public interface Sandbox {

    /**
     * Runs {@code argv} under the named profile with {@code stdin} as input, and tells how it ended.
     *
     * @throws SandboxException if the run is refused before starting (nothing ran)
     */
    SandboxResult run(String profile, List<String> argv, String stdin);

    /**
     * Runs {@code argv} like {@link #run} and returns what it wrote to stdout, or throws the {@link ToolError} a tool
     * answers with when the run was refused, timed out, hit a limit or exited non-zero: the short form for a tool
     * whose result is the program's output.
     */
    default String output(String profile, List<String> argv, String stdin) {
        SandboxResult result;
        try {
            result = run(profile, argv, stdin);
        } catch (SandboxException e) {
            throw new ToolError(e.getMessage());
        }
        if (!result.succeeded()) {
            throw new ToolError(argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1) + " " + result.describe());
        }
        return result.stdout();
    }
}
