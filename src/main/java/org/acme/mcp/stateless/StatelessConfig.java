package org.acme.mcp.stateless;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How 2026-07-28 requests are answered. Keys: {@code mcp.stateless.*}.
 * <p>
 * Cacheable results ({@code server/discover}, the lists, {@code resources/read}) tell the client how long it may
 * reuse them ({@code ttlMs}); every one is {@code cacheScope: private}, because what this server lists depends on who
 * asks (RBAC, the kill switch). A cached list is a hint only: every call is authorized again.
 */
@ConfigMapping(prefix = "mcp.stateless")
public interface StatelessConfig {

    /** How long a client may reuse {@code server/discover} and the lists (tools, prompts, resources, templates). */
    @WithDefault("60s")
    Duration listTtl();

    /** How long a client may reuse a {@code resources/read} result: by default not at all, contents may change. */
    @WithDefault("0s")
    Duration readTtl();
}
