package org.acme.mcp.it;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * What an operator sets for the packaged prod artifact, besides the identity provider (added by the test resource):
 * the resource URI, the audiences and a TLS-terminating proxy in front. Loopback only.
 */
public class ProdLikeProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "mcp.security.resource", "http://localhost:8081/mcp",
                "quarkus.oidc.token.audience", "http://localhost:8081/mcp,mcp-server",
                "mcp.security.transport.tls-termination", "proxy",
                "quarkus.http.host", "127.0.0.1",
                "quarkus.otel.sdk.disabled", "true",
                "mcp.audit.trail.directory", "target/audit-it",
                "mcp.audit.trail.hmac-key", "it-audit-key-0123456789",
                "mcp.round-trip.state-key", "it-request-state-key-0123456789-abcdef");
    }
}
