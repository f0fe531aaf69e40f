package org.acme.mcp.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A minimal OTLP/HTTP receiver on loopback: accepts {@code POST /v1/logs|metrics|traces} (protobuf) and keeps the
 * bodies for the test to decode. {@link #shutdown()} takes it away mid-test to play a collector outage.
 */
public class OtlpReceiver implements QuarkusTestResourceLifecycleManager {

    public record Export(String path, byte[] body) {
    }

    public static final List<Export> RECEIVED = new CopyOnWriteArrayList<>();
    private static HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/v1/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                RECEIVED.add(new Export(exchange.getRequestURI().getPath(), in.readAllBytes()));
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, 0);
            exchange.close();
        });
        server.start();
        return Map.of(
                "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.exporter.otlp.endpoint", "http://127.0.0.1:" + server.getAddress().getPort(),
                "quarkus.otel.exporter.otlp.protocol", "http/protobuf",
                "quarkus.otel.blrp.schedule.delay", "200ms",
                "quarkus.otel.metric.export.interval", "1s");
    }

    /** The collector goes away: later exports fail with connection refused. */
    public static synchronized void shutdown() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void stop() {
        shutdown();
    }
}
