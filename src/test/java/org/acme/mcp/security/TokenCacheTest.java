package org.acme.mcp.security;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.acme.mcp.support.AuditRecords;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The verified-token cache saves the signature check on repeated requests but never outlives a token: an expired or
 * revoked token is refused even while cached, and the cache stays within its bound.
 */
@QuarkusTest
@TestProfile(TokenCacheTest.SmallCacheNoGrace.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class TokenCacheTest {

    public static class SmallCacheNoGrace implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.token.lifespan-grace", "0", "mcp.security.token.cache.max-entries", "5");
        }
    }

    @Inject
    VerifiedTokenCache cache;

    @Inject
    TokenRevocations revocations;

    private static Response initialize(String token) {
        return McpHttp.request(token).body(McpHttp.initializeBody()).post("/mcp");
    }

    private static void assertRefused(Response response) {
        response.then().statusCode(401).header("WWW-Authenticate", containsString("error=\"invalid_token\""));
    }

    @Test
    void aRepeatedTokenIsACacheHitAndAnotherTokenAMiss() {
        String token = Tokens.keycloak().subject("cache-" + UUID.randomUUID()).sign();
        long hits = cache.hits();
        long misses = cache.misses();
        initialize(token).then().statusCode(200);
        assertEquals(misses + 1, cache.misses());
        initialize(token).then().statusCode(200);
        initialize(token).then().statusCode(200);
        assertEquals(hits + 2, cache.hits());
        initialize(Tokens.keycloak().subject("cache-" + UUID.randomUUID()).sign()).then().statusCode(200);
        assertEquals(misses + 2, cache.misses());
    }

    @Test
    void aCachedTokenIsRefusedOnceItExpires() throws InterruptedException {
        String token = Tokens.keycloak().subject("expiring-" + UUID.randomUUID()).expiresIn(2).sign();
        initialize(token).then().statusCode(200);
        initialize(token).then().statusCode(200); // served from the cache
        Thread.sleep(2600);
        assertRefused(initialize(token));
    }

    @Test
    void aRevokedCallersCachedTokensAreRefusedAndItsNewTokensWork() throws InterruptedException {
        String subject = "revoked-" + UUID.randomUUID();
        String token = Tokens.keycloak().subject(subject).sign();
        initialize(token).then().statusCode(200);
        revocations.revokeCaller(TestIssuer.issuer() + " " + subject);
        assertRefused(initialize(token));
        assertTrue(AuditRecords.all().stream().anyMatch(r -> "auth.failure".equals(r.getString("type"))
                && "token revoked".equals(r.getJsonObject("attrs").getString("audit.reason"))));
        // and stays refused: no stale cache entry brings it back
        assertRefused(initialize(token));
        Thread.sleep(1100); // iat has second granularity
        initialize(Tokens.keycloak().subject(subject).sign()).then().statusCode(200);
        // another caller is not affected
        initialize(Tokens.keycloak().subject("bystander-" + UUID.randomUUID()).sign()).then().statusCode(200);
    }

    @Test
    void theCacheStaysWithinItsBound() {
        for (int i = 0; i < 20; i++) {
            initialize(Tokens.keycloak().subject("bulk-" + i + "-" + UUID.randomUUID()).sign()).then().statusCode(200);
        }
        assertTrue(cache.size() <= 5, "cache holds " + cache.size());
    }
}
