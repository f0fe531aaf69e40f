package org.acme.mcp.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Tokens shaped exactly like Microsoft Entra ID v2 access tokens, accepted and refused like Entra's would be. */
@QuarkusTest
@TestProfile(EntraProfile.class)
class EntraTokenTest {

    static int initialize(String token) {
        return McpHttp.request(token).body(McpHttp.initializeBody()).post("/mcp").statusCode();
    }

    @Test
    void anEntraTokenForThisApiIsAcceptedAndItsClaimsMapped() {
        String token = Tokens.entra().sign();
        String session = McpHttp.initialize(token);
        McpHttp.call(token, session, "tools/call", "{\"name\":\"whoami\",\"arguments\":{}}", 2).then()
                .statusCode(200)
                .body("result.structuredContent.issuer", equalTo(TestIssuer.ENTRA_ISSUER))
                .body("result.structuredContent.client", equalTo("b3d8a8e1-3c11-4f4e-9b1a-5f2f0c1d2e3f"))
                .body("result.structuredContent.scopes", contains("mcp.read", "mcp.write"))
                .body("result.structuredContent.roles", hasItems("mcp-operator"));
    }

    @Test
    void entraAppRolesAndScopesDriveToolAccess() {
        String token = Tokens.entra().sign();
        String session = McpHttp.initialize(token);
        McpHttp.call(token, session, "tools/list", "{}", 2).then()
                .body("result.tools.name",
                        org.hamcrest.Matchers.containsInAnyOrder("whoami", "text-stats", "time-in-zone", "sort-lines",
                                "session-stats"));
        String noScope = Tokens.entra().claim("scp", "User.Read").sign();
        String session2 = McpHttp.initialize(noScope);
        McpHttp.call(noScope, session2, "tools/call", "{\"name\":\"session-stats\",\"arguments\":{}}", 3).then()
                .statusCode(403)
                .header("WWW-Authenticate",
                        org.hamcrest.Matchers.endsWith("scope=\"" + TestIssuer.ENTRA_APP_ID_URI + "/mcp.read\""));
    }

    @Test
    void theClientIdIsAnAcceptedAudience() {
        org.junit.jupiter.api.Assertions.assertEquals(200,
                initialize(Tokens.entra().claim("aud", TestIssuer.ENTRA_APP_ID).sign()));
    }

    @Test
    void anAppOnlyTokenWithRolesAndNoScpIsAccepted() {
        org.junit.jupiter.api.Assertions.assertEquals(200, initialize(Tokens.entra().without("scp").without("name")
                .without("preferred_username").claim("idtyp", "app").sign()));
    }

    @Test
    void aTokenForAnotherApiIsRefused() {
        org.junit.jupiter.api.Assertions.assertEquals(401, initialize(Tokens.entra()
                .claim("aud", "api://11111111-2222-3333-4444-555555555555").sign()));
    }

    @Test
    void aMicrosoftGraphTokenIsRefused() {
        org.junit.jupiter.api.Assertions.assertEquals(401, initialize(Tokens.entra()
                .claim("aud", "00000003-0000-0000-c000-000000000000").sign()));
    }

    @Test
    void anotherTenantIsRefused() {
        org.junit.jupiter.api.Assertions.assertEquals(401, initialize(Tokens.entra()
                .claim("iss", "https://login.microsoftonline.com/0b7c1d2e-aaaa-bbbb-cccc-000000000000/v2.0")
                .claim("tid", "0b7c1d2e-aaaa-bbbb-cccc-000000000000").sign()));
    }

    @Test
    void aV1IssuerIsRefused() {
        org.junit.jupiter.api.Assertions.assertEquals(401, initialize(Tokens.entra()
                .claim("iss", "https://sts.windows.net/" + TestIssuer.ENTRA_TENANT + "/").claim("ver", "1.0").sign()));
    }

    @Test
    void aForgedEntraTokenIsRefused() {
        org.junit.jupiter.api.Assertions.assertEquals(401, initialize(Tokens.entra()
                .signedWith(TestIssuer.ATTACKER, AlgorithmIdentifiers.RSA_USING_SHA256).sign()));
    }

    @Test
    void theMetadataNamesTheEntraTenant() {
        given().get("/.well-known/oauth-protected-resource/mcp").then().statusCode(200)
                .body("authorization_servers", contains(TestIssuer.ENTRA_ISSUER))
                .body("scopes_supported", contains(TestIssuer.ENTRA_APP_ID_URI + "/mcp.admin",
                        TestIssuer.ENTRA_APP_ID_URI + "/mcp.read"));
    }
}
