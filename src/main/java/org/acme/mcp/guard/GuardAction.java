package org.acme.mcp.guard;

/** What a detection in a tool's arguments does. */
public enum GuardAction {
    /** The call is refused with a tool error and audited. */
    BLOCK,
    /** The call runs; the detection is audited. */
    FLAG,
    /** The input guards are skipped for the tool. */
    ALLOW
}
