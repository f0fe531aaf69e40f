package org.acme.mcp.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.acme.mcp.support.ProbeEndpoints;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.ext.web.Route;

/** No endpoint is reachable without a token, including ones added later without any security annotation. */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class DenyByDefaultTest {

    static final Set<String> PUBLIC = Set.of("/q/health", "/.well-known/oauth-protected-resource");

    @Test
    void everyRegisteredRouteRequiresAToken() {
        List<String> paths = new ArrayList<>();
        for (Route route : ProbeEndpoints.router.getRoutes()) {
            if (route.getPath() != null) {
                paths.add(route.getPath().replaceAll(":[A-Za-z]+", "x"));
            }
        }
        paths.addAll(List.of("/", "/probe/jaxrs", "/mcp", "/q/metrics", "/q/openapi", "/anything/else", "/mcp/../probe/jaxrs"));
        assertTrue(paths.contains("/mcp") && paths.contains("/probe/route"), paths.toString());
        for (String path : paths) {
            if (PUBLIC.stream().anyMatch(path::startsWith)) {
                continue;
            }
            for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
                Response response = given().contentType("application/json").body("{}").request(method, path);
                int status = response.statusCode();
                // 404 only where TransportGuard refuses the legacy SSE transport before anything else
                boolean legacySse = path.startsWith("/mcp/");
                assertTrue(status == 401 || (legacySse && status == 404), method + " " + path + " answered " + status);
                assertFalse(response.asString().contains("secret"), method + " " + path);
            }
        }
    }

    @Test
    void anUnannotatedResourceIsForbiddenEvenWithAToken() {
        Response response = given().header("Authorization", "Bearer " + Tokens.keycloak().sign()).get("/probe/jaxrs");
        assertEquals(403, response.statusCode());
        assertFalse(response.asString().contains("secret"));
    }

    @Test
    void publicPathsNeedNoToken() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/.well-known/oauth-protected-resource/mcp").then().statusCode(200);
    }
}
