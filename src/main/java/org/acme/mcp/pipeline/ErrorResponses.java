package org.acme.mcp.pipeline;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Ends a rejected HTTP request with a JSON-RPC error that has no {@code id} (MCP Streamable HTTP allows that for
 * requests refused before they are read). Messages are fixed texts: nothing of the server's internals, the request
 * or the credentials is echoed.
 */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static void reject(RoutingContext ctx, int status, int jsonRpcCode, String message) {
        reject(ctx, status, jsonRpcCode, message, null);
    }

    public static void reject(RoutingContext ctx, int status, int jsonRpcCode, String message, String wwwAuthenticate) {
        reply(ctx, status, null, jsonRpcCode, message, wwwAuthenticate);
    }

    /** A JSON-RPC error answering request {@code id} ({@code null}: no id member, the request was not read). */
    public static void reply(RoutingContext ctx, int status, Object id, int jsonRpcCode, String message,
            String wwwAuthenticate) {
        reply(ctx, status, id, jsonRpcCode, message, null, wwwAuthenticate);
    }

    /** As {@link #reply(RoutingContext, int, Object, int, String, String)}, with the error's {@code data}. */
    public static void reply(RoutingContext ctx, int status, Object id, int jsonRpcCode, String message,
            JsonObject data, String wwwAuthenticate) {
        if (ctx.response().ended()) {
            return;
        }
        if (!ctx.request().isEnded()) {
            // Drain an unread body so that the connection stays usable
            ctx.request().resume();
        }
        var response = ctx.response().setStatusCode(status);
        if (wwwAuthenticate != null) {
            response.putHeader(HttpHeaderNames.WWW_AUTHENTICATE, wwwAuthenticate);
        }
        JsonObject body = new JsonObject().put("jsonrpc", "2.0");
        if (id != null) {
            body.put("id", id);
        }
        JsonObject error = new JsonObject().put("code", jsonRpcCode).put("message", message);
        if (data != null) {
            error.put("data", data);
        }
        body.put("error", error);
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(body.toBuffer());
    }

    /** 401/403/400 answers of the OAuth layer carry the MCP security error code. */
    public static void rejectAuth(RoutingContext ctx, int status, String message, String wwwAuthenticate) {
        reject(ctx, status, JsonRpcErrorCodes.SECURITY_ERROR, message, wwwAuthenticate);
    }
}
