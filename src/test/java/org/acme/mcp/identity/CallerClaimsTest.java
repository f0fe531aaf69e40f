package org.acme.mcp.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;

/** Claim mapping for both providers, with the configurable paths. */
public class CallerClaimsTest {

    public record Config(List<String> scopeClaims, List<String> roleClaims, Optional<List<String>> groupClaims,
            Map<String, List<String>> scopeImplies)
            implements
                ClaimsConfig {

        Config(List<String> scopeClaims, List<String> roleClaims, Optional<List<String>> groupClaims) {
            this(scopeClaims, roleClaims, groupClaims, Map.of());
        }

        @Override
        public List<String> clientClaims() {
            return List.of("azp", "appid", "client_id");
        }
    }

    public static final Config DEFAULTS = new Config(List.of("scope", "scp"), List.of("realm_access/roles", "roles"),
            Optional.empty());

    @Test
    void aBroaderScopeImpliesTheNarrowerOnesTransitively() throws Exception {
        var config = new Config(DEFAULTS.scopeClaims(), DEFAULTS.roleClaims(), Optional.empty(),
                Map.of("mcp.admin", List.of("mcp.write"), "mcp.write", List.of("mcp.read"), "mcp.read",
                        List.of("mcp.admin"))); // a cycle must not loop
        var caller = new CallerClaims(config).of(jwt("""
                {"iss":"https://idp","sub":"u","scope":"mcp.write openid"}"""));
        assertEquals(Set.of("mcp.write", "mcp.read", "mcp.admin", "openid"), caller.scopes());
        var narrow = new CallerClaims(new Config(DEFAULTS.scopeClaims(), DEFAULTS.roleClaims(), Optional.empty(),
                Map.of("mcp.admin", List.of("mcp.read")))).of(jwt("""
                        {"iss":"https://idp","sub":"u","scope":"mcp.read"}"""));
        assertEquals(Set.of("mcp.read"), narrow.scopes(), "a narrower scope implies nothing broader");
    }

    static DefaultJWTCallerPrincipal jwt(String json) throws Exception {
        return new DefaultJWTCallerPrincipal(JwtClaims.parse(json));
    }

    @Test
    void keycloakShape() throws Exception {
        var caller = new CallerClaims(DEFAULTS).of(jwt("""
                {"sub":"s","scope":"openid  mcp.read mcp.write","realm_access":{"roles":["mcp-reader"]},
                 "resource_access":{"mcp-server":{"roles":["client-role"]}},"auth_time":1700000000,"acr":"1"}"""));
        assertEquals(Set.of("openid", "mcp.read", "mcp.write"), caller.scopes());
        assertEquals(Set.of("mcp-reader"), caller.roles(), "client roles only when configured");
        assertEquals(1700000000L, caller.authTime().get());
        assertEquals("1", caller.acr().get());
    }

    @Test
    void entraShape() throws Exception {
        var caller = new CallerClaims(DEFAULTS).of(jwt("""
                {"sub":"s","scp":"mcp.read","roles":["mcp-operator"],"groups":["g1"]}"""));
        assertEquals(Set.of("mcp.read"), caller.scopes());
        assertEquals(Set.of("mcp-operator"), caller.roles(), "groups only when configured");
        assertTrue(caller.authTime().isEmpty());
    }

    @Test
    void clientRolesAndGroupsWhenConfigured() throws Exception {
        var config = new Config(List.of("scope"), List.of("resource_access/mcp-server/roles"), Optional.of(List.of("groups")));
        var caller = new CallerClaims(config).of(jwt("""
                {"sub":"s","realm_access":{"roles":["realm-role"]},"resource_access":{"mcp-server":{"roles":["client-role"]}},
                 "groups":["ops"]}"""));
        assertEquals(Set.of("client-role", "ops"), caller.roles());
    }

    @Test
    void malformedClaimsGrantNothing() throws Exception {
        var caller = new CallerClaims(DEFAULTS).of(jwt("""
                {"sub":"s","scope":42,"realm_access":"admin","roles":{"a":"b"}}"""));
        assertTrue(caller.scopes().isEmpty());
        assertTrue(caller.roles().isEmpty());
    }

    @Test
    void clientIsTheFirstConfiguredClaimPresent() throws Exception {
        var claims = new CallerClaims(DEFAULTS);
        assertEquals("kc-cli", claims.of(jwt("""
                {"sub":"s","azp":"kc-cli","appid":"v1-app","client_id":"rfc9068"}""")).client().get());
        assertEquals("v1-app", claims.of(jwt("""
                {"sub":"s","appid":"v1-app","client_id":"rfc9068"}""")).client().get(), "Entra v1");
        assertEquals("rfc9068", claims.of(jwt("""
                {"sub":"s","client_id":"rfc9068"}""")).client().get(), "RFC 9068");
        assertTrue(claims.of(jwt("""
                {"sub":"s","azp":42}""")).client().isEmpty(), "a non-string claim names no client");
    }
}
