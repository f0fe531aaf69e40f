package org.acme.mcp.guard;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import org.acme.mcp.api.UntrustedOutput;
import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.identity.CallerIdentity;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.pipeline.Pipeline;
import org.acme.mcp.pipeline.ToolCallPipeline;
import org.acme.mcp.pipeline.ToolNames;
import org.acme.mcp.validation.DeclaredArguments;

import io.quarkiverse.mcp.server.ToolCallException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;

/**
 * Runs the {@link InputGuards} on every tool call before the tool, and marks the results of untrusted-output tools
 * ({@link Spotlighting}).
 * <p>
 * Order ({@link Pipeline.ToolCall}): inside {@code ToolCallLimitsInterceptor}. The limits interceptor hands a blocking tool to
 * a thread of its own and waits at most the
 * tool's timeout, so the guards run on that thread: a slow Prompt Shields answer is cut off by the tool timeout,
 * holds a concurrency permit like the tool would, and never waits on an event loop or an MCP worker beyond the
 * timeout. A call refused by a cap is refused before any guard runs. A tool returning {@code Uni} or
 * {@code CompletionStage} gets the guards on a worker thread before its own code runs, inside the timeout of its
 * result; a plain tool executing on an event loop gets only non-blocking guards (blocking ones count as
 * unavailable).
 */
@ToolCallPipeline
@Interceptor
@Priority(Pipeline.ToolCall.GUARDS)
public class ToolCallGuardInterceptor {

    private final InputGuards guards;
    private final DeclaredArguments declaredArguments;
    private final Spotlighting spotlighting;
    private final GuardConfig config;
    private final AuditLog audit;
    private final CurrentIdentityAssociation identities;
    private final CurrentVertxRequest request;

    ToolCallGuardInterceptor(InputGuards guards, DeclaredArguments declaredArguments, Spotlighting spotlighting,
            GuardConfig config, AuditLog audit, CurrentIdentityAssociation identities, CurrentVertxRequest request) {
        this.guards = guards;
        this.declaredArguments = declaredArguments;
        this.spotlighting = spotlighting;
        this.config = config;
        this.audit = audit;
        this.identities = identities;
        this.request = request;
    }

    @AroundInvoke
    Object guard(InvocationContext ic) throws Exception {
        Method method = ic.getMethod();
        String tool = ToolNames.toolNameOrNull(method);
        if (tool == null) {
            return ic.proceed(); // another method of a tool class
        }
        boolean untrusted = untrustedOutput(method, tool, config);
        SecurityIdentity identity = CallerIdentity.current(identities);
        JsonObject sent = sentArguments(tool);
        if (sent != null) {
            refuseUndeclared(tool, sent, identity); // whatever the guard action: a schema rule, not a detection
        }
        ToolArguments arguments = sent != null ? ToolArguments.ofJson(tool, sent)
                : ToolArguments.of(tool, method, ic.getParameters());
        Class<?> returns = method.getReturnType();
        boolean async = Uni.class.isAssignableFrom(returns) || CompletionStage.class.isAssignableFrom(returns);
        boolean onEventLoop = io.vertx.core.Context.isOnEventLoopThread();
        if (async && onEventLoop && guards.anyBlocking()) {
            return guardAsync(ic, arguments, identity, untrusted);
        }
        enforce(arguments, identity, !onEventLoop);
        if (Thread.currentThread().isInterrupted()) {
            // the call timed out while the guards ran: its caller has been answered, so the tool must not run now
            throw new ToolCallException("Tool " + tool + " was cancelled before it ran");
        }
        Object result = ic.proceed();
        if (!untrusted) {
            return result;
        }
        if (result instanceof Uni<?> uni) {
            return uni.map(this::markOrRefuse);
        }
        if (result instanceof CompletionStage<?> stage) {
            return stage.thenApply(this::markOrRefuse);
        }
        return markOrRefuse(result);
    }

    /** The guards on a worker thread, then the tool back on the caller's Vert.x context (its request context). */
    private Object guardAsync(InvocationContext ic, ToolArguments arguments, SecurityIdentity identity,
            boolean untrusted) {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        Executor back = r -> context.runOnContext(v -> r.run());
        Uni<Object> result = Uni.createFrom().item(() -> {
            enforce(arguments, identity, true);
            return Boolean.TRUE;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).emitOn(back)
                .chain(ignored -> {
                    try {
                        Object value = ic.proceed();
                        Uni<?> uni = value instanceof Uni<?> u ? u
                                : Uni.createFrom().completionStage((CompletionStage<?>) value);
                        return uni.map(v -> untrusted ? markOrRefuse(v) : (Object) v);
                    } catch (Exception e) {
                        return Uni.createFrom().failure(e);
                    }
                });
        return Uni.class.isAssignableFrom(ic.getMethod().getReturnType()) ? result : result.subscribeAsCompletionStage();
    }

    /**
     * The arguments as the client sent them, from the request message the body guard parsed (the call the
     * {@link Pipeline.Stage#TOOL_CALL_GATE} let through): every string and member name, whatever the tool binds them to.
     * {@code null}
     * when there is no such request (the guards then read the Java parameters).
     */
    private JsonObject sentArguments(String tool) {
        McpRequest http = McpRequest.current(request);
        if (http != null && tool.equals(http.allowedTool())) {
            JsonObject params = http.message().getJsonObject("params");
            return params.getValue("arguments") instanceof JsonObject a ? a : new JsonObject();
        }
        return null;
    }

    /** Refuses, audited, a call with an argument its tool does not declare ({@link DeclaredArguments}). */
    private void refuseUndeclared(String tool, JsonObject sent, SecurityIdentity identity) {
        String refusal = declaredArguments.refusal(tool, sent);
        if (refusal != null) {
            Map<String, String> attrs = AuditAttributes.toolCall(identity, tool, McpRequest.current(request));
            attrs.put("audit.reason", "undeclared argument");
            audit.record(AuditType.TOOL_CALL, AuditOutcome.DENIED, attrs);
            throw new ToolCallException(refusal);
        }
    }

    /** Decides, audits, and throws when the call must not run. */
    private void enforce(ToolArguments arguments, SecurityIdentity identity, boolean mayBlock) {
        GuardDecision decision = guards.decide(arguments, mayBlock);
        switch (decision.outcome()) {
            case PASS -> {
            }
            case FLAGGED -> record(AuditOutcome.FLAGGED, arguments.tool(), identity, decision);
            case UNAVAILABLE_PASSED -> record(AuditOutcome.UNAVAILABLE, arguments.tool(), identity, decision);
            case BLOCKED -> {
                record(AuditOutcome.DENIED, arguments.tool(), identity, decision);
                throw new ToolCallException("Input refused by the input guard: the arguments look like instructions"
                        + " aimed at the model or hidden content (" + String.join(", ", decision.reasons())
                        + "). The tool was not run.");
            }
            case UNAVAILABLE_REFUSED -> {
                record(AuditOutcome.DENIED, arguments.tool(), identity, decision);
                throw new ToolCallException("Input guard unavailable: the tool was not run; retry later");
            }
        }
    }

    private Object markOrRefuse(Object result) {
        try {
            return spotlighting.mark(result);
        } catch (RuntimeException e) {
            throw new ToolCallException("The tool's untrusted output could not be marked; it was withheld");
        }
    }

    /** Declared by {@link UntrustedOutput} on the method or by {@code mcp.guard.tools."<tool>".untrusted-output}. */
    static boolean untrustedOutput(Method method, String tool, GuardConfig config) {
        GuardConfig.Tool settings = config.tools().get(tool);
        return method.isAnnotationPresent(UntrustedOutput.class) || (settings != null && settings.untrustedOutput());
    }

    private void record(AuditOutcome outcome, String tool, SecurityIdentity identity, GuardDecision decision) {
        Map<String, String> attrs = AuditAttributes.toolCall(identity, tool, McpRequest.current(request));
        attrs.put("audit.guard.action", decision.action().name().toLowerCase(java.util.Locale.ROOT));
        putList(attrs, "audit.guard.reasons", decision.reasons());
        putList(attrs, "audit.guard.rules", decision.rules());
        putList(attrs, "audit.guard.names", decision.guards());
        putList(attrs, "audit.guard.unavailable", decision.unavailable());
        if (!decision.unavailable().isEmpty() && decision.reasons().isEmpty()) {
            attrs.put("audit.reason", "input guard unavailable");
        } else if (!decision.reasons().isEmpty()) {
            attrs.put("audit.reason", "input guard: " + String.join(",", decision.reasons()));
        }
        audit.record(AuditType.TOOL_GUARD, outcome, attrs);
    }

    private static void putList(Map<String, String> attrs, String key, List<String> values) {
        if (!values.isEmpty()) {
            attrs.put(key, String.join(",", values));
        }
    }
}
