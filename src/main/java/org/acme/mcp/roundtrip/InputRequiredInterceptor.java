package org.acme.mcp.roundtrip;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import org.acme.mcp.api.InputRequired;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.pipeline.Pipeline;
import org.acme.mcp.pipeline.ToolCallPipeline;

import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkiverse.mcp.server.McpException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;

/**
 * Answers for a tool, prompt or resource method that throws {@link InputRequired} (or whose {@link Uni} fails with
 * it): on a 2026-07-28 request the {@code input_required} result, whose state {@link RequestStates} seals, replaces the
 * extension's answer; a 2025-11-25 caller gets an error that names the revision to use, since this server sends its
 * clients no requests of its own (the way 2025-11-25 asks for input).
 */
@ToolCallPipeline
@Interceptor
@Priority(Pipeline.ToolCall.INPUT_REQUIRED)
public class InputRequiredInterceptor {

    private final RequestStates states;
    private final CurrentVertxRequest requests;

    InputRequiredInterceptor(RequestStates states, CurrentVertxRequest requests) {
        this.states = states;
        this.requests = requests;
    }

    @AroundInvoke
    Object answer(InvocationContext ic) throws Exception {
        Object result;
        try {
            result = ic.proceed();
        } catch (InputRequired input) {
            throw answer(McpRequest.current(requests), input);
        }
        if (result instanceof Uni<?> uni) {
            // read now, on the request's context: the Uni may fail on a thread without it
            McpRequest request = McpRequest.current(requests);
            return uni.onFailure(InputRequired.class).transform(input -> answer(request, (InputRequired) input));
        }
        return result;
    }

    private McpException answer(McpRequest request, InputRequired input) {
        if (request == null || !RequestBinding.METHODS.contains(request.method())) {
            // called in code, or by a method that may not ask (completions): nobody can be asked
            return new McpException("Internal error", JsonRpcErrorCodes.INTERNAL_ERROR);
        }
        if (!request.stateless()) {
            return new McpException("This needs input from the client, which MCP 2025-11-25 asks for with requests of"
                    + " the server's own; this server sends none. Call it with MCP-Protocol-Version: 2026-07-28, which"
                    + " asks with an input_required result.", JsonRpcErrorCodes.INVALID_REQUEST);
        }
        request.answerInstead(states.inputRequired(request, input));
        return McpRequest.answeredInstead();
    }
}
