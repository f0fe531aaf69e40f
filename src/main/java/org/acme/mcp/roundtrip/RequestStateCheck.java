package org.acme.mcp.roundtrip;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.pipeline.ErrorResponses;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.pipeline.Pipeline;
import org.acme.mcp.pipeline.Resume;

import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Checks what the retry of an {@code input_required} answer brings, before anything runs: {@code inputResponses} must
 * be an object of objects, and a {@code requestState} must open ({@link RequestStates}) for this caller, client and
 * request, unexpired and unused, with an answer of the right shape to every request it asked that came back. Anything
 * else is -32602 with nothing executed, and a refused state is audited ({@code request.state}, denied, with the
 * reason). What passes is in {@link McpRequest#roundTrip()} for {@code api.InputResponses}.
 */
@ApplicationScoped
@Pipeline.At(Pipeline.Stage.REQUEST_STATE)
public class RequestStateCheck implements Pipeline.HttpStage {

    private final RequestStates states;
    private final AuditLog audit;

    RequestStateCheck(RequestStates states, AuditLog audit) {
        this.states = states;
        this.audit = audit;
    }

    @Override
    public void handle(RoutingContext ctx) {
        McpRequest request = McpRequest.of(ctx);
        if (!request.stateless() || request.method() == null || !RequestBinding.METHODS.contains(request.method())
                || !(request.message().getValue("params") instanceof JsonObject params)) {
            ctx.next(); // 2025-11-25 has no round trips: what such a request brings is never read
            return;
        }
        Object responses = params.getValue("inputResponses");
        if (params.containsKey("inputResponses") && !(responses instanceof JsonObject answers
                && answers.stream().allMatch(answer -> answer.getValue() instanceof JsonObject))) {
            invalid(ctx, request, "inputResponses must be an object whose members are objects");
            return;
        }
        JsonObject answers = responses == null ? new JsonObject() : (JsonObject) responses;
        if (!params.containsKey("requestState")) {
            request.roundTrip(new McpRequest.RoundTrip(answers, null, null, false));
            ctx.next();
            return;
        }
        RequestState state;
        try {
            if (!(params.getValue("requestState") instanceof String sealed)) {
                throw new RequestStates.Refusal("not a string", false);
            }
            state = states.open(request, sealed);
        } catch (RequestStates.Refusal refusal) {
            refuse(ctx, request, refusal);
            return;
        }
        for (Map.Entry<String, String> asked : state.asked().entrySet()) {
            if (answers.getValue(asked.getKey()) instanceof JsonObject answer) {
                try {
                    InputAnswers.check(asked.getValue(), answer);
                } catch (IllegalArgumentException e) {
                    // the key is one this server chose when it asked: safe to name
                    invalid(ctx, request, "inputResponses." + asked.getKey() + ": " + e.getMessage());
                    return;
                }
            }
        }
        Resume.when(ctx, states.redeem(state), redeemed -> {
            if (redeemed.failed()) {
                refuse(ctx, request, (RequestStates.Refusal) redeemed.cause());
                return;
            }
            request.roundTrip(new McpRequest.RoundTrip(answers, state.featureState(), state.approval(),
                    state.approvalUsed()));
            ctx.next();
        });
    }

    private void refuse(RoutingContext ctx, McpRequest request, RequestStates.Refusal refusal) {
        Map<String, String> attrs = AuditAttributes.request(request.caller(), request);
        attrs.put("mcp.method.name", request.method());
        attrs.put("audit.reason", "requestState " + refusal.getMessage());
        audit.record(AuditType.REQUEST_STATE, refusal.unavailable ? AuditOutcome.ERROR : AuditOutcome.DENIED, attrs);
        if (refusal.unavailable) {
            ErrorResponses.reply(ctx, 503, request.id(), JsonRpcErrorCodes.INTERNAL_ERROR,
                    "requestState cannot be checked right now: retry later", null);
        } else {
            invalid(ctx, request, "requestState was not issued by this server for this caller and request, has"
                    + " expired, or was used already: call again without it");
        }
    }

    private static void invalid(RoutingContext ctx, McpRequest request, String problem) {
        ErrorResponses.reply(ctx, 400, request.id(), JsonRpcErrorCodes.INVALID_PARAMS, "Invalid params: " + problem,
                null);
    }
}
