package org.acme.mcp.rbac;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.rbac.FeaturePolicies.Kind;
import org.acme.mcp.security.BenchmarkMode;
import org.acme.mcp.security.CallerIdentity;
import org.acme.mcp.transport.ErrorResponses;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkiverse.mcp.server.runtime.ConnectionManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Authorizes {@code prompts/get}, {@code resources/read}, {@code resources/subscribe} and {@code completion/complete}
 * before the MCP endpoint, as {@link ToolCallGate} does tool calls: a prompt, resource or template the caller may not
 * use, or one that does not exist, gets the extension's own not-found answer and a {@code denied} record. The
 * extension runs completions and subscriptions without asking the feature filters, so without this gate the
 * suggestions (or update notices) of a hidden feature would reach every caller. What passes is checked again by
 * {@link RbacFeatureFilter} and audited with its outcome when it ends.
 */
@ApplicationScoped
public class FeatureGate {

    private static final Set<String> METHODS = Set.of("prompts/get", "resources/read", "resources/subscribe",
            "completion/complete");

    private final FeatureAccess features;
    private final ConnectionManager connections;
    private final AuditLog audit;
    private final String mcpPath;

    FeatureGate(FeatureAccess features, ConnectionManager connections, AuditLog audit,
            @ConfigProperty(name = "quarkus.mcp.server.http.root-path", defaultValue = "/mcp") String mcpPath) {
        this.features = features;
        this.connections = connections;
        this.audit = audit;
        this.mcpPath = mcpPath;
    }

    void register(@Observes Filters filters, BenchmarkMode mode) {
        if (!mode.unsecured()) {
            filters.register(this::handle, ToolCallGate.PRIORITY);
        }
    }

    void handle(RoutingContext ctx) {
        JsonObject message = ToolCallGate.inLiveSession(ctx, METHODS, mcpPath, connections);
        JsonObject params = message != null && message.getValue("params") instanceof JsonObject p ? p : null;
        SecurityIdentity caller = CallerIdentity.of(ctx);
        Refusal refusal = params == null ? null : switch (message.getString("method")) {
            case "prompts/get" -> prompt(params, caller);
            case "resources/read", "resources/subscribe" -> resource(params, caller);
            default -> completion(params, caller);
        };
        if (refusal == null) {
            ctx.next(); // allowed, or malformed (the extension answers)
            return;
        }
        Map<String, String> attrs = AuditAttributes.caller(caller);
        attrs.put(refusal.attribute(), refusal.recorded());
        attrs.put("mcp.method.name", message.getString("method"));
        attrs.put("reason", "unknown or not permitted");
        audit.record(refusal.auditType(), "denied", attrs);
        // the extension's answer for a feature that does not exist, so that hidden ones cannot be probed
        ErrorResponses.reply(ctx, 200, message.getValue("id"), refusal.code(), refusal.message(), null);
    }

    /** A refused request: how the record names what it asked for, and the extension's answer for a missing one. */
    private record Refusal(String auditType, String attribute, String recorded, int code, String message) {
    }

    private Refusal prompt(JsonObject params, SecurityIdentity caller) {
        String name = params.getValue("name") instanceof String s ? s : null;
        return name == null || features.mayGetPrompt(name, caller) ? null
                : new Refusal("prompt.get", "mcp.prompt.name", AuditAttributes.untrusted(name),
                        JsonRpcErrorCodes.INVALID_PARAMS, "Invalid prompt name: " + name);
    }

    private Refusal resource(JsonObject params, SecurityIdentity caller) {
        String uri = params.getValue("uri") instanceof String s ? s : null;
        return uri == null || features.mayRead(uri, caller) ? null
                : new Refusal("resource.read", "mcp.resource.uri", audit.redaction().uri(uri),
                        JsonRpcErrorCodes.RESOURCE_NOT_FOUND, "Resource not found: " + uri);
    }

    private Refusal completion(JsonObject params, SecurityIdentity caller) {
        JsonObject ref = params.getValue("ref") instanceof JsonObject r ? r : null;
        String argument = params.getValue("argument") instanceof JsonObject a && a.getValue("name") instanceof String n
                ? n
                : null;
        Object type = ref == null ? null : ref.getValue("type");
        boolean prompt = "ref/prompt".equals(type);
        String target = ref == null ? null : ref.getValue(prompt ? "name" : "uri") instanceof String s ? s : null;
        if (argument == null || target == null || !prompt && !"ref/resource".equals(type)
                || features.mayComplete(prompt ? Kind.PROMPT : Kind.RESOURCE_TEMPLATE, target, caller)) {
            return null;
        }
        String key = target + "_" + argument;
        return new Refusal("completion.complete", prompt ? "mcp.prompt.name" : "mcp.resource.uri",
                prompt ? AuditAttributes.untrusted(target) : audit.redaction().uri(target),
                JsonRpcErrorCodes.INVALID_PARAMS, prompt ? "Prompt completion does not exist: " + key
                        : "Resource template completion does not exist: " + key);
    }
}
