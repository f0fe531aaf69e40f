package org.acme.mcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import org.acme.mcp.support.ProdJar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The prod artifact terminating TLS itself (mcp.security.transport.tls-termination=app): a key store from the Quarkus
 * TLS registry, TLS 1.3 only, no plain-HTTP listener, HSTS on responses.
 */
class ProdTlsIT {

    static final Path KEY_STORE = Path.of("target", "tls-it.p12");
    static final String PASSWORD = "changeit";
    static ProdJar server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        Files.deleteIfExists(KEY_STORE);
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", KEY_STORE.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .inheritIO().start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool failed");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> config = new java.util.HashMap<>(ProdStartupRefusalIT.good());
        config.remove("mcp.security.transport.tls-termination"); // default: app
        config.put("mcp.security.resource", "https://localhost:" + port + "/mcp");
        config.put("quarkus.oidc.token.audience", "https://localhost:" + port + "/mcp");
        config.put("quarkus.tls.key-store.p12.path", KEY_STORE.toAbsolutePath().toString());
        config.put("quarkus.tls.key-store.p12.password", PASSWORD);
        config.put("quarkus.http.insecure-requests", "disabled");
        config.put("quarkus.http.ssl-port", String.valueOf(port));
        server = ProdJar.launch(config);
        assertTrue(server.awaitStartedOrExit(), server.output());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static HttpClient client(String protocol) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(KEY_STORE)) {
            trust.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] { protocol });
        return HttpClient.newBuilder().sslContext(context).sslParameters(parameters).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    static HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).build();
    }

    @Test
    void tls13WorksAndResponsesCarryHsts() throws Exception {
        HttpResponse<String> response = client("TLSv1.3").send(get("/.well-known/oauth-protected-resource/mcp"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("\"resource\":\"https://localhost:" + port + "/mcp\""), response.body());
        assertTrue(response.headers().firstValue("Strict-Transport-Security").orElse("").startsWith("max-age="),
                response.headers().map().toString());
        HttpResponse<String> mcp = client("TLSv1.3").send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/mcp"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, mcp.statusCode());
    }

    @Test
    void tls12IsRefused() {
        assertThrows(IOException.class,
                () -> client("TLSv1.2").send(get("/q/health/live"), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void plainHttpIsNotServed() {
        HttpRequest plain = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/live")).build();
        assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(plain, HttpResponse.BodyHandlers.ofString()));
    }
}
