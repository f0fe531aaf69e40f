package org.acme.mcp.stateless;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.acme.mcp.pipeline.McpRequest;

import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkiverse.mcp.server.runtime.Messages;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The HTTP response of one 2026-07-28 request, written as the extension produces the answer: a JSON body, or an SSE
 * stream once a notification for the request (progress, or logs it asked for) comes before the answer. Each result
 * gets what 2026-07-28 adds ({@code resultType}, {@code serverInfo}, caching hints); errors keep the request's id
 * and get the status and code this era defines.
 */
final class StatelessResponse {

    /** Results that tell the client how long it may reuse them. */
    static final Set<String> CACHEABLE = Set.of("server/discover", "tools/list", "prompts/list", "resources/list",
            "resources/templates/list", "resources/read");

    private final HttpServerResponse http;
    private final McpRequest request;
    private final JsonObject params;
    private final JsonObject serverInfo;
    private final Long ttlMs;
    private final boolean logsRequested;
    private final AtomicBoolean streaming = new AtomicBoolean();

    /** {@code ttlMs}: the caching hint ({@link #ttlMs}), {@code null} for a method whose results carry none. */
    StatelessResponse(HttpServerResponse http, McpRequest request, Long ttlMs, JsonObject serverInfo,
            boolean logsRequested) {
        this.http = http;
        this.request = request;
        this.params = request.message().getJsonObject("params");
        this.serverInfo = serverInfo;
        this.ttlMs = ttlMs;
        this.logsRequested = logsRequested;
    }

    /**
     * Sends what the extension sends for this request. This era's server asks the client nothing (input is asked for
     * with an {@code input_required} result), so a request of its own fails at once rather than waiting for an answer
     * that cannot come; notifications other than progress and asked-for logs have no stream to go to.
     */
    Future<Void> send(JsonObject message) {
        if (message == null || http.ended()) {
            return Future.succeededFuture();
        }
        if (Messages.isResponse(message)) {
            return answer(message);
        }
        if (Messages.isRequest(message)) {
            return Future.failedFuture(new IllegalStateException(
                    "A 2026-07-28 server sends no requests: it asks for input with an input_required result"));
        }
        String notification = message.getString("method");
        if ("notifications/progress".equals(notification)
                || ("notifications/message".equals(notification) && logsRequested)) {
            return event(message);
        }
        return Future.succeededFuture();
    }

    private Future<Void> event(JsonObject message) {
        if (streaming.compareAndSet(false, true)) {
            http.setChunked(true)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .putHeader("X-Accel-Buffering", "no"); // proxies must not hold the stream back
        }
        return http.write(frame(message));
    }

    /** Sends the answer a stage decided ({@link McpRequest#answerInstead()}): nothing ran. */
    Future<Void> sendDecided() {
        return answer(new JsonObject().put("jsonrpc", "2.0").put("id", request.id()));
    }

    private Future<Void> answer(JsonObject message) {
        int status = 200;
        McpRequest.Answer instead = request.answerInstead();
        if (instead != null) {
            // decided inside the call (an input_required result, or why it cannot be asked): the extension answered
            // with an error standing in for it
            message = new JsonObject().put("jsonrpc", "2.0").put("id", message.getValue("id"));
            if (instead.result() != null) {
                JsonObject result = instead.result().copy();
                message.put("result", result.containsKey("resultType") ? withServerInfo(result) : complete(result));
            } else {
                message.put("error", instead.error());
            }
            status = instead.status();
        } else if (message.containsKey("result")) {
            message.put("result", complete(message.getValue("result")));
        } else {
            status = era(message.getJsonObject("error"));
        }
        if (streaming.get()) {
            return http.end(frame(message));
        }
        return http.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(message.toBuffer());
    }

    /** A complete result as 2026-07-28 has it. */
    JsonObject complete(Object value) {
        JsonObject result = value instanceof JsonObject o ? o
                : value instanceof Map<?, ?> map ? new JsonObject(cast(map)) : JsonObject.mapFrom(value);
        withServerInfo(result.put("resultType", "complete"));
        if (ttlMs != null) {
            result.put("ttlMs", ttlMs).put("cacheScope", "private"); // lists depend on who asks
        }
        return result;
    }

    private JsonObject withServerInfo(JsonObject result) {
        JsonObject meta = result.getValue("_meta") instanceof JsonObject m ? m : new JsonObject();
        return result.put("_meta", meta.put(ServerDiscovery.SERVER_INFO_META, serverInfo));
    }

    /**
     * Puts an error of the extension in this era's terms and returns its HTTP status: a missing resource is −32602
     * naming the URI (−32002 is no longer defined), a method not found is 404; the others are answered with 200.
     */
    private int era(JsonObject error) {
        if (error == null) {
            return 200;
        }
        Object code = error.getValue("code");
        if (Integer.valueOf(JsonRpcErrorCodes.RESOURCE_NOT_FOUND).equals(code)) {
            error.put("code", JsonRpcErrorCodes.INVALID_PARAMS)
                    .put("data", new JsonObject().put("uri", params.getValue("uri")));
        } else if (Integer.valueOf(JsonRpcErrorCodes.METHOD_NOT_FOUND).equals(code)) {
            return 404;
        }
        return 200;
    }

    private static String frame(JsonObject message) {
        return "event: message\ndata: " + message.encode() + "\n\n";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** The caching hint for the results of {@code method} in milliseconds, {@code null} if they carry none. */
    static Long ttlMs(String method, StatelessConfig config) {
        if (!CACHEABLE.contains(method)) {
            return null;
        }
        return ("resources/read".equals(method) ? config.readTtl() : config.listTtl()).toMillis();
    }
}
