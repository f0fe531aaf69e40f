package org.acme.mcp.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.acme.mcp.support.ProdJar;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * The container image runs the server as an unprivileged user (uid 1001). Then the sandbox passes no RLIMIT_NPROC
 * (the limit counts the server's own threads too) and bwrap relies on unprivileged user namespaces. This starts the
 * packaged prod jar as user {@code nobody} and checks that the sandbox start-up probe passes (readiness UP, mode
 * bwrap) and that a sandboxed tool runs, with its program inside its own user namespace.
 */
class NonRootSandboxIT {

    static final int NOBODY = 65534;

    @Test
    void theSandboxWorksForAnUnprivilegedServer() throws Exception {
        TestIssuer.ensureStarted();
        Path app = worldReadableCopy(ProdJar.JAR.getParent());
        Path audit = Files.createTempDirectory("audit-nonroot");
        Files.setPosixFilePermissions(audit, PosixFilePermissions.fromString("rwxrwxrwx"));
        int port = freePort();
        Map<String, String> config = ProdStartupRefusalIT.good();
        config.put("quarkus.http.port", String.valueOf(port));
        config.put("quarkus.oidc.auth-server-url", TestIssuer.issuer());
        config.put("quarkus.oidc.token.issuer", TestIssuer.issuer());
        config.put("mcp.security.resource", Tokens.RESOURCE);
        config.put("quarkus.oidc.token.audience", Tokens.RESOURCE);
        config.put("mcp.security.transport.allowed-hosts", "localhost:" + port);
        config.put("mcp.audit.trail.directory", audit.toString());
        config.put("mcp.incident.state-file", audit.resolve("incident-state.json").toString()); // a writable place
        boolean root = new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        List<String> asNobody = root
                ? List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups")
                : List.of(); // already unprivileged
        try (ProdJar server = ProdJar.launch(config, List.of(), asNobody, app.resolve("quarkus-run.jar"))) {
            assertTrue(server.awaitStartedOrExit(), "expected the server to start:\n" + server.output());
            if (root) {
                assertTrue(Files.readAllLines(Path.of("/proc", String.valueOf(server.pid()), "status")).stream()
                        .anyMatch(l -> l.matches("Uid:\\s+" + NOBODY + "\\s.*")), "server not running as nobody");
            }
            String base = "http://localhost:" + port;
            Response ready = given().get(base + "/q/health/ready");
            assertEquals(200, ready.statusCode(), ready.asString());
            assertTrue(ready.asString().contains("\"sandbox\"") && ready.asString().contains("bubblewrap namespaces"),
                    ready.asString());

            String token = Tokens.keycloak().subject("nonroot").sign();
            Response init = mcp(base, token, null).body("""
                    {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",
                     "capabilities":{},"clientInfo":{"name":"it","version":"1"}}}""").post("/mcp");
            assertEquals(200, init.statusCode(), init.asString());
            String session = init.header("Mcp-Session-Id");
            mcp(base, token, session).body("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").post("/mcp")
                    .then().statusCode(202);
            Response call = mcp(base, token, session).body("""
                    {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"sort-lines",
                     "arguments":{"text":"pear\\napple\\nfig"}}}""").post("/mcp");
            assertEquals(200, call.statusCode(), call.asString());
            JsonObject result = new JsonObject(call.asString()).getJsonObject("result");
            assertTrue(!result.getBoolean("isError", false), result.encode());
            assertTrue(result.encode().contains("apple\\nfig\\npear"), result.encode());
        }
    }

    private static io.restassured.specification.RequestSpecification mcp(String base, String token, String session) {
        var spec = given().baseUri(base).contentType("application/json").accept("application/json, text/event-stream")
                .header("Authorization", "Bearer " + token);
        return session == null ? spec : spec.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25");
    }

    /** The build directory may sit under a home directory other users cannot enter. */
    private static Path worldReadableCopy(Path source) throws IOException {
        Path target = Files.createTempDirectory("quarkus-app-nonroot");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(file, copy);
                    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
        return target;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
