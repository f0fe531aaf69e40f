package org.acme.mcp.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Only a literal loopback address may serve a plain-http resource or identity provider in prod; look-alike DNS names
 * may not.
 */
class ProdSecurityGuardTest {

    @ParameterizedTest
    @ValueSource(strings = { "http://localhost:8080/mcp", "http://LOCALHOST/mcp", "http://127.0.0.1:8080/mcp",
            "http://127.255.10.1/mcp", "http://[::1]:8080/mcp" })
    void loopbackAddresses(String uri) {
        assertTrue(ProdSecurityGuard.isLoopback(URI.create(uri)), uri);
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://127.evil.example/mcp", "http://127.0.0.1.evil.example/mcp",
            "http://127.0.0.256/mcp", "http://localhost.evil.example/mcp", "http://mcp.example.com/mcp",
            "http://10.0.0.1/mcp", "http:///mcp" })
    void everythingElse(String uri) {
        assertFalse(ProdSecurityGuard.isLoopback(URI.create(uri)), uri);
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://keycloak.example.com/realms/mcp", "HTTPS://login.example.com/t/v2.0",
            "http://localhost:8180/realms/mcp", "http://127.0.0.1:9/realms/mcp" })
    void identityProvidersReachedSafely(String url) {
        assertTrue(ProdSecurityGuard.httpsOrLoopback(url), url);
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://keycloak:8080/realms/mcp", "http://127.evil.example/realms/mcp",
            "ftp://keycloak.example.com/", "keycloak.example.com/realms/mcp", "https://bad host/", "" })
    void identityProvidersReachedInTheClear(String url) {
        assertFalse(ProdSecurityGuard.httpsOrLoopback(url), url);
    }
}
