package org.acme.mcp.audit;

import java.util.Locale;

/** How an audited event ended; records carry the lower-case name. */
public enum AuditOutcome {

    /** Let through (a token accepted). */
    ALLOWED,
    /** Refused by a check. */
    DENIED,
    /** Done. */
    OK,
    /** Failed on the server's side. */
    ERROR,
    /** The tool answered with its own error ({@code isError: true}). */
    TOOL_ERROR,
    /** Answered {@code input_required}: the caller was asked for input before the call can complete. */
    INPUT_REQUIRED,
    /** A detection that lets the call run, as configured. */
    FLAGGED,
    /** A check could not answer and the call ran, as configured (fail-open). */
    UNAVAILABLE,
    /** Tool definitions approved into the lockfile (dev and test only); a call approved by a person. */
    APPROVED,
    /** A flood of unattributed events began: they are counted, not written. */
    FLOODING,
    /** How many unattributed events a flood left out. */
    COUNTED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The name records carry, e.g. {@code denied}. */
    public String wireName() {
        return wireName;
    }

    /** Whether the log record is a warning: something was refused or failed. */
    boolean warns() {
        return this == DENIED || this == ERROR;
    }
}
