package org.acme.mcp.limits;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.identity.CallerIdentity;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.pipeline.Pipeline;
import org.acme.mcp.pipeline.ToolCallPipeline;
import org.acme.mcp.pipeline.ToolNames;
import org.jboss.logging.Logger;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkiverse.mcp.server.ToolCallException;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.arc.ManagedContext;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;

/**
 * Runs every tool call within the concurrency caps and its timeout ({@link LimitsConfig}).
 * <p>
 * A blocking tool runs on a thread of its own while the MCP worker waits at most the timeout: the caller gets its
 * answer on time even from a tool that ignores interruption (that thread keeps its permit until it ends, so a stuck
 * tool still counts against the caps). The request context and the trace context go along. A tool configured with
 * {@code own-thread=false} runs on the MCP worker instead, saving two thread hand-offs per call; its deadline
 * interrupts it ({@link CallerThreadDeadlines}), and one that ignores interruption is answered when it ends. A tool
 * returning {@link Uni} or {@link CompletionStage} gets the timeout on its result instead.
 */
@ToolCallPipeline
@Interceptor
@Priority(Pipeline.ToolCall.LIMITS)
public class ToolCallLimitsInterceptor {

    private static final Logger LOG = Logger.getLogger(ToolCallLimitsInterceptor.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    // bounded by the permits: a task is only submitted after ConcurrencyLimits admitted it
    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mcp-tool-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final ConcurrencyLimits concurrency;
    private final LimitsConfig config;
    private final AuditLog audit;
    private final CurrentIdentityAssociation identities;
    private final CallerThreadDeadlines deadlines;
    private final CurrentVertxRequest requests;

    ToolCallLimitsInterceptor(ConcurrencyLimits concurrency, LimitsConfig config, AuditLog audit,
            CurrentIdentityAssociation identities, CallerThreadDeadlines deadlines, CurrentVertxRequest requests) {
        this.requests = requests;
        this.concurrency = concurrency;
        this.config = config;
        this.audit = audit;
        this.identities = identities;
        this.deadlines = deadlines;
    }

    @AroundInvoke
    Object limit(InvocationContext ic) throws Exception {
        Method method = ic.getMethod();
        String tool = ToolNames.toolNameOrNull(method);
        if (tool == null) {
            return ic.proceed(); // not a tool (another method of the class)
        }
        SecurityIdentity identity = CallerIdentity.current(identities);
        McpRequest http = McpRequest.current(requests); // for the records: revision and session
        String[] refusedBy = new String[1];
        ConcurrencyLimits.Permit permit = concurrency.tryAcquire(tool, CallerIdentity.key(identity), refusedBy);
        if (permit == null) {
            record(AuditType.TOOL_CALL, AuditOutcome.DENIED, tool, identity, http,
                    Map.of("audit.reason", "concurrency limit: " + refusedBy[0]));
            throw new ToolCallException("Too many calls running (" + refusedBy[0] + " limit): retry in a moment");
        }
        LimitsConfig.Tool limits = config.tools().get(tool);
        Duration timeout = limits != null && limits.timeout().isPresent() ? limits.timeout().get() : config.toolTimeout();
        Class<?> returns = method.getReturnType();
        if (Uni.class.isAssignableFrom(returns) || CompletionStage.class.isAssignableFrom(returns)) {
            return limitAsync(ic, tool, identity, http, permit, timeout);
        }
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            // a non-blocking tool must not block the event loop by waiting here: it runs inline, uncapped in time
            try {
                return ic.proceed();
            } finally {
                permit.release();
            }
        }
        if (limits != null && !limits.ownThread()) {
            return onCallersThread(ic, tool, identity, http, permit, timeout);
        }
        AtomicBoolean started = new AtomicBoolean();
        Future<Object> future = EXECUTOR.submit(propagating(ic, permit, started));
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true); // interrupts the tool; a sandboxed program is killed with its process tree
            releaseIfNeverStarted(permit, started);
            throw timedOut(tool, identity, http, timeout);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (InterruptedException e) {
            future.cancel(true);
            releaseIfNeverStarted(permit, started);
            Thread.currentThread().interrupt();
            throw new ToolCallException("Tool " + tool + " was interrupted");
        }
    }

    private Object onCallersThread(InvocationContext ic, String tool, SecurityIdentity identity, McpRequest http,
            ConcurrencyLimits.Permit permit, Duration timeout) throws Exception {
        CallerThreadDeadlines.Deadline deadline = deadlines.arm(timeout);
        Object result;
        try {
            result = ic.proceed();
        } catch (Exception | Error e) {
            if (deadline.disarm()) {
                throw timedOut(tool, identity, http, timeout); // whatever the interrupt made it throw
            }
            throw e;
        } finally {
            permit.release();
        }
        if (deadline.disarm()) {
            throw timedOut(tool, identity, http, timeout); // finished, but too late: its result is not delivered
        }
        return result;
    }

    private Object limitAsync(InvocationContext ic, String tool, SecurityIdentity identity, McpRequest http,
            ConcurrencyLimits.Permit permit, Duration timeout) throws Exception {
        Object result;
        try {
            result = ic.proceed();
        } catch (Exception | Error e) {
            permit.release();
            throw e;
        }
        Uni<?> uni = result instanceof Uni<?> u ? u : Uni.createFrom().completionStage((CompletionStage<?>) result);
        Uni<?> limited = uni.ifNoItem().after(timeout).failWith(() -> timedOut(tool, identity, http, timeout))
                .onTermination().invoke(permit::release);
        return result instanceof Uni<?> ? limited : limited.subscribeAsCompletionStage();
    }

    /** Records and logs a call cut off at its timeout; the error its caller gets. */
    private ToolCallException timedOut(String tool, SecurityIdentity identity, McpRequest http, Duration timeout) {
        record(AuditType.TOOL_TIMEOUT, AuditOutcome.ERROR, tool, identity, http,
                Map.of("audit.timeout_ms", String.valueOf(timeout.toMillis())));
        LOG.warnf("Tool %s timed out after %s", tool, timeout);
        return new ToolCallException("Tool " + tool + " timed out after " + timeout.toMillis() + " ms");
    }

    /** The call, run on another thread with this request's CDI request context and trace context. */
    private static Callable<Object> propagating(InvocationContext ic, ConcurrencyLimits.Permit permit,
            AtomicBoolean started) {
        ManagedContext requestContext = Arc.container().requestContext();
        InjectableContext.ContextState state = requestContext.isActive() ? requestContext.getState() : null;
        Context trace = Context.current();
        return () -> {
            started.set(true);
            if (state != null) {
                requestContext.activate(state);
            }
            try (Scope ignored = trace.makeCurrent()) {
                return ic.proceed();
            } finally {
                if (state != null) {
                    requestContext.deactivate();
                }
                permit.release();
            }
        };
    }

    /** A task cancelled before it ran never reaches its {@code finally}: its permit is released here. */
    private static void releaseIfNeverStarted(ConcurrencyLimits.Permit permit, AtomicBoolean started) {
        if (!started.get()) {
            permit.release();
        }
    }

    private void record(AuditType type, AuditOutcome outcome, String tool, SecurityIdentity identity, McpRequest http,
            Map<String, String> more) {
        Map<String, String> attrs = AuditAttributes.toolCall(identity, tool, http);
        attrs.putAll(more);
        audit.record(type, outcome, attrs);
    }
}
