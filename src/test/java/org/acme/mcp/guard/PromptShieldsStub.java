package org.acme.mcp.guard;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A Prompt Shields stand-in on loopback for end-to-end tests: answers "attack" when a document contains
 * {@code SHIELD-ATTACK}, HTTP 500 when one contains {@code SHIELD-DOWN}, otherwise "no attack"; counts requests, and
 * those that carry a token.
 */
public class PromptShieldsStub implements QuarkusTestResourceLifecycleManager {

    static final String KEY = "e2e-shields-key";
    static final AtomicInteger REQUESTS = new AtomicInteger();
    /** Requests that carried an Authorization header or anything JWT-shaped: the caller's token must never leave. */
    static final AtomicInteger WITH_TOKEN = new AtomicInteger();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/contentsafety/text:shieldPrompt", ex -> {
            REQUESTS.incrementAndGet();
            String raw = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (ex.getRequestHeaders().containsKey("Authorization") || raw.contains("eyJ")
                    || ex.getRequestHeaders().values().stream().flatMap(v -> v.stream()).anyMatch(v -> v.contains("eyJ"))) {
                WITH_TOKEN.incrementAndGet();
            }
            JsonObject body = new JsonObject(raw);
            JsonArray docs = body.getJsonArray("documents");
            boolean down = docs.stream().anyMatch(d -> ((String) d).contains("SHIELD-DOWN"))
                    || !KEY.equals(ex.getRequestHeaders().getFirst("Ocp-Apim-Subscription-Key"));
            JsonArray analysis = new JsonArray();
            docs.forEach(d -> analysis.add(new JsonObject().put("attackDetected", ((String) d).contains("SHIELD-ATTACK"))));
            byte[] answer = new JsonObject().put("userPromptAnalysis", new JsonObject().put("attackDetected", false))
                    .put("documentsAnalysis", analysis).encode().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(down ? 500 : 200, down ? -1 : answer.length);
            if (!down) {
                ex.getResponseBody().write(answer);
            }
            ex.close();
        });
        server.start();
        return Map.of("mcp.guard.prompt-shields.enabled", "true",
                "mcp.guard.prompt-shields.endpoint", "http://127.0.0.1:" + server.getAddress().getPort(),
                "mcp.guard.prompt-shields.key", KEY);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
