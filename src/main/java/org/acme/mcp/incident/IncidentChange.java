package org.acme.mcp.incident;

/**
 * The kill switch's state changed on this replica, by a change made here or read from the fleet: observers make it
 * felt (end blocked callers' sessions, tell clients the tool list changed) and count the sessions they ended.
 */
public final class IncidentChange {

    private final IncidentState before;
    private final IncidentState after;
    private int sessionsEnded;

    IncidentChange(IncidentState before, IncidentState after) {
        this.before = before;
        this.after = after;
    }

    public IncidentState before() {
        return before;
    }

    public IncidentState after() {
        return after;
    }

    public void addSessionsEnded(int count) {
        sessionsEnded += count;
    }

    public int sessionsEnded() {
        return sessionsEnded;
    }
}
