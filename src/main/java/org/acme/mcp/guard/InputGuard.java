package org.acme.mcp.guard;

/**
 * Inspects the arguments of a tool call before the tool runs. Implementations are CDI beans; every bean whose
 * {@link #enabled()} is true runs on every call (tools need no opt-in), in {@link #order()}, on the tool's own thread
 * and within the tool's timeout.
 * <p>
 * Contract: never throw (an exception counts as {@link GuardVerdict.Status#UNAVAILABLE}); never log or return argument
 * text; be cheap or bounded in time. A {@link #blocking()} guard may wait for I/O: it is never called on an event-loop thread.
 */
public interface InputGuard {

    /** Short stable name, recorded in the audit trail ({@code guard.names}). */
    String name();

    default boolean enabled() {
        return true;
    }

    /** Lower runs first: cheap local checks before remote ones, so a block can skip the remote call. */
    default int order() {
        return 100;
    }

    /** Whether {@link #inspect} waits for I/O; such a guard cannot run for a tool executing on an event loop. */
    default boolean blocking() {
        return false;
    }

    GuardVerdict inspect(ToolArguments arguments);
}
