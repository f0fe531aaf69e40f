package org.acme.mcp.fleet;

import java.time.Duration;

import jakarta.inject.Singleton;

import io.vertx.core.Future;

/**
 * Values that may be used once, in the whole fleet: a sealed request's state, an approval. The first
 * {@link #claim} of an id wins, every later one (on any replica, until the id expires) loses. In a fleet the claim is
 * one atomic {@code SET NX} in Redis and fails closed ({@link FleetUnavailableException}) while Redis cannot be
 * reached; one replica alone keeps its claims in memory ({@link ExpiringValues}).
 */
@Singleton
public class SingleUse {

    private final ExpiringValues values;

    SingleUse(ExpiringValues values) {
        this.values = values;
    }

    /**
     * Claims {@code id} for {@code ttl} (keep it at least as long as the value it guards is valid).
     *
     * @return true for the first claim, false when the id was claimed already; failed with
     *         {@link FleetUnavailableException} in a fleet whose Redis cannot be reached: treat as refused
     */
    public Future<Boolean> claim(String id, Duration ttl) {
        return values.claim(id, ttl);
    }
}
