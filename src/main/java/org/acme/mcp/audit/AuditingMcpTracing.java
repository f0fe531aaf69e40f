package org.acme.mcp.audit;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import io.quarkiverse.mcp.server.InitialRequest;
import io.quarkiverse.mcp.server.McpMethod;
import io.quarkiverse.mcp.server.runtime.McpRequest;
import io.quarkiverse.mcp.server.runtime.McpTracing;
import io.quarkiverse.mcp.server.runtime.McpTracingSpan;
import io.quarkiverse.mcp.server.runtime.tracing.McpRequestInfo;
import io.quarkiverse.mcp.server.runtime.tracing.McpResponseInfo;
import io.quarkiverse.mcp.server.runtime.tracing.McpTracingInstrumenter;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Records every {@code tools/call}, {@code tools/list}, {@code prompts/get} and {@code resources/read} the MCP
 * extension executes, with its result, duration and caller (the gates record the refused ones). It hooks the
 * extension's request-tracing SPI (an internal interface of quarkus-mcp-server 1.13; re-check on upgrades) and keeps
 * the extension's OpenTelemetry spans: when they are enabled it wraps their instrumenter.
 */
@Alternative
@Priority(10)
@Singleton
public class AuditingMcpTracing implements McpTracing {

    private static final Set<McpMethod> AUDITED = EnumSet.of(McpMethod.TOOLS_CALL, McpMethod.TOOLS_LIST,
            McpMethod.PROMPTS_GET, McpMethod.RESOURCES_READ);

    private final AuditLog audit;
    private final ToolListing visibility;
    private final McpTracing spans;

    AuditingMcpTracing(AuditLog audit, ToolListing visibility, Instance<McpTracingInstrumenter> spans) {
        this.audit = audit;
        this.visibility = visibility;
        this.spans = spans.isResolvable() ? spans.get() : null;
    }

    @Override
    public McpTracingSpan startSpan(McpMethod method, JsonObject message, McpRequest request,
            InitialRequest.Transport transport) {
        // spans and records see a stateless request without the id of its per-request connection, which is no session
        McpRequest seen = request instanceof SessionlessRequest sessionless ? sessionless.withoutSession() : request;
        McpTracingSpan span = spans == null ? McpTracingSpan.NOOP : spans.startSpan(method, message, seen, transport);
        if (!AUDITED.contains(method)) {
            return span;
        }
        McpRequestInfo info = span.requestInfo() != null ? span.requestInfo()
                : new McpRequestInfo(method, message, seen, transport);
        long start = System.nanoTime();
        SecurityIdentity caller = callerOf(request);
        // read here, on the request's own context: the span may end on another thread
        SentArguments sent = method == McpMethod.TOOLS_CALL || method == McpMethod.PROMPTS_GET
                ? SentArguments.ofCurrentRequest()
                : null;
        org.acme.mcp.pipeline.McpRequest http = request instanceof SessionlessRequest sessionless ? sessionless.http()
                : null;
        return new McpTracingSpan() {
            @Override
            public McpRequestInfo requestInfo() {
                return info;
            }

            @Override
            public void end(Throwable error) {
                span.end(error);
                try {
                    record(method, message, info, error, System.nanoTime() - start, caller, sent, http);
                } catch (RuntimeException e) {
                    // auditing must never break the call; AuditLog reports its own failures
                    org.jboss.logging.Logger.getLogger(AuditingMcpTracing.class).warnf("Audit of %s failed: %s",
                            method, e.toString());
                }
            }
        };
    }

    @Override
    public void injectMcpOtelContext(JsonObject meta) {
        if (spans != null) {
            spans.injectMcpOtelContext(meta);
        }
    }

    /**
     * The identity the request was authenticated with, read through the transport's own hand-over (no request
     * context needed: a blocking tool's span may end after it is gone).
     */
    private static SecurityIdentity callerOf(McpRequest request) {
        if (request.securitySupport() == null) {
            return null;
        }
        SecurityIdentity[] seen = new SecurityIdentity[1];
        request.securitySupport().setCurrentIdentity(new CurrentIdentityAssociation() {
            @Override
            public void setIdentity(SecurityIdentity identity) {
                seen[0] = identity;
            }

            @Override
            public void setIdentity(Uni<SecurityIdentity> identity) {
            }

            @Override
            public Uni<SecurityIdentity> getDeferredIdentity() {
                return Uni.createFrom().nullItem();
            }

            @Override
            public SecurityIdentity getIdentity() {
                return seen[0];
            }
        });
        return seen[0];
    }

    private void record(McpMethod method, JsonObject message, McpRequestInfo info, Throwable error, long nanos,
            SecurityIdentity caller, SentArguments sent, org.acme.mcp.pipeline.McpRequest http) {
        Map<String, String> attrs = AuditAttributes.caller(caller);
        attrs.put("mcp.method.name", method.jsonRpcName());
        String version = info.getProtocolVersion();
        if (version != null) {
            attrs.put("mcp.protocol.version", version);
        }
        if (info.getSessionId() != null) {
            attrs.put("mcp.session.id", AuditAttributes.session(info.getSessionId()));
        }
        if (info.getRequestId() != null) {
            attrs.put("jsonrpc.request.id", AuditAttributes.untrusted(String.valueOf(info.getRequestId())));
        }
        attrs.put("audit.duration_ms", String.valueOf(nanos / 1_000_000));
        McpResponseInfo response = info.getResponseInfo();
        AuditOutcome outcome = error != null || (response != null && response.jsonRpcErrorCode() != null)
                ? AuditOutcome.ERROR
                : response != null && response.toolError() ? AuditOutcome.TOOL_ERROR : AuditOutcome.OK;
        // error.type as the extension's spans have it: the JSON-RPC code, "tool_error", or the exception's type
        String errorType = null;
        org.acme.mcp.pipeline.McpRequest.Answer instead = http == null ? null : http.answerInstead();
        if (instead != null && instead.result() != null) {
            // asked the caller for input (the extension saw an error standing in for that answer)
            outcome = AuditOutcome.INPUT_REQUIRED;
            JsonObject asked = instead.result().getJsonObject("inputRequests", new JsonObject());
            attrs.put("audit.input_requests", String.join(",", asked.fieldNames()));
        } else if (instead != null) {
            errorType = String.valueOf(instead.error().getValue("code"));
            attrs.put("rpc.response.status_code", errorType);
        } else if (response != null && response.jsonRpcErrorCode() != null) {
            errorType = String.valueOf(response.jsonRpcErrorCode());
            attrs.put("rpc.response.status_code", errorType);
        } else if (error != null) {
            errorType = error.getClass().getName();
        } else if (outcome == AuditOutcome.TOOL_ERROR) {
            errorType = "tool_error";
        }
        if (errorType != null) {
            attrs.put("error.type", errorType);
        }
        String tool = null;
        AuditType type;
        switch (method) {
            case TOOLS_CALL -> {
                type = AuditType.TOOL_CALL;
                tool = String.valueOf(info.getToolName());
                attrs.put("gen_ai.tool.name", tool);
                attrs.put("gen_ai.operation.name", "execute_tool");
                putArguments(attrs, message, sent);
            }
            case PROMPTS_GET -> {
                type = AuditType.PROMPT_GET;
                attrs.put("gen_ai.prompt.name", AuditAttributes.untrusted(info.getPromptName()));
                putArguments(attrs, message, sent);
            }
            case RESOURCES_READ -> {
                type = AuditType.RESOURCE_READ;
                attrs.put("mcp.resource.uri", audit.redaction().uri(info.getResourceUri()));
            }
            default -> {
                type = AuditType.TOOLS_LIST;
                attrs.put("audit.tools.listed", String.join(",", visibility.listedFor(caller)));
            }
        }
        audit.recordOperation(method.jsonRpcName(), tool, version, errorType, nanos);
        audit.record(type, outcome, attrs);
    }

    /** A digest of the arguments as sent and a redacted preview; never the arguments themselves. */
    private void putArguments(Map<String, String> attrs, JsonObject message, SentArguments sent) {
        JsonObject params = message.getJsonObject("params");
        JsonObject arguments = params == null ? null : params.getJsonObject("arguments");
        Redaction.Summary summary = audit.redaction().summarize(arguments, sent);
        attrs.put("audit.arguments.sha256", summary.sha256());
        attrs.put("audit.arguments.preview", summary.preview());
    }
}
