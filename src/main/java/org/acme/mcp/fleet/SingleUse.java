package org.acme.mcp.fleet;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.inject.Singleton;

import io.vertx.core.Future;

/**
 * Values that may be used once, in the whole fleet: a sealed request's state, an approval. The first
 * {@link #claim} of an id wins, every later one (on any replica, until the id expires) loses. In a fleet the claim is
 * one atomic {@code SET NX} in Redis and fails closed ({@link FleetUnavailableException}) while Redis cannot be
 * reached; one replica alone keeps its claims in memory.
 */
@Singleton
public class SingleUse {

    private final FleetStore fleet;
    /** One replica alone: id → when its claim expires (nanoTime). */
    private final ConcurrentMap<String, Long> local = new ConcurrentHashMap<>();

    SingleUse(FleetStore fleet) {
        this.fleet = fleet;
    }

    /**
     * Claims {@code id} for {@code ttl} (keep it at least as long as the value it guards is valid).
     *
     * @return true for the first claim, false when the id was claimed already; failed with
     *         {@link FleetUnavailableException} in a fleet whose Redis cannot be reached: treat as refused
     */
    public Future<Boolean> claim(String id, Duration ttl) {
        if (fleet.shared()) {
            return fleet.setIfAbsent(id, ttl);
        }
        return Future.succeededFuture(claimHere(id, ttl));
    }

    private boolean claimHere(String id, Duration ttl) {
        long now = System.nanoTime();
        if (local.size() > 10_000) {
            local.values().removeIf(expiry -> expiry - now < 0);
        }
        long expiry = now + ttl.toNanos();
        Long previous = local.putIfAbsent(id, expiry);
        if (previous == null) {
            return true;
        }
        // an expired claim may be taken over, once: replace exactly the expired value we saw
        return previous - now < 0 && local.replace(id, previous, expiry);
    }
}
