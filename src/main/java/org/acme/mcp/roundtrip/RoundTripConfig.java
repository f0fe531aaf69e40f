package org.acme.mcp.roundtrip;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Multi-round-trip requests of MCP 2026-07-28 ({@code mcp.round-trip.*}): a tool, prompt or resource asks the client
 * for input with an {@code input_required} result whose {@code requestState} this server seals, and runs again on the
 * client's retry.
 */
@ConfigMapping(prefix = "mcp.round-trip")
public interface RoundTripConfig {

    /**
     * The secret that seals every {@code requestState} (AES-256-GCM under a key derived from it): 32+ characters, the
     * same on every replica of a fleet. Required: the server refuses to start without it. Changing it invalidates the
     * states in flight, whose callers then start over.
     */
    Optional<String> stateKey();

    /** How long a sealed {@code requestState} is accepted: the time a user has to answer what was asked. */
    @WithDefault("5m")
    Duration stateTtl();
}
