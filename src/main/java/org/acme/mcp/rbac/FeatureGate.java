package org.acme.mcp.rbac;

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
import org.acme.mcp.rbac.FeaturePolicies.Kind;

import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkiverse.mcp.server.runtime.ConnectionManager;
import io.quarkus.security.identity.SecurityIdentity;
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
@Pipeline.At(Pipeline.Stage.FEATURE_GATE)
public class FeatureGate implements Pipeline.HttpStage {

    private static final Set<String> METHODS = Set.of("prompts/get", "resources/read", "resources/subscribe",
            "completion/complete");

    private final FeatureAccess features;
    private final ConnectionManager connections;
    private final AuditLog audit;

    FeatureGate(FeatureAccess features, ConnectionManager connections, AuditLog audit) {
        this.features = features;
        this.connections = connections;
        this.audit = audit;
    }

    @Override
    public void handle(RoutingContext ctx) {
        McpRequest request = McpRequest.of(ctx);
        JsonObject message = ToolCallGate.toServe(request, METHODS, connections);
        JsonObject params = message != null && message.getValue("params") instanceof JsonObject p ? p : null;
        SecurityIdentity caller = request.caller();
        Refusal refusal = params == null ? null : switch (message.getString("method")) {
            case "prompts/get" -> prompt(params, caller);
            case "resources/read", "resources/subscribe" -> resource(params, caller);
            default -> completion(params, caller);
        };
        if (refusal == null) {
            ctx.next(); // allowed, or malformed (the extension answers)
            return;
        }
        Map<String, String> attrs = AuditAttributes.request(caller, request);
        attrs.put(refusal.attribute(), refusal.recorded());
        attrs.put("mcp.method.name", message.getString("method"));
        attrs.put("audit.reason", refusal.reason());
        audit.record(refusal.auditType(), AuditOutcome.DENIED, attrs);
        // a hidden feature gets the extension's answer for one that does not exist: hidden ones cannot be probed
        if (refusal.code() == JsonRpcErrorCodes.RESOURCE_NOT_FOUND && request.stateless()) {
            // 2026-07-28 no longer defines −32002: a missing resource is invalid params naming the URI
            ErrorResponses.reply(ctx, 200, message.getValue("id"), JsonRpcErrorCodes.INVALID_PARAMS, refusal.message(),
                    new JsonObject().put("uri", params.getValue("uri")), null);
            return;
        }
        ErrorResponses.reply(ctx, 200, message.getValue("id"), refusal.code(), refusal.message(), null);
    }

    /** A refused request: how the record names what it asked for and why, and the answer. */
    private record Refusal(AuditType auditType, String attribute, String recorded, int code, String message,
            String reason) {

        static final String HIDDEN = "unknown or not permitted";

        /**
         * A target that is there but not a JSON string. The extension reads targets with {@code getString}, which
         * turns {@code 7} into {@code "7"}: it would use a feature this gate never looked at.
         */
        static Refusal notAString(AuditType auditType, String attribute, String recorded, String field) {
            return new Refusal(auditType, attribute, recorded, JsonRpcErrorCodes.INVALID_PARAMS,
                    "Invalid params: " + field + " must be a string", "malformed: " + field + " is not a string");
        }
    }

    private Refusal prompt(JsonObject params, SecurityIdentity caller) {
        Object name = params.getValue("name");
        if (!(name instanceof String s)) {
            return name == null ? null
                    : Refusal.notAString(AuditType.PROMPT_GET, "gen_ai.prompt.name", AuditAttributes.jsonType(name), "name");
        }
        return features.mayGetPrompt(s, caller) ? null
                : new Refusal(AuditType.PROMPT_GET, "gen_ai.prompt.name", AuditAttributes.untrusted(s),
                        JsonRpcErrorCodes.INVALID_PARAMS, "Invalid prompt name: " + s, Refusal.HIDDEN);
    }

    private Refusal resource(JsonObject params, SecurityIdentity caller) {
        Object uri = params.getValue("uri");
        if (!(uri instanceof String s)) {
            return uri == null ? null
                    : Refusal.notAString(AuditType.RESOURCE_READ, "mcp.resource.uri", AuditAttributes.jsonType(uri), "uri");
        }
        return features.mayRead(s, caller) ? null
                : new Refusal(AuditType.RESOURCE_READ, "mcp.resource.uri", audit.redaction().uri(s),
                        JsonRpcErrorCodes.RESOURCE_NOT_FOUND, "Resource not found: " + s, Refusal.HIDDEN);
    }

    /** How a record names a completion's prompt or template URI. */
    private String recorded(boolean prompt, String target) {
        return prompt ? AuditAttributes.untrusted(target) : audit.redaction().uri(target);
    }

    private Refusal completion(JsonObject params, SecurityIdentity caller) {
        if (!(params.getValue("ref") instanceof JsonObject ref)) {
            return null; // malformed: the extension answers
        }
        Object type = ref.getValue("type");
        boolean prompt = "ref/prompt".equals(type);
        String field = prompt ? "name" : "uri";
        String attribute = prompt ? "gen_ai.prompt.name" : "mcp.resource.uri";
        Object target = ref.getValue(field);
        if (target != null && !(target instanceof String)) {
            return Refusal.notAString(AuditType.COMPLETION_COMPLETE, attribute, AuditAttributes.jsonType(target),
                    "ref." + field);
        }
        Object argument = params.getValue("argument") instanceof JsonObject a ? a.getValue("name") : null;
        if (argument != null && !(argument instanceof String)) { // it names the completion too
            return Refusal.notAString(AuditType.COMPLETION_COMPLETE, attribute,
                    target == null ? "" : recorded(prompt, (String) target), "argument.name");
        }
        if (!(argument instanceof String argumentName) || !(target instanceof String name)
                || !prompt && !"ref/resource".equals(type)
                || features.mayComplete(prompt ? Kind.PROMPT : Kind.RESOURCE_TEMPLATE, name, argumentName, caller)) {
            return null;
        }
        String key = name + "_" + argumentName;
        return new Refusal(AuditType.COMPLETION_COMPLETE, attribute, recorded(prompt, name),
                JsonRpcErrorCodes.INVALID_PARAMS, prompt ? "Prompt completion does not exist: " + key
                        : "Resource template completion does not exist: " + key,
                Refusal.HIDDEN);
    }
}
