package org.acme.mcp.fleet;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.inject.Singleton;

import io.vertx.core.Future;

/**
 * Small values every replica can read, each for a limited time: an approval a user decides on one replica and the
 * client's retry meets on another. In a fleet they live in Redis (and fail with {@link FleetUnavailableException}
 * while it cannot be reached: callers fail closed); one replica alone keeps them in memory.
 */
@Singleton
public class ExpiringValues {

    private record Local(String value, long expiresAt) {
    }

    private final FleetStore fleet;
    private final ConcurrentMap<String, Local> local = new ConcurrentHashMap<>();

    ExpiringValues(FleetStore fleet) {
        this.fleet = fleet;
    }

    /** Sets {@code key} to {@code value} for {@code ttl}. */
    public Future<Void> put(String key, String value, Duration ttl) {
        return put(key, value, ttl, false).mapEmpty();
    }

    /** Sets {@code key} to {@code value} for {@code ttl} unless it has a value: true for the first, fleet-wide. */
    public Future<Boolean> putIfAbsent(String key, String value, Duration ttl) {
        return put(key, value, ttl, true);
    }

    private Future<Boolean> put(String key, String value, Duration ttl, boolean onlyIfAbsent) {
        if (fleet.shared()) {
            return fleet.put(key, value, ttl, onlyIfAbsent);
        }
        long now = System.nanoTime();
        if (local.size() > 10_000) {
            local.values().removeIf(v -> v.expiresAt - now < 0);
        }
        Local fresh = new Local(value, now + ttl.toNanos());
        if (!onlyIfAbsent) {
            local.put(key, fresh);
            return Future.succeededFuture(true);
        }
        Local[] won = new Local[1];
        local.compute(key, (k, old) -> old == null || old.expiresAt - now < 0 ? won[0] = fresh : old);
        return Future.succeededFuture(won[0] != null);
    }

    /** The value of {@code key}, or {@code null} when it has none or it expired. */
    public Future<String> get(String key) {
        if (fleet.shared()) {
            return fleet.get(key);
        }
        Local value = local.get(key);
        return Future.succeededFuture(value == null || value.expiresAt - System.nanoTime() < 0 ? null : value.value);
    }
}
