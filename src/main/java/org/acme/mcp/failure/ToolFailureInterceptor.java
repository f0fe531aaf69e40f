package org.acme.mcp.failure;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

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

import io.quarkiverse.mcp.server.Cancellation;
import io.quarkiverse.mcp.server.McpException;
import io.quarkiverse.mcp.server.ToolCallException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;

/**
 * Turns an exception a tool did not mean to raise into a tool error (a result with {@code isError: true}, as MCP asks
 * for errors that come from a tool) whose text names only the tool and a reference; the exception, with its message and
 * stack trace, goes to the server's log under that reference, and a {@code tool.failure} audit record carries it too.
 * Without this the extension answers JSON-RPC -32603 and a security exception from inside a tool even puts its class
 * and message in the answer.
 * <p>
 * Passed through as they are: {@link ToolCallException} (the tool's own error text), {@link McpException} (a protocol
 * error the tool chose), cancellation, and JVM faults other than a stack overflow (out of memory: a server fault, which
 * MCP answers with a JSON-RPC error). Outermost of the tool interceptors ({@link Pipeline.ToolCall}),
 * so refusals of the limits and guards pass through unchanged and a failure on any of their threads is caught:
 * thrown, or the failure of a returned {@link Uni} (the extension's only asynchronous result).
 */
@ToolCallPipeline
@Interceptor
@Priority(Pipeline.ToolCall.FAILURES)
public class ToolFailureInterceptor {

    private static final Logger LOG = Logger.getLogger(ToolFailureInterceptor.class);

    private final AuditLog audit;
    private final CurrentIdentityAssociation identities;

    private final CurrentVertxRequest requests;

    ToolFailureInterceptor(AuditLog audit, CurrentIdentityAssociation identities, CurrentVertxRequest requests) {
        this.audit = audit;
        this.identities = identities;
        this.requests = requests;
    }

    @AroundInvoke
    Object contain(InvocationContext ic) throws Exception {
        String tool = ToolNames.toolNameOrNull(ic.getMethod());
        if (tool == null) {
            return ic.proceed(); // another method of a tool class
        }
        Object result;
        try {
            result = ic.proceed();
        } catch (Exception | StackOverflowError e) {
            throw contained(e, tool, CallerIdentity.current(identities), McpRequest.current(requests));
        }
        if (result instanceof Uni<?> uni) {
            // read now: the failure may come on a thread without the request context
            SecurityIdentity identity = CallerIdentity.current(identities);
            McpRequest http = McpRequest.current(requests);
            return uni.onFailure().transform(e -> contained(e, tool, identity, http));
        }
        return result;
    }

    /** The tool error for an unexpected failure, logged and audited; expected failures come back unchanged. */
    private RuntimeException contained(Throwable failure, String tool, SecurityIdentity identity, McpRequest http) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ToolCallException || cause instanceof McpException
                || cause instanceof Cancellation.OperationCancellationException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof VirtualMachineError fault && !(fault instanceof StackOverflowError)) {
            throw fault;
        }
        String reference = UUID.randomUUID().toString();
        LOG.errorf(cause, "Tool %s failed unexpectedly [reference %s]", tool, reference);
        Map<String, String> attrs = AuditAttributes.toolCall(identity, tool, http);
        attrs.put("audit.reference", reference);
        attrs.put("exception.type", cause.getClass().getName());
        audit.record(AuditType.TOOL_FAILURE, AuditOutcome.ERROR, attrs);
        return new ToolCallException("Tool " + tool + " failed unexpectedly. Reference for the server's operators: "
                + reference);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
