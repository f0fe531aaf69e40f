package org.acme.mcp.conformance;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The server with the conformance suite's fixtures ({@link ConformanceFixtures}) and the other test-only tools built
 * with {@code test.conformance-fixtures=on}, reachable through the token-adding proxy on {@link #PROXY_PORT}.
 */
public class FixturesProfile implements QuarkusTestProfile {

    public static final int PROXY_PORT = 18181;

    @Override
    public Map<String, String> getConfigOverrides() {
        String proxy = "localhost:" + PROXY_PORT + ",127.0.0.1:" + PROXY_PORT;
        return Map.of("test.conformance-fixtures", "on", "mcp.integrity.mode", "warn",
                "mcp.security.transport.allowed-hosts", "localhost:8081," + proxy,
                "mcp.security.transport.allowed-origins",
                "http://localhost:" + PROXY_PORT + ",http://127.0.0.1:" + PROXY_PORT,
                "mcp.limits.caller-limit", "10000", "mcp.limits.request-limit", "10000");
    }
}
