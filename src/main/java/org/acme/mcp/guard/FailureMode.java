package org.acme.mcp.guard;

/** What a call of a {@code block} tool does when a guard cannot give a verdict. */
public enum FailureMode {
    /** Refused: "input guard unavailable". */
    FAIL_CLOSED,
    /** Runs, audited as unguarded. */
    FAIL_OPEN
}
