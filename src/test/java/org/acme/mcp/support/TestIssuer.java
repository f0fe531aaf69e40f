package org.acme.mcp.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A local OpenID provider for tests: discovery documents and JWKS on loopback, with keys the tests sign tokens with.
 * It serves two shapes: a Keycloak-like realm ({@code /realms/test}) and a Microsoft Entra ID v2 tenant whose issuer
 * is the real {@code https://login.microsoftonline.com/{tenant}/v2.0} while its keys are served here. It counts every
 * request per path, so tests can prove which ones the server under test made (e.g. never the introspection endpoint).
 */
public class TestIssuer implements QuarkusTestResourceLifecycleManager {

    public static final String ENTRA_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public static final String ENTRA_APP_ID = "6e74172b-be56-4843-9ff4-e66a39bb12e3";
    public static final String ENTRA_APP_ID_URI = "api://" + ENTRA_APP_ID;
    public static final String ENTRA_ISSUER = "https://login.microsoftonline.com/" + ENTRA_TENANT + "/v2.0";

    public static final RsaJsonWebKey RSA = rsa("rsa-1");
    public static final EllipticCurveJsonWebKey EC = ec("ec-1");
    /** A key the issuer never published: tokens signed with it are forgeries. */
    public static final RsaJsonWebKey ATTACKER = rsa("rsa-1");

    private static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();
    private static HttpServer server;
    private static int port;

    /** The Keycloak-shaped issuer URL of the running server. */
    public static String issuer() {
        return "http://127.0.0.1:" + port + "/realms/test";
    }

    public static String entraBaseUrl() {
        return "http://127.0.0.1:" + port + "/entra/" + ENTRA_TENANT + "/v2.0";
    }

    /** Requests served per path since start-up. */
    public static int hits(String pathSuffix) {
        return HITS.entrySet().stream().filter(e -> e.getKey().endsWith(pathSuffix))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    public static synchronized void ensureStarted() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        port = server.getAddress().getPort();
        server.createContext("/", TestIssuer::serve);
        server.start();
    }

    @Override
    public Map<String, String> start() {
        ensureStarted();
        return Map.of(
                "quarkus.oidc.auth-server-url", issuer(),
                "quarkus.oidc.token.issuer", issuer());
    }

    @Override
    public void stop() {
        // Shared by every test class of the JVM; the JVM's exit ends it
    }

    private static void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        HITS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        String body;
        if (path.equals("/realms/test/.well-known/openid-configuration")) {
            String endpoints = issuer() + "/protocol/openid-connect";
            body = discovery(issuer(), endpoints, endpoints + "/certs");
        } else if (path.equals("/entra/" + ENTRA_TENANT + "/v2.0/.well-known/openid-configuration")) {
            // Entra's real layout: issuer on login.microsoftonline.com, keys under /discovery/v2.0/keys
            String tenant = "http://127.0.0.1:" + port + "/entra/" + ENTRA_TENANT;
            body = discovery(ENTRA_ISSUER, tenant + "/oauth2/v2.0", tenant + "/discovery/v2.0/keys");
        } else if (path.endsWith("/certs") || path.endsWith("/discovery/v2.0/keys")) {
            body = new JsonWebKeySet(RSA, EC).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } else {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String discovery(String issuer, String endpoints, String jwksUri) {
        return "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + jwksUri + "\","
                + "\"token_endpoint\":\"" + endpoints + "/token\","
                + "\"authorization_endpoint\":\"" + endpoints + "/auth\","
                + "\"introspection_endpoint\":\"" + endpoints + "/token/introspect\","
                + "\"userinfo_endpoint\":\"" + endpoints + "/userinfo\","
                + "\"code_challenge_methods_supported\":[\"S256\"],"
                + "\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"]}";
    }

    private static RsaJsonWebKey rsa(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            key.setUse("sig");
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EllipticCurveJsonWebKey ec(String kid) {
        try {
            EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            key.setKeyId(kid);
            key.setUse("sig");
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
