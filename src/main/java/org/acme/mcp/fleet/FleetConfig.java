package org.acme.mcp.fleet;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Running as one replica of a fleet ({@code mcp.fleet.*}): the kill switch, token revocations, session ends and rate
 * budgets shared by every replica through Redis ({@link FleetStore}). Off by default: one replica keeps them in
 * memory and in its state file, and needs no Redis.
 */
@ConfigMapping(prefix = "mcp.fleet")
public interface FleetConfig {

    /**
     * Share every runtime control through Redis. On: the server refuses to start without a reachable Redis that
     * requires a password ({@code redis.url}, {@code redis.password}).
     */
    @WithDefault("false")
    boolean enabled();

    /**
     * How many replicas the fleet runs. While Redis cannot be reached, each replica grants 1/replicas of every rate
     * budget on its own, so the fleet as a whole stays near the configured budget.
     */
    @WithDefault("1")
    int replicas();

    /** How often each replica reads changes made elsewhere: a change is in force everywhere within about this. */
    @WithDefault("250ms")
    Duration syncInterval();

    Redis redis();

    interface Redis {

        /** {@code redis://host:port} or {@code rediss://host:port} (TLS); a user may go in it, never the password. */
        Optional<String> url();

        /** The password (from a Secret): a Redis anyone on the network can write would be a kill switch for all. */
        Optional<String> password();

        /** Prefix of every key this server writes, so that several servers can share one Redis. */
        @WithDefault("mcp:")
        String keyPrefix();

        /** How long one Redis command may take before it counts as failed. */
        @WithDefault("1s")
        Duration timeout();
    }
}
