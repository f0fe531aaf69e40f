package org.acme.mcp.transport;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.acme.mcp.support.AuditRecords;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A session may hold at most {@code max-streams-per-session} (4) SSE streams at once, other sessions are not affected,
 * a closed stream frees its place, and the streams of an ended session are ended.
 */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class StreamLimitTest {

    @TestHTTPResource("/mcp")
    URI mcp;

    @Inject
    StreamLimit streamLimit;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final List<InputStream> open = new ArrayList<>();
    final String subject = "streams-" + UUID.randomUUID();
    final String token = Tokens.keycloak().subject(subject).sign();

    @AfterEach
    void closeStreams() throws Exception {
        for (InputStream stream : open) {
            stream.close();
        }
    }

    HttpResponse<InputStream> get(String session) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(mcp).GET()
                .header("Authorization", "Bearer " + token).header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", McpHttp.PROTOCOL).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
        open.add(response.body());
        return response;
    }

    HttpResponse<InputStream> stream(String session) throws Exception {
        HttpResponse<InputStream> response = get(session);
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        return response;
    }

    @Test
    void aSessionHoldsAtMostFourStreams() throws Exception {
        String session = McpHttp.initialize(token);
        List<HttpResponse<InputStream>> streams = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            streams.add(stream(session));
        }
        HttpResponse<InputStream> fifth = get(session);
        assertEquals(429, fifth.statusCode());
        assertEquals("30", fifth.headers().firstValue("Retry-After").orElse(null));
        assertTrue(new String(fifth.body().readAllBytes()).contains("Too many streams open for this session"));
        assertTrue(AuditRecords.of(subject, "session.rejected").stream()
                .anyMatch(r -> r.getJsonObject("attrs").getString("audit.reason").equals("too many streams for this session")));

        stream(McpHttp.initialize(token)); // another session of the same caller has places of its own

        streams.get(0).body().close(); // the client goes away: its place comes free
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int status;
        do {
            Thread.sleep(50);
            status = get(session).statusCode();
        } while (status == 429 && System.nanoTime() < deadline);
        assertEquals(200, status);
    }

    @Test
    void theStreamsOfAnEndedSessionAreEnded() throws Exception {
        String session = McpHttp.initialize(token);
        InputStream body = stream(session).body();
        CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> {
            try {
                body.readAllBytes(); // returns at the end of the stream
                return true;
            } catch (Exception e) {
                return true; // closed under us: ended as well
            }
        });
        McpHttp.request(token).header("Mcp-Session-Id", session).delete("/mcp").then().statusCode(200);
        Thread.sleep(200);
        assertFalse(ended.isDone(), "the extension leaves the stream open; the sweep ends it");
        streamLimit.endStreamsOfEndedSessions();
        assertTrue(ended.get(5, TimeUnit.SECONDS));
    }

    @Test
    void responsesGoToThePostThatAskedNeverToAStream() throws Exception {
        // MCP: a server must not send a JSON-RPC response on a GET stream (it has no request to answer there)
        String session = McpHttp.initialize(token);
        InputStream stream = stream(session).body();
        List<String> frames = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null;) {
                    if (line.startsWith("data:")) {
                        frames.add(line);
                    }
                }
            } catch (IOException closed) {
                // the test closes the stream when it ends
            }
        });
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (frames.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(!frames.isEmpty() && frames.get(0).contains("notifications/message"),
                "the stream's first frame (the extension's log notice) was not read: " + frames);

        McpHttp.call(token, session, "tools/call", "{\"name\":\"whoami\",\"arguments\":{}}", 41).then()
                .statusCode(200).body("id", equalTo(41)).body("result.structuredContent.subject", equalTo(subject));
        McpHttp.call(token, session, "ping", "{}", 42).then().statusCode(200).body("id", equalTo(42));
        Thread.sleep(500);
        List<String> responses = frames.stream().filter(f -> f.contains("\"result\"") || f.contains("\"error\""))
                .toList();
        assertEquals(List.of(), responses, "responses on the GET stream");
    }
}
