package org.acme.mcp.stateless;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.acme.mcp.conformance.FixturesProfile;
import org.acme.mcp.support.StatelessHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/** 2026-07-28: a client that closes the response stream before the answer cancels the request. */
@QuarkusTest
@TestProfile(FixturesProfile.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class StatelessCancellationTest {

    @Test
    void closingTheResponseCancelsTheCall() throws Exception {
        CancellableTool.started = new CountDownLatch(1);
        CancellableTool.cancelled = new CountDownLatch(1);
        String token = Tokens.keycloak().subject("cancelling-client").sign();
        String body = StatelessHttp.body(1, "tools/call",
                new JsonObject().put("name", "wait-for-cancellation").put("arguments", new JsonObject()));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("localhost", 8081)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mcp HTTP/1.1\r\nHost: localhost:8081\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                    + "MCP-Protocol-Version: 2026-07-28\r\nMcp-Method: tools/call\r\nMcp-Name: wait-for-cancellation\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            assertTrue(CancellableTool.started.await(10, TimeUnit.SECONDS), "the tool never started");
        } // the client goes away before the answer
        assertTrue(CancellableTool.cancelled.await(10, TimeUnit.SECONDS), "the tool never saw the cancellation");
    }
}
