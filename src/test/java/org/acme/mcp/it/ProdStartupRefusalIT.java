package org.acme.mcp.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.acme.mcp.integrity.ToolLockfile;
import org.acme.mcp.support.ProdJar;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/**
 * Fail closed: the packaged prod artifact refuses to start when a token check or transport protection would be off.
 * Each case starts the real {@code quarkus-run.jar} with an otherwise complete configuration and one defect.
 */
class ProdStartupRefusalIT {

    /** A complete prod configuration (the IdP need not be reachable for the start-up checks). */
    static Map<String, String> good() {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.http.port", "0");
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("quarkus.otel.sdk.disabled", "true");
        config.put("quarkus.oidc.auth-server-url", "http://127.0.0.1:9/realms/mcp");
        config.put("quarkus.oidc.token.issuer", "http://127.0.0.1:9/realms/mcp");
        config.put("mcp.security.resource", "https://mcp.example.com/mcp");
        config.put("quarkus.oidc.token.audience", "https://mcp.example.com/mcp");
        config.put("mcp.security.transport.tls-termination", "proxy");
        config.put("mcp.audit.trail.directory", "target/audit-it");
        config.put("mcp.audit.trail.hmac-key", "it-audit-key-0123456789");
        config.put("mcp.round-trip.state-key", "it-request-state-key-0123456789-abcdef");
        return config;
    }

    static void assertRefused(Map<String, String> config, String expected) throws Exception {
        try (ProdJar server = ProdJar.launch(config)) {
            assertFalse(server.awaitStartedOrExit(), "the server started:\n" + server.output());
            assertNotEquals(0, server.exitCode(), server.output());
            assertTrue(server.output().contains(expected), "expected '" + expected + "' in:\n" + server.output());
        }
    }

    @Test
    void withAToolLimitForNoTool() throws Exception {
        Map<String, String> config = good();
        config.put("mcp.limits.tools.\"sort-line\".timeout", "5S");
        assertRefused(config, "mcp.limits.tools names no tool: [sort-line]");
    }

    @Test
    void withAToolOutsideTheServerCapWithoutItsOwnCap() throws Exception {
        Map<String, String> config = good();
        config.put("mcp.limits.tools.whoami.outside-server-cap", "true");
        assertRefused(config, "mcp.limits.tools.\"whoami\".outside-server-cap needs"
                + " mcp.limits.tools.\"whoami\".max-concurrent-calls");
    }

    @Test
    void withToolDefinitionsOnlyWarnedAbout() throws Exception {
        Map<String, String> config = good();
        config.put("mcp.integrity.mode", "warn");
        assertRefused(config, "mcp.integrity.mode=warn and mcp.integrity.approve are for dev and test only");
    }

    @Test
    void withAToolDescriptionThatIsNotTheReviewedOne() throws Exception {
        // the artifact's tools against a lockfile whose reviewed sort-lines description differs from the built one
        Path source = Path.of("src/main/resources", ToolLockfile.RESOURCE);
        Map<String, JsonObject> definitions = new TreeMap<>(
                ToolLockfile.read(Files.newInputStream(source), source.toString()).definitions());
        definitions.put("sort-lines", definitions.get("sort-lines").copy().put("description", "Sorts lines."));
        Path lockfile = Path.of("target", "it-reviewed.lock.json");
        new ToolLockfile(definitions).write(lockfile);
        Map<String, String> config = good();
        config.put("mcp.integrity.lockfile", lockfile.toString());
        assertRefused(config, "Tool definitions are not the reviewed ones:\n - tool 'sort-lines' description changed:"
                + " \"Sorts lines.\" -> \"");
    }

    @Test
    void withoutAnIssuer() throws Exception {
        Map<String, String> config = good();
        config.remove("quarkus.oidc.token.issuer");
        assertRefused(config, "quarkus.oidc.token.issuer (OIDC_ISSUER) must name the one trusted issuer");
    }

    @Test
    void withAnyIssuer() throws Exception {
        Map<String, String> config = good();
        config.put("quarkus.oidc.token.issuer", "any");
        assertRefused(config, "quarkus.oidc.token.issuer (OIDC_ISSUER) must name the one trusted issuer");
    }

    @Test
    void withAnyAudience() throws Exception {
        Map<String, String> config = good();
        config.put("quarkus.oidc.token.audience", "any");
        assertRefused(config, "quarkus.oidc.token.audience must list this server's audiences");
    }

    @Test
    void withoutAResource() throws Exception {
        Map<String, String> config = good();
        config.remove("mcp.security.resource");
        config.remove("quarkus.oidc.token.audience");
        assertRefused(config, "mcp.security.resource");
    }

    @Test
    void withAPlainHttpResourceOnTheNetwork() throws Exception {
        Map<String, String> config = good();
        config.put("mcp.security.resource", "http://mcp.example.com/mcp");
        config.put("quarkus.oidc.token.audience", "http://mcp.example.com/mcp");
        assertRefused(config, "must be an https URI");
    }

    @Test
    void withAPlainHttpIdentityProviderOnTheNetwork() throws Exception {
        Map<String, String> config = good();
        config.put("quarkus.oidc.auth-server-url", "http://keycloak.example.com/realms/mcp");
        config.put("quarkus.oidc.token.issuer", "http://keycloak.example.com/realms/mcp");
        assertRefused(config, "quarkus.oidc.auth-server-url (OIDC_AUTH_SERVER_URL) must be https");
        assertRefused(config, "authorization server http://keycloak.example.com/realms/mcp (OIDC_ISSUER,");
    }

    @Test
    void withAPlainHttpIdentityProviderOnAPrivateNetworkWhenSaidSo() throws Exception {
        Map<String, String> config = good();
        config.put("quarkus.oidc.auth-server-url", "http://keycloak.invalid:9/realms/mcp");
        config.put("mcp.security.allow-plain-http-identity-provider", "true");
        try (ProdJar server = ProdJar.launch(config)) {
            assertTrue(server.awaitStartedOrExit(), "expected the server to start:\n" + server.output());
        }
    }

    @Test
    void withCertificateChecksOffForTheIdentityProvider() throws Exception {
        Map<String, String> config = good();
        config.put("quarkus.tls.trust-all", "true");
        assertRefused(config, "trusts all certificates");
    }

    @Test
    void withAnHmacOrNoneAlgorithmAllowed() throws Exception {
        Map<String, String> config = good();
        config.put("mcp.security.token.allowed-algorithms", "RS256,HS256,none");
        assertRefused(config, "refused: [HS256, none]");
    }

    @Test
    void withoutAnAuditKey() throws Exception {
        Map<String, String> config = good();
        config.remove("mcp.audit.trail.hmac-key");
        assertRefused(config, "mcp.audit.trail.hmac-key (MCP_AUDIT_HMAC_KEY) must be set");
    }

    @Test
    void withoutARequestStateKeyOrWithAShortOne() throws Exception {
        Map<String, String> config = good();
        config.remove("mcp.round-trip.state-key");
        assertRefused(config, "mcp.round-trip.state-key (MCP_REQUEST_STATE_KEY) must be set, 32+ characters");
        config.put("mcp.round-trip.state-key", "0123456789abcdef0123456789abcde"); // 31
        assertRefused(config, "mcp.round-trip.state-key (MCP_REQUEST_STATE_KEY) must be set, 32+ characters");
    }

    @Test
    void whenAToolNeedsApprovalButNobodyCanSignInToGiveIt() throws Exception {
        Map<String, String> config = good();
        config.put("mcp.rbac.tools.\"kill-switch-engage\".approval", "true");
        assertRefused(config, "Tools [kill-switch-engage] need a person's approval, but nobody can sign in");
    }

    @Test
    void withoutTls() throws Exception {
        Map<String, String> config = good();
        config.put("mcp.security.transport.tls-termination", "none");
        assertRefused(config, "tls-termination=none is for dev and test only");
    }

    @Test
    void withAppTlsButNoKeyStore() throws Exception {
        Map<String, String> config = good();
        config.remove("mcp.security.transport.tls-termination"); // default: app
        assertRefused(config, "needs a key store in the TLS registry");
    }

    @Test
    void aCompleteConfigurationStarts() throws Exception {
        try (ProdJar server = ProdJar.launch(good())) {
            assertTrue(server.awaitStartedOrExit(), "expected the server to start:\n" + server.output());
        }
    }
}
