package org.acme.mcp.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** RFC 9728 metadata: discoverable from the 401 challenge and at both well-known locations, without a token. */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class ProtectedResourceMetadataTest {

    @Test
    void theChallengeLeadsToTheMetadata() {
        String challenge = McpHttp.request(null).body(McpHttp.initializeBody()).post("/mcp").header("WWW-Authenticate");
        Matcher m = Pattern.compile("resource_metadata=\"([^\"]+)\"").matcher(challenge);
        org.junit.jupiter.api.Assertions.assertTrue(m.find(), challenge);
        given().get(m.group(1)).then()
                .statusCode(200)
                .contentType("application/json")
                .body("resource", equalTo("http://localhost:8081/mcp"))
                .body("authorization_servers", contains(TestIssuer.issuer()))
                .body("scopes_supported", contains("mcp.admin", "mcp.read"))
                .body("bearer_methods_supported", contains("header"));
    }

    @Test
    void rootFormIsServedToo() {
        given().get("/.well-known/oauth-protected-resource").then().statusCode(200)
                .body("resource", equalTo("http://localhost:8081/mcp"));
    }

    @Test
    void otherResourcesHaveNoMetadata() {
        given().get("/.well-known/oauth-protected-resource/other").then().statusCode(404);
    }

    @Test
    void healthIsPublic() {
        given().get("/q/health/ready").then().statusCode(200);
    }
}
