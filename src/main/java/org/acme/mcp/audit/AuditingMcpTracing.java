package org.acme.mcp.audit;

import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import org.acme.mcp.rbac.ToolVisibility;
import org.acme.mcp.security.BenchmarkMode;

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
 * Records every {@code tools/call} and {@code tools/list} the MCP extension executes, with its result, duration and
 * caller. It hooks the extension's request-tracing SPI (an internal interface of quarkus-mcp-server 1.13; re-check on
 * upgrades) and keeps the extension's OpenTelemetry spans: when they are enabled it wraps their instrumenter.
 */
@Alternative
@Priority(10)
@Singleton
public class AuditingMcpTracing implements McpTracing {

    private final AuditLog audit;
    private final ToolVisibility visibility;
    private final McpTracing spans;
    private final boolean unsecured;

    AuditingMcpTracing(AuditLog audit, ToolVisibility visibility, Instance<McpTracingInstrumenter> spans,
            BenchmarkMode mode) {
        this.audit = audit;
        this.visibility = visibility;
        this.spans = spans.isResolvable() ? spans.get() : null;
        this.unsecured = mode.unsecured();
    }

    @Override
    public McpTracingSpan startSpan(McpMethod method, JsonObject message, McpRequest request,
            InitialRequest.Transport transport) {
        McpTracingSpan span = spans != null ? spans.startSpan(method, message, request, transport) : McpTracingSpan.NOOP;
        if (unsecured || (method != McpMethod.TOOLS_CALL && method != McpMethod.TOOLS_LIST)) {
            return span;
        }
        McpRequestInfo info = span.requestInfo() != null ? span.requestInfo()
                : new McpRequestInfo(method, message, request, transport);
        long start = System.nanoTime();
        SecurityIdentity caller = callerOf(request);
        // read here, on the request's own context: the span may end on another thread
        SentArguments sent = method == McpMethod.TOOLS_CALL ? SentArguments.ofCurrentRequest() : null;
        return new McpTracingSpan() {
            @Override
            public McpRequestInfo requestInfo() {
                return info;
            }

            @Override
            public void end(Throwable error) {
                span.end(error);
                try {
                    record(method, message, info, error, System.nanoTime() - start, caller, sent);
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
            SecurityIdentity caller, SentArguments sent) {
        Map<String, String> attrs = AuditAttributes.caller(caller);
        attrs.put("mcp.method.name", method.jsonRpcName());
        attrs.put("mcp.session", AuditAttributes.session(info.getSessionId()));
        attrs.put("duration_ms", String.valueOf(nanos / 1_000_000));
        McpResponseInfo response = info.getResponseInfo();
        String outcome = error != null || (response != null && response.jsonRpcErrorCode() != null) ? "error"
                : response != null && response.toolError() ? "tool_error" : "ok";
        if (response != null && response.jsonRpcErrorCode() != null) {
            attrs.put("rpc.jsonrpc.error_code", String.valueOf(response.jsonRpcErrorCode()));
        }
        if (method == McpMethod.TOOLS_CALL) {
            JsonObject params = message.getJsonObject("params");
            JsonObject arguments = params == null ? null : params.getJsonObject("arguments");
            attrs.put("gen_ai.tool.name", String.valueOf(info.getToolName()));
            Redaction.Summary summary = audit.redaction().summarize(arguments, sent);
            attrs.put("arguments.sha256", summary.sha256());
            attrs.put("arguments.preview", summary.preview());
            audit.recordToolDuration(String.valueOf(info.getToolName()), outcome, nanos / 1_000_000);
        } else {
            attrs.put("mcp.tools.listed", String.join(",", visibility.listedFor(caller)));
        }
        audit.record(method == McpMethod.TOOLS_CALL ? "tool.call" : "tools.list", outcome, attrs);
    }
}
