package org.acme.mcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.acme.mcp.support.KeycloakServer;
import org.acme.mcp.support.KeycloakTokens;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.ProdJar;
import org.acme.mcp.support.StatelessHttp;
import org.acme.mcp.support.TcpGate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * A replica started while the identity provider (a real Keycloak, behind a gate this test opens and closes) cannot be
 * reached: readiness recovers by itself within seconds of the provider coming back, with no request needed (behind
 * a Kubernetes Service an unready pod gets none), and no request with a valid token is refused as
 * {@code invalid_token} meanwhile: 503 with {@code Retry-After} until the provider answers, then 200.
 */
class IdentityProviderRecoveryIT {

    /** How long a replica gets to fail its first connection before the test looks. */
    static final long SETTLE_MILLIS = 3000;

    static KeycloakServer keycloak;
    static TcpGate gate;

    @BeforeAll
    static void start() throws Exception {
        keycloak = new KeycloakServer();
        keycloak.start();
        gate = new TcpGate(Integer.parseInt(KeycloakServer.baseUrl().replaceAll(".*:(\\d+)$", "$1")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gate != null) {
            gate.close();
        }
        if (keycloak != null) {
            keycloak.stop();
        }
    }

    /** The packaged server pointed at Keycloak through the gate. */
    static ProdJar launch(int port) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("quarkus.http.port", String.valueOf(port));
        config.put("quarkus.otel.sdk.disabled", "true");
        config.put("quarkus.oidc.auth-server-url", "http://127.0.0.1:" + gate.port() + "/realms/" + KeycloakServer.REALM);
        config.put("quarkus.oidc.token.issuer", KeycloakServer.realmUrl());
        config.put("quarkus.oidc.token.audience", "mcp-server");
        config.put("mcp.security.resource", "http://localhost:" + port + "/mcp");
        config.put("mcp.security.transport.tls-termination", "proxy");
        config.put("mcp.audit.trail.directory", "target/idp-recovery-it/" + port);
        config.put("mcp.audit.trail.hmac-key", "idp-recovery-it-key-0123456789");
        config.put("mcp.round-trip.state-key", "idp-recovery-it-request-state-key-0123456789");
        ProdJar server = ProdJar.launch(config);
        assertTrue(server.awaitStartedOrExit(), server.output());
        return server;
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static int readiness(int port) {
        return McpHttp.request(null).baseUri("http://localhost:" + port).get("/q/health/ready").statusCode();
    }

    static Response list(int port, String token) {
        return StatelessHttp.request(token, "tools/list").baseUri("http://localhost:" + port)
                .body(StatelessHttp.body(1, "tools/list", new JsonObject())).post("/mcp");
    }

    @Test
    void readinessRecoversByItselfWithinSecondsOfTheProviderComingBack() throws Exception {
        gate.close();
        int port = freePort();
        try (ProdJar server = launch(port)) {
            Thread.sleep(SETTLE_MILLIS);
            assertEquals(503, readiness(port), "ready without its identity provider");
            gate.open();
            long opened = System.nanoTime();
            while (readiness(port) != 200) {
                assertTrue(System.nanoTime() - opened < Duration.ofSeconds(10).toNanos(),
                        "readiness still DOWN 10 s after the provider came back, without a request:\n" + server.output());
                Thread.sleep(100);
            }
            long took = Duration.ofNanos(System.nanoTime() - opened).toMillis();
            assertTrue(took <= 5000, "readiness recovered after " + took + " ms");
            String token = KeycloakTokens.password(KeycloakServer.realmUrl(), "mcp-test-cli", "test-cli-secret",
                    "alice", "alice", null);
            assertEquals(200, list(port, token).statusCode());
        }
    }

    @Test
    void aValidTokenIsNeverRefusedAsInvalidWhileTheProviderIsReachedAgain() throws Exception {
        gate.close();
        String token = KeycloakTokens.password(KeycloakServer.realmUrl(), "mcp-test-cli", "test-cli-secret", "alice",
                "alice", null);
        int port = freePort();
        try (ProdJar server = launch(port)) {
            List<String> answers = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            long openAt = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            int okInARow = 0;
            while (okInARow < 20 && System.nanoTime() < deadline) {
                if (System.nanoTime() > openAt) {
                    gate.open();
                }
                Response answer = list(port, token);
                String retryAfter = answer.header("Retry-After");
                answers.add(answer.statusCode() + (answer.statusCode() == 503 ? "/" + retryAfter : ""));
                okInARow = answer.statusCode() == 200 ? okInARow + 1 : 0;
                Thread.sleep(25);
            }
            assertEquals(new TreeSet<>(List.of("200", "503/5")), new TreeSet<>(answers),
                    "answers while the provider came back: " + answers + "\n" + server.output());
            assertEquals(20, okInARow, "never served: " + answers);
        }
    }
}
