package org.acme.mcp.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code Host} allowlist (DNS rebinding): host names match case-insensitively (RFC 9110), everything else exactly;
 * a trailing dot, another port, user info, a path or a longer name is another host.
 */
class OriginPolicyTest {

    final OriginPolicy policy = new OriginPolicy(Set.of(), Set.of("mcp.example.com:8443", "localhost:8081"));

    @ParameterizedTest
    @ValueSource(strings = { "mcp.example.com:8443", "MCP.Example.COM:8443", "localhost:8081", "LOCALHOST:8081" })
    void theAllowedHostsInAnyCase(String host) {
        assertTrue(policy.hostAllowed(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = { "mcp.example.com.:8443", "mcp.example.com:8443.", "mcp.example.com", "mcp.example.com:443",
            "mcp.example.com:8443.evil.example", "evil.example", "user@mcp.example.com:8443", "mcp.example.com:8443/x",
            "localhost", "localhost:80", "127.0.0.1:8081", "[::1]:8081", "", "mcp.example.com:8443 evil" })
    void anythingElse(String host) {
        assertFalse(policy.hostAllowed(host), host);
    }
}
