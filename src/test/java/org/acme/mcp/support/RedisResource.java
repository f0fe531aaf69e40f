package org.acme.mcp.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real Redis for an in-process server in fleet mode ({@code mcp.fleet.*} pointed at it); {@link #server()} to kill it. */
public class RedisResource implements QuarkusTestResourceLifecycleManager {

    public static final String PASSWORD = "in-process-fleet-password";
    private static RedisServer server;

    public static RedisServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        try {
            server = new RedisServer(PASSWORD).start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("mcp.fleet.enabled", "true",
                "mcp.fleet.redis.url", server.url(),
                "mcp.fleet.redis.password", PASSWORD);
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
