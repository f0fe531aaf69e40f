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
        return Map.ofEntries(Map.entry("test.conformance-fixtures", "on"), Map.entry("mcp.integrity.mode", "warn"),
                // the approval page's sign-in (roundtrip.AskFirstFeatures' delete-forever needs it)
                Map.entry("quarkus.oidc.approval.tenant-enabled", "true"),
                Map.entry("quarkus.oidc.approval.client-id", "test-approval"),
                Map.entry("quarkus.oidc.approval.credentials.secret", "test-approval-secret"),
                Map.entry("mcp.security.transport.allowed-hosts", "localhost:8081," + proxy),
                Map.entry("mcp.security.transport.allowed-origins",
                        "http://localhost:" + PROXY_PORT + ",http://127.0.0.1:" + PROXY_PORT),
                Map.entry("mcp.limits.caller-limit", "10000"), Map.entry("mcp.limits.request-limit", "10000"));
    }
}
