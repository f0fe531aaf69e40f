package org.acme.mcp.it;

import java.util.HashMap;
import java.util.Map;

import org.acme.mcp.support.AuditRecords;

/**
 * For the integration-test twins of the black-box tests: the packaged prod artifact configured like
 * {@link ProdLikeProfile}, plus what the shared test code expects: the audit trail where {@code AuditRecords} reads
 * it, budgets large enough for a test suite that makes hundreds of calls as a handful of callers, and one allowed
 * browser origin.
 */
public class BlackBoxProfile extends ProdLikeProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("mcp.audit.trail.directory", AuditRecords.IT_TRAIL.toString());
        config.put("mcp.audit.trail.hmac-key", AuditRecords.IT_KEY);
        config.put("mcp.limits.caller-limit", "1000000");
        config.put("mcp.limits.client-limit", "1000000");
        config.put("mcp.limits.request-limit", "1000000");
        config.put("mcp.audit.unattributed-limit", "1000000"); // the suite sends thousands of tokenless requests
        config.put("mcp.security.transport.max-sessions-per-caller", "1000");
        config.put("mcp.security.transport.allowed-origins", "http://localhost:6274"); // a browser client's origin
        return config;
    }
}
