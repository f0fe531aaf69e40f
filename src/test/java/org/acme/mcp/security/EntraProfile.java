package org.acme.mcp.security;

import java.util.Map;

import org.acme.mcp.support.TestIssuer;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The server configured for a Microsoft Entra ID tenant, as the README documents it: v2 issuer, the API's
 * application ID URI and client id as audiences. Only the keys are served locally ({@link TestIssuer}).
 */
public class EntraProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        TestIssuer.ensureStarted();
        return Map.of(
                "quarkus.oidc.auth-server-url", TestIssuer.entraBaseUrl(),
                "quarkus.oidc.token.issuer", TestIssuer.ENTRA_ISSUER,
                "quarkus.oidc.token.audience", TestIssuer.ENTRA_APP_ID_URI + "," + TestIssuer.ENTRA_APP_ID,
                "mcp.security.authorization-servers", TestIssuer.ENTRA_ISSUER,
                "mcp.security.scope-prefix", TestIssuer.ENTRA_APP_ID_URI + "/");
    }
}
