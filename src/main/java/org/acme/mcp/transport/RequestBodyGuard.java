package org.acme.mcp.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.audit.SentArguments;
import org.acme.mcp.pipeline.ErrorResponses;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.pipeline.Pipeline;
import org.acme.mcp.security.SecurityConfig;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;

import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkiverse.mcp.server.runtime.ConnectionManager;
import io.quarkus.vertx.runtime.jackson.QuarkusJacksonJsonCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses MCP request bodies that are not UTF-8 (MCP: JSON-RPC messages MUST be UTF-8) or that nest deeper than
 * {@code mcp.security.transport.max-json-depth} (its own parser stops there), before the extension's parser sees
 * them; then anything but one JSON-RPC message. A 2026-07-28 request (by its header or its {@code _meta}) goes on to
 * {@link Pipeline.Stage#STATELESS_CHECK}; for a 2025-11-25 one it refuses any message but initialize without a
 * session and requests of capabilities the server does not declare, and answers notifications the extension does not
 * act on with 202. The accepted message becomes {@link McpRequest#message()}. {@link RequestBodyReader} has read the body;
 * bodies over
 * {@code quarkus.http.limits.max-body-size} are refused with 413 by the platform.
 */
@ApplicationScoped
@Pipeline.At(Pipeline.Stage.BODY_CHECK)
public class RequestBodyGuard implements Pipeline.HttpStage {

    private final int maxDepth;
    private final JsonFactory parsers;
    private final AuditLog audit;
    private final ConnectionManager connections;
    private final DeclaredCapabilities capabilities;

    RequestBodyGuard(SecurityConfig config, AuditLog audit, ConnectionManager connections,
            DeclaredCapabilities capabilities) {
        this.audit = audit;
        this.connections = connections;
        this.capabilities = capabilities;
        this.maxDepth = config.transport().maxJsonDepth();
        // the platform's parser settings, but stopping at max-json-depth: deeper bodies never reach the extension's
        this.parsers = QuarkusJacksonJsonCodec.mapper().getFactory().copy().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(maxDepth).build());
    }

    @Override
    public void handle(RoutingContext ctx) {
        McpRequest request = McpRequest.of(ctx);
        if (request.isPost()) {
            Buffer body = ctx.body().buffer();
            byte[] bytes = body == null ? null : body.getBytes(); // scanned as an array: per-byte Buffer reads cost more
            String problem = bytes == null ? "Empty request body" : !isUtf8(bytes) ? "Request body is not UTF-8" : null;
            JsonObject message = null;
            if (problem == null) {
                message = parse(bytes);
                // One JSON-RPC message per POST: batches were removed from the protocol in 2025-06-18, and anything
                // else would reach the extension, which opens a session before it parses. Only a refused body is
                // scanned for its depth, to say why.
                problem = message != null ? null
                        : exceedsDepth(bytes, maxDepth) ? "JSON nested too deeply"
                                : "The body must be one JSON-RPC message (a JSON object)";
            }
            if (problem != null) {
                refuse(ctx, body, JsonRpcErrorCodes.PARSE_ERROR, problem);
                return;
            }
            JsonRpcMessage kind = JsonRpcMessage.kindOf(message);
            String method = message.getValue("method") instanceof String m ? m : null;
            if (kind == null) {
                refuse(ctx, body, JsonRpcErrorCodes.INVALID_REQUEST, "Not a JSON-RPC 2.0 request, notification or"
                        + " response");
                return;
            }
            if (kind == JsonRpcMessage.REQUEST && ("tools/call".equals(method) || "prompts/get".equals(method))) {
                SentArguments.keep(parsers, bytes); // for the audit record: the digest of what was sent
            }
            if (request.stateless() || claimsStatelessEra(message)) {
                // refused before anything runs, with 400 as the next stage refuses a bad _meta
                if (kind != JsonRpcMessage.RESPONSE && refusedParams(ctx, body, kind, message, 400)) {
                    return;
                }
                // its headers, _meta and method are vetted by the next stage, with its era's errors
                request.accepted(message, true);
                ctx.next();
                return;
            }
            String session = request.sessionId();
            if (session == null && !(kind == JsonRpcMessage.REQUEST && "initialize".equals(method))) {
                // MCP: answered with 400; the extension would open a session for it that nobody owns
                refuse(ctx, body, JsonRpcErrorCodes.INVALID_REQUEST, "MCP-Session-Id required: only initialize starts"
                        + " a session");
                return;
            }
            if (kind == JsonRpcMessage.RESPONSE) {
                // accepted and dropped: this server asks clients nothing (ClientRequestsCheck), and the extension
                // would hand a response to the pending request with its id, whichever session posted it
                ctx.response().setStatusCode(202).end();
                return;
            }
            if (refusedParams(ctx, body, kind, message, 200)) {
                return;
            }
            String capability = kind == JsonRpcMessage.REQUEST ? DeclaredCapabilities.capabilityOf(method) : null;
            if (capability != null && !capabilities.declares(capability, request.caller())) {
                ErrorResponses.reply(ctx, 200, message.getValue("id"), JsonRpcErrorCodes.METHOD_NOT_FOUND,
                        "Method not found: this server does not declare the " + capability + " capability", null);
                return;
            }
            if (kind == JsonRpcMessage.REQUEST && "q/close".equals(method)) {
                // the extension's own, non-MCP way to end a session: it would skip the session.ended record
                recordRefusal(body, "q/close is not part of MCP");
                ErrorResponses.reply(ctx, 200, message.getValue("id"), JsonRpcErrorCodes.METHOD_NOT_FOUND,
                        "Method not found: q/close (end a session with DELETE)", null);
                return;
            }
            if (kind == JsonRpcMessage.NOTIFICATION && !JsonRpcMessage.HANDLED_NOTIFICATIONS.contains(method)
                    && connections.has(session)) { // an ended session's 404 comes from the extension
                ctx.response().setStatusCode(202).end(); // accepted and ignored, as JSON-RPC has it
                return;
            }
            request.accepted(message, false);
        }
        ctx.next();
    }

    /** Whether {@code _meta} names a protocol version: only 2026-07-28 requests carry it there. */
    private static boolean claimsStatelessEra(JsonObject message) {
        return message.getValue("params") instanceof JsonObject params
                && params.getValue("_meta") instanceof JsonObject meta
                && meta.containsKey(McpRequest.VERSION_META);
    }

    /**
     * The body as Json.decodeValue reads it (one value, nothing after it), if it is a JSON object no deeper than
     * {@code max-json-depth}; otherwise {@code null}.
     */
    private JsonObject parse(byte[] bytes) {
        try {
            Object json = QuarkusJacksonJsonCodec.fromParser(parsers.createParser(bytes), Object.class);
            return json instanceof JsonObject o ? o : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void refuse(RoutingContext ctx, Buffer body, int code, String problem) {
        recordRefusal(body, problem);
        ErrorResponses.reject(ctx, 400, code, problem);
    }

    private void recordRefusal(Buffer body, String problem) {
        audit.recordUnattributed(AuditType.SECURITY_INPUT, AuditOutcome.DENIED,
                Map.of("audit.reason", problem, "http.request.body.size",
                        String.valueOf(body == null ? 0 : body.length())));
    }

    /**
     * Whether a member that must be an object is not, and the request was refused: a request gets −32602 with
     * {@code status}, a notification is dropped (202).
     */
    private boolean refusedParams(RoutingContext ctx, Buffer body, JsonRpcMessage kind, JsonObject message,
            int status) {
        String notAnObject = JsonRpcMessage.notAnObject(message);
        if (notAnObject == null) {
            return false;
        }
        String problem = notAnObject + " must be an object";
        Object requestId = kind == JsonRpcMessage.REQUEST ? message.getValue("id") : null;
        recordRefusal(body, problem);
        if (requestId == null) {
            ctx.response().setStatusCode(202).end();
        } else {
            ErrorResponses.reply(ctx, status, requestId, JsonRpcErrorCodes.INVALID_PARAMS, "Invalid params: " + problem,
                    null);
        }
        return true;
    }

    static boolean isUtf8(byte[] body) {
        if (isAscii(body)) {
            return true; // the usual case: valid UTF-8 without decoding
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean isAscii(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** Counts brackets outside strings; UTF-8 multi-byte sequences never contain ASCII bytes, so bytes suffice. */
    static boolean exceedsDepth(byte[] body, int maxDepth) {
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        for (byte b : body) {
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                if (++depth > maxDepth) {
                    return true;
                }
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
        return false;
    }
}
