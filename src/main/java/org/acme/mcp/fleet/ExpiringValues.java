package org.acme.mcp.fleet;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.inject.Singleton;

import io.vertx.core.Future;

/**
 * Small values every replica can read, each for a limited time: an approval a user decides on one replica and the
 * client's retry meets on another, and the claims of {@link SingleUse}. In a fleet they live in Redis (and fail with
 * {@link FleetUnavailableException} while it cannot be reached: callers fail closed); one replica alone keeps them in
 * memory.
 */
@Singleton
public class ExpiringValues {

    private record Local(String value, long expiresAt) {
    }

    private final FleetStore fleet;
    /** One replica alone: key → value and when it expires (nanoTime). */
    private final ConcurrentMap<String, Local> local = new ConcurrentHashMap<>();

    ExpiringValues(FleetStore fleet) {
        this.fleet = fleet;
    }

    /** Sets {@code key} to {@code value} for {@code ttl}. */
    public Future<Void> put(String key, String value, Duration ttl) {
        return set("value:" + key, value, ttl, false, "a value cannot be shared, so it is not kept.").mapEmpty();
    }

    /** Sets {@code key} to {@code value} for {@code ttl} unless it has a value: true for the first, fleet-wide. */
    public Future<Boolean> putIfAbsent(String key, String value, Duration ttl) {
        return set("value:" + key, value, ttl, true, "a value cannot be shared, so it is not kept.");
    }

    /** The value of {@code key}, or {@code null} when it has none or it expired. */
    public Future<String> get(String key) {
        if (fleet.shared()) {
            return fleet.get("value:" + key);
        }
        Local value = local.get("value:" + key);
        return Future.succeededFuture(value == null || value.expiresAt - System.nanoTime() < 0 ? null : value.value);
    }

    /** {@link SingleUse#claim}: true for the first claim of {@code id} until it expires. */
    Future<Boolean> claim(String id, Duration ttl) {
        return set("once:" + id, "1", ttl, true, "a single-use value cannot be checked, so it is refused.");
    }

    private Future<Boolean> set(String key, String value, Duration ttl, boolean onlyIfAbsent, String consequence) {
        if (fleet.shared()) {
            return fleet.set(key, value, ttl, onlyIfAbsent, consequence);
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
        // an expired value may be taken over: it counts as absent
        Local[] won = new Local[1];
        local.compute(key, (k, old) -> old == null || old.expiresAt - now < 0 ? won[0] = fresh : old);
        return Future.succeededFuture(won[0] != null);
    }
}
