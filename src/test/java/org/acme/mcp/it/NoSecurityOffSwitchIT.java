package org.acme.mcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.acme.mcp.support.ProdJar;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged jar has no switch that turns the security checks off: started with the settings that once made a
 * benchmark baseline of it (the {@code benchmark} profile, {@code mcp.benchmark.unsecured=true}, even the platform's
 * path policy set to {@code permit}), it still refuses a request without a token. The benchmark's unsecured baseline
 * is a separate application built by the benchmark itself ({@code org.acme.mcp.bench}).
 */
class NoSecurityOffSwitchIT {

    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",\
            "capabilities":{},"clientInfo":{"name":"it","version":"1"}}}""";

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void theOldBaselineSettingsLeaveTheChecksOn(boolean permitPolicy) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> config = ProdStartupRefusalIT.good();
        config.put("quarkus.http.port", String.valueOf(port));
        config.put("mcp.security.transport.allowed-hosts", "127.0.0.1:" + port);
        config.put("quarkus.profile", "benchmark");
        config.put("mcp.benchmark.unsecured", "true");
        if (permitPolicy) {
            config.put("quarkus.http.auth.permission.default.policy", "permit");
        }
        try (ProdJar server = ProdJar.launch(config)) {
            assertTrue(server.awaitStartedOrExit(), server.output());
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                            .header("Content-Type", "application/json")
                            .header("Accept", "application/json, text/event-stream")
                            .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, response.statusCode(), response.body());
            if (!permitPolicy) {
                assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer "),
                        response.headers().toString());
            }
        }
    }
}
