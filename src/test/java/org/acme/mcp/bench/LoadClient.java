package org.acme.mcp.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import org.acme.mcp.support.McpHttp;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * A lean closed-loop load generator (Vert.x, one event loop): each of {@code concurrency} chains sends its next
 * request as soon as the previous answer arrives. Latencies are measured per request, from send to full body.
 */
final class LoadClient implements AutoCloseable {

    record Reply(int status, String body, String session) {
    }

    record Session(BenchServer server, String token, String id) {
    }

    /** One request of a run, the headers it adds, and what its answer must look like. */
    record Call(String kind, Session session, String body, java.util.function.Predicate<Reply> expected,
            java.util.Map<String, String> headers) {

        Call(String kind, Session session, String body, java.util.function.Predicate<Reply> expected) {
            this(kind, session, body, expected, java.util.Map.of());
        }
    }

    /** What one run measured. */
    record Run(long requests, long unexpected, double seconds, long[] latenciesNanos, List<String> samples,
            java.util.Map<String, Long> unexpectedByKind) {

        double throughput() {
            return requests / seconds;
        }

        double percentileMs(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p / 100 * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, index)] / 1e6;
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http;
    private final AtomicLong ids = new AtomicLong(10);

    LoadClient(int maxConnections) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(maxConnections).setKeepAlive(true)
                .setPipelining(false));
    }

    CompletableFuture<Reply> post(BenchServer server, String token, String session, String body) {
        return post(server, token, session, body, java.util.Map.of());
    }

    /** A POST with {@code headers} added (an {@code MCP-Protocol-Version} among them replaces the default). */
    CompletableFuture<Reply> post(BenchServer server, String token, String session, String body,
            java.util.Map<String, String> headers) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("localhost")
                .setPort(server.port).setURI("/mcp")
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json, text/event-stream")
                .putHeader("MCP-Protocol-Version", headers.getOrDefault("MCP-Protocol-Version", McpHttp.PROTOCOL));
        headers.forEach((name, value) -> {
            if (!name.equals("MCP-Protocol-Version")) {
                options.putHeader(name, value);
            }
        });
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        if (session != null) {
            options.putHeader("Mcp-Session-Id", session);
        }
        return http.request(options)
                .compose(request -> request.send(Buffer.buffer(body)).compose(response -> response.body()
                        .map(b -> new Reply(response.statusCode(), b.toString(), response.getHeader("Mcp-Session-Id")))))
                .toCompletionStage().toCompletableFuture();
    }

    /** Opens an MCP session (initialize + initialized) for {@code token} (null: no Authorization header). */
    Session open(BenchServer server, String token) throws Exception {
        Reply init = post(server, token, null, McpHttp.initializeBody()).get(30, TimeUnit.SECONDS);
        if (init.status() != 200 || init.session() == null) {
            throw new IllegalStateException("initialize on " + server.name + ": " + init.status() + " " + init.body());
        }
        Reply ack = post(server, token, init.session(), "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
                .get(30, TimeUnit.SECONDS);
        if (ack.status() != 202) {
            throw new IllegalStateException("initialized on " + server.name + ": " + ack.status());
        }
        return new Session(server, token, init.session());
    }

    /** A JSON-RPC tools/call body with a fresh id. */
    String toolCall(String tool, String argumentsJson) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet() + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
                + tool + "\",\"arguments\":" + argumentsJson + "}}";
    }

    /** A 2026-07-28 tools/call body with a fresh id: no session, the revision and capabilities in {@code _meta}. */
    String statelessToolCall(String tool, String argumentsJson) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet() + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
                + tool + "\",\"arguments\":" + argumentsJson + ",\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":"
                + "\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{}}}}";
    }

    /** The headers a 2026-07-28 tools/call of {@code tool} carries. */
    static java.util.Map<String, String> statelessHeaders(String tool) {
        return java.util.Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call", "Mcp-Name", tool);
    }

    /** Runs {@code concurrency} chains for {@code seconds}; chain {@code i} sends {@code calls.apply(i)} each time. */
    Run run(int concurrency, double seconds, IntFunction<Call> calls) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        CountDownLatch done = new CountDownLatch(concurrency);
        List<long[]> perChain = new ArrayList<>();
        int[] counts = new int[concurrency];
        AtomicLong unexpected = new AtomicLong();
        List<String> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.Map<String, Long> byKind = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < concurrency; i++) {
            perChain.add(new long[1024]);
        }
        for (int i = 0; i < concurrency; i++) {
            int chain = i;
            Runnable[] next = new Runnable[1];
            next[0] = () -> {
                if (System.nanoTime() >= deadline) {
                    done.countDown();
                    return;
                }
                Call call = calls.apply(chain);
                long sent = System.nanoTime();
                post(call.session().server(), call.session().token(), call.session().id(), call.body(), call.headers())
                        .whenComplete((reply, error) -> {
                            long nanos = System.nanoTime() - sent;
                            long[] latencies = perChain.get(chain);
                            if (counts[chain] == latencies.length) {
                                latencies = Arrays.copyOf(latencies, latencies.length * 2);
                                perChain.set(chain, latencies);
                            }
                            latencies[counts[chain]++] = nanos;
                            if (error != null || !call.expected().test(reply)) {
                                unexpected.incrementAndGet();
                                byKind.merge(call.kind(), 1L, Long::sum);
                                if (samples.size() < 5) {
                                    samples.add(call.kind() + ": " + (error != null ? error.toString()
                                            : reply.status() + " " + reply.body()));
                                }
                            }
                            next[0].run();
                        });
            };
            next[0].run();
        }
        if (!done.await((long) seconds + 120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("load chains did not finish");
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int offset = 0;
        for (int i = 0; i < concurrency; i++) {
            System.arraycopy(perChain.get(i), 0, all, offset, counts[i]);
            offset += counts[i];
        }
        Arrays.sort(all);
        return new Run(total, unexpected.get(), elapsed, all, List.copyOf(samples), java.util.Map.copyOf(byKind));
    }

    @Override
    public void close() {
        http.close();
        vertx.close();
    }
}
