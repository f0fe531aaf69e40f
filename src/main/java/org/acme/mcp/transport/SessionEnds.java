package org.acme.mcp.transport;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import org.acme.mcp.fleet.FleetStore;
import org.acme.mcp.fleet.FleetUnavailableException;

import io.quarkus.runtime.Startup;

/**
 * "End every session of this user", on every replica: a session lives on the replica that opened it, so in a fleet
 * the request goes through Redis ({@code session-ends}: subject → when) and each replica ends its own sessions of
 * that subject when it reads it. Requests are kept 10 minutes, long enough for every replica to read them.
 */
@Startup
@Singleton
public class SessionEnds {

    static final String SHARED_MAP = "session-ends";
    private static final long KEEP_MILLIS = Duration.ofMinutes(10).toMillis();

    private final SessionBinding sessions;
    private final FleetStore fleet;
    private final long startedAt = System.currentTimeMillis();
    /** Per subject, the latest request this replica has carried out. */
    private final Map<String, Long> done = new ConcurrentHashMap<>();
    private volatile Map<String, String> known = Map.of();

    SessionEnds(SessionBinding sessions, FleetStore fleet) {
        this.sessions = sessions;
        this.fleet = fleet.shared() ? fleet : null;
        if (this.fleet != null) {
            // nothing to write back after a Redis loss: an old request has been carried out, or is moot
            this.fleet.share(SHARED_MAP, Map::of, this::applyShared);
        }
    }

    /**
     * Ends the subject's sessions here and, in a fleet, asks every other replica to end theirs.
     *
     * @return the sessions ended on this replica
     * @throws FleetUnavailableException in a fleet whose Redis cannot be reached: no replica was asked
     */
    public int endEverywhere(String subject) {
        if (fleet != null) {
            long now = System.currentTimeMillis();
            Map<String, String> changes = new HashMap<>();
            known.forEach((s, at) -> {
                if (millis(at) < now - KEEP_MILLIS) {
                    changes.put(s, null);
                }
            });
            changes.put(subject, String.valueOf(now));
            fleet.write(SHARED_MAP, changes);
            done.merge(subject, now, Math::max);
        }
        return sessions.endSessionsOf(subject);
    }

    /** Whether the other replicas are asked too. */
    public boolean fleetWide() {
        return fleet != null;
    }

    private void applyShared(Map<String, String> entries) {
        known = Map.copyOf(entries);
        entries.forEach((subject, at) -> {
            long when = millis(at);
            Long previous = done.get(subject);
            if (when > startedAt && (previous == null || when > previous)) {
                done.put(subject, when);
                sessions.endSessionsOf(subject);
            }
        });
    }

    private static long millis(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // unreadable: carried out (ending sessions once too often is harmless)
        }
    }
}
