package org.acme.mcp.stateless;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.pipeline.ErrorResponses;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.pipeline.Pipeline;
import org.acme.mcp.transport.DeclaredCapabilities;

import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkiverse.mcp.server.McpLog.LogLevel;
import io.quarkiverse.mcp.server.runtime.Messages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Vets a 2026-07-28 request before anything is done for it: its {@code _meta} (protocol version and client
 * capabilities required, −32602), the headers against the body ({@code MCP-Protocol-Version}, {@code Mcp-Method},
 * {@code Mcp-Name} with its base64 form decoded, −32020), the revision (−32022 naming the supported ones), the method
 * (removed, unknown or of an undeclared capability: 404, −32601). Every error carries the request's id and is
 * audited. Answers {@code server/discover} itself; the rest goes on to the gates and then to
 * {@link StatelessDispatch}. Requests of the session era pass untouched.
 */
@ApplicationScoped
@Pipeline.At(Pipeline.Stage.STATELESS_CHECK)
public class StatelessRequestCheck implements Pipeline.HttpStage {

    static final String CLIENT_INFO_META = "io.modelcontextprotocol/clientInfo";
    static final String LOG_LEVEL_META = "io.modelcontextprotocol/logLevel";

    static final int HEADER_MISMATCH = -32020;
    static final int UNSUPPORTED_VERSION = -32022;

    /**
     * The 2026-07-28 requests served. {@code subscriptions/listen} is not: no {@code listChanged} or {@code subscribe}
     * is advertised, so it is a method not found, as the removed ones ({@code initialize}, {@code ping}, ...) are.
     */
    static final Set<String> METHODS = Set.of("server/discover", "tools/list", "tools/call", "prompts/list",
            "prompts/get", "resources/list", "resources/templates/list", "resources/read", "completion/complete");

    /** The member of {@code params} that {@code Mcp-Name} repeats, by method. */
    private static final Map<String, String> NAMED = Map.of("tools/call", "name", "prompts/get", "name",
            "resources/read", "uri");

    private final DeclaredCapabilities declared;
    private final ServerDiscovery discovery;
    private final StatelessConfig config;
    private final AuditLog audit;

    StatelessRequestCheck(DeclaredCapabilities declared, ServerDiscovery discovery, StatelessConfig config,
            AuditLog audit) {
        this.declared = declared;
        this.discovery = discovery;
        this.config = config;
        this.audit = audit;
    }

    @Override
    public void handle(RoutingContext ctx) {
        McpRequest request = McpRequest.of(ctx);
        JsonObject message = request.message();
        if (!request.stateless() || message == null) {
            ctx.next();
            return;
        }
        String method = request.method();
        if (method == null) {
            refuse(ctx, request, 400, JsonRpcErrorCodes.INVALID_REQUEST, "A 2026-07-28 server asks the client"
                    + " nothing: there is no request to answer", null);
            return;
        }
        if (!message.containsKey("id")) {
            ctx.response().setStatusCode(202).end(); // a notification: accepted and ignored, none is defined over HTTP
            return;
        }
        JsonObject meta = meta(message);
        String metaProblem = metaProblem(meta);
        if (metaProblem != null) {
            refuse(ctx, request, 400, JsonRpcErrorCodes.INVALID_PARAMS, "Invalid params: " + metaProblem, null);
            return;
        }
        String version = meta.getString(McpRequest.VERSION_META);
        if (request.versionHeader() == null || !request.versionHeader().equals(version)) {
            refuse(ctx, request, 400, HEADER_MISMATCH, "Header mismatch: MCP-Protocol-Version must equal _meta "
                    + McpRequest.VERSION_META, null);
            return;
        }
        if (McpRequest.Era.of(version) != McpRequest.Era.STATELESS) {
            JsonObject data = new JsonObject().put("supported", new JsonArray(McpRequest.Era.STATELESS.versions))
                    .put("requested", version);
            refuse(ctx, request, 400, UNSUPPORTED_VERSION, McpRequest.Era.of(version) == McpRequest.Era.SESSIONS
                    ? "Unsupported protocol version: " + version + " is served with sessions, opened by initialize"
                    : "Unsupported protocol version", data);
            return;
        }
        if (!method.equals(single(ctx, "Mcp-Method", false))) {
            refuse(ctx, request, 400, HEADER_MISMATCH, "Header mismatch: Mcp-Method must equal the method", null);
            return;
        }
        if (!METHODS.contains(method)) {
            refuse(ctx, request, 404, JsonRpcErrorCodes.METHOD_NOT_FOUND, "Method not found", null);
            return;
        }
        String named = NAMED.get(method);
        if (named != null) {
            Object name = message.getJsonObject("params").getValue(named);
            if (!(name instanceof String) || !name.equals(single(ctx, "Mcp-Name", true))) {
                refuse(ctx, request, 400, HEADER_MISMATCH, "Header mismatch: Mcp-Name must equal params." + named,
                        null);
                return;
            }
        }
        String capability = DeclaredCapabilities.capabilityOf(method);
        if (capability != null && !declared.declares(capability, request.caller())) {
            refuse(ctx, request, 404, JsonRpcErrorCodes.METHOD_NOT_FOUND, "Method not found: this server does not"
                    + " declare the " + capability + " capability", null);
            return;
        }
        if ("server/discover".equals(method)) {
            new StatelessResponse(ctx.response(), request, StatelessResponse.ttlMs(method, config),
                    discovery.serverInfo(), false)
                    .send(Messages.newResult(request.id(), discovery.discover(request.caller())));
            return;
        }
        ctx.next();
    }

    private static JsonObject meta(JsonObject message) {
        return message.getValue("params") instanceof JsonObject params
                && params.getValue("_meta") instanceof JsonObject meta ? meta : null;
    }

    /** What is wrong with the request's {@code _meta}, or {@code null}. */
    static String metaProblem(JsonObject meta) {
        if (meta == null) {
            return "params._meta is required";
        }
        if (!(meta.getValue(McpRequest.VERSION_META) instanceof String)) {
            return "_meta " + McpRequest.VERSION_META + " is required";
        }
        if (!(meta.getValue(McpRequest.CAPABILITIES_META) instanceof JsonObject)) {
            return "_meta " + McpRequest.CAPABILITIES_META + " is required";
        }
        if (meta.containsKey(CLIENT_INFO_META) && !(meta.getValue(CLIENT_INFO_META) instanceof JsonObject info
                && info.getValue("name") instanceof String && info.getValue("version") instanceof String)) {
            return "_meta " + CLIENT_INFO_META + " must be an object with a name and a version";
        }
        if (meta.containsKey(LOG_LEVEL_META) && !(meta.getValue(LOG_LEVEL_META) instanceof String level
                && LogLevel.from(level) != null)) {
            return "_meta " + LOG_LEVEL_META + " must be a log level";
        }
        return null;
    }

    /** The one value of header {@code name}, vetted ({@code null} if absent, repeated or invalid). */
    private static String single(RoutingContext ctx, String name, boolean decode) {
        List<String> values = ctx.request().headers().getAll(name);
        if (values.size() != 1) {
            return null;
        }
        return decode ? HeaderValue.decoded(values.get(0)) : HeaderValue.plain(values.get(0));
    }

    private void refuse(RoutingContext ctx, McpRequest request, int status, int code, String message, JsonObject data) {
        audit.recordUnattributed(AuditType.SECURITY_INPUT, AuditOutcome.DENIED, Map.of(
                "audit.reason", message,
                "mcp.method.name", AuditAttributes.untrusted(String.valueOf(request.method())),
                "mcp.protocol.version", AuditAttributes.untrusted(String.valueOf(request.versionHeader()))));
        ErrorResponses.reply(ctx, status, request.id(), code, message, data, null);
    }
}
