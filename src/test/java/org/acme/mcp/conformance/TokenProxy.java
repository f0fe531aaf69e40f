package org.acme.mcp.conformance;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;

/**
 * A loopback reverse proxy that adds a bearer token to every request: the conformance suite sends none, and the
 * server under test refuses anonymous requests. Everything else passes unchanged, {@code Host} and {@code Origin}
 * included, so the server's own DNS-rebinding checks are what the suite tests; responses stream back as they come
 * (SSE).
 */
final class TokenProxy implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    private TokenProxy(int port, int target, String token) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(target).setMaxPoolSize(32));
        server = vertx.createHttpServer().requestHandler(in -> forward(in, client, token));
        server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static TokenProxy start(int port, int target, String token) throws Exception {
        return new TokenProxy(port, target, token);
    }

    private static void forward(HttpServerRequest in, HttpClient client, String token) {
        in.pause();
        client.request(new RequestOptions().setMethod(in.method()).setURI(in.uri())).onSuccess(out -> {
            out.headers().addAll(in.headers());
            out.headers().remove(HttpHeaders.CONTENT_LENGTH).remove(HttpHeaders.TRANSFER_ENCODING);
            String host = in.getHeader(HttpHeaders.HOST);
            if (host != null) {
                out.authority(HostAndPort.parseAuthority(host, -1));
            }
            out.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
            out.send(in).onSuccess(response -> {
                in.response().setStatusCode(response.statusCode());
                in.response().headers().addAll(response.headers());
                in.response().headers().remove(HttpHeaders.CONTENT_LENGTH);
                in.response().setChunked(true);
                response.pipeTo(in.response());
            }).onFailure(e -> in.response().setStatusCode(502).end());
        }).onFailure(e -> in.response().setStatusCode(502).end());
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
