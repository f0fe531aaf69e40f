package org.acme.mcp.roundtrip;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Singleton;

import org.acme.mcp.api.InputRequired;
import org.acme.mcp.fleet.SingleUse;
import org.acme.mcp.pipeline.McpRequest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Issues and redeems the {@code requestState} of multi-round-trip requests (MCP 2026-07-28, which calls it
 * attacker-controlled): each one sealed ({@link RequestStateSeal}), bound to its caller, client and request
 * ({@link RequestBinding}), valid for {@code mcp.round-trip.state-ttl}, and redeemed once in the whole fleet
 * ({@link SingleUse}).
 */
@Singleton
public class RequestStates {

    /** The JSON-RPC code of a request whose client lacks a capability it needs (MCP 2026-07-28). */
    static final int MISSING_CAPABILITY = -32021;

    private final RequestStateSeal seal;
    private final SingleUse singleUse;
    private final Duration ttl;

    RequestStates(RequestStateSeal seal, SingleUse singleUse, RoundTripConfig config) {
        this.seal = seal;
        this.singleUse = singleUse;
        this.ttl = config.stateTtl();
    }

    /**
     * The answer to {@code request} that asks for {@code input}: an {@code input_required} result with a fresh sealed
     * state, or -32021 (HTTP 400) naming what the client did not declare it can be asked for.
     */
    public McpRequest.Answer inputRequired(McpRequest request, InputRequired input) {
        McpRequest.RoundTrip roundTrip = request.roundTrip();
        return inputRequired(request, input, roundTrip.approval(), roundTrip.approvalUsed());
    }

    /**
     * As {@link #inputRequired(McpRequest, InputRequired)}, for a call waiting for {@code approval} (unused): its
     * retry brings the approval's id back, sealed.
     */
    public McpRequest.Answer approvalRequired(McpRequest request, InputRequired input, String approval) {
        return inputRequired(request, input, approval, false);
    }

    /**
     * The -32021 answer (HTTP 400) for a request whose client did not declare it can be asked for {@code ask}, or
     * {@code null} when it can.
     */
    public McpRequest.Answer unsupported(McpRequest request, InputRequired.Request ask) {
        if (InputAnswers.supported(request.clientCapabilities(), ask)) {
            return null;
        }
        return new McpRequest.Answer(400, null, new JsonObject().put("code", MISSING_CAPABILITY)
                .put("message", "Missing required client capability: the client did not declare it can be asked for "
                        + ask.method() + (ask.kind() == InputRequired.Kind.ELICITATION_URL ? " in url mode" : ""))
                .put("data", new JsonObject().put("requiredCapabilities", InputAnswers.required(ask))));
    }

    private McpRequest.Answer inputRequired(McpRequest request, InputRequired input, String approval,
            boolean approvalUsed) {
        JsonObject inputRequests = new JsonObject();
        Map<String, String> asked = new LinkedHashMap<>();
        for (Map.Entry<String, InputRequired.Request> entry : input.requests().entrySet()) {
            InputRequired.Request ask = entry.getValue();
            McpRequest.Answer refused = unsupported(request, ask);
            if (refused != null) {
                return refused;
            }
            inputRequests.put(entry.getKey(), new JsonObject().put("method", ask.method())
                    .put("params", new JsonObject(ask.params())));
            asked.put(entry.getKey(), ask.method());
        }
        RequestState state = new RequestState(UUID.randomUUID().toString(), RequestBinding.of(request),
                System.currentTimeMillis() + ttl.toMillis(), asked, input.state(), approval, approvalUsed);
        JsonObject result = new JsonObject().put("resultType", "input_required");
        if (!inputRequests.isEmpty()) {
            result.put("inputRequests", inputRequests);
        }
        return new McpRequest.Answer(200, result.put("requestState", seal.seal(state.toJson())), null);
    }

    /**
     * The state {@code sealed} carries, if this server sealed it for this caller, client and request and it has not
     * expired; not yet redeemed ({@link #redeem}).
     *
     * @throws Refusal saying why not
     */
    RequestState open(McpRequest request, String sealed) {
        RequestState state = seal.open(sealed).map(RequestState::of)
                .orElseThrow(() -> new Refusal("not sealed by this server, or changed", false));
        String mismatch = state.binding().mismatch(RequestBinding.of(request));
        if (mismatch != null) {
            throw new Refusal(mismatch, false);
        }
        if (System.currentTimeMillis() >= state.expiresAtMillis()) {
            throw new Refusal("expired", false);
        }
        return state;
    }

    /**
     * How long a claim on something valid until {@code expiresAtMillis} is kept: its time left and a margin, so that a
     * replica whose clock is behind still finds it claimed.
     */
    public static Duration claimFor(long expiresAtMillis) {
        return Duration.ofMillis(Math.max(0, expiresAtMillis - System.currentTimeMillis())).plus(CLOCK_MARGIN);
    }

    private static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);

    /** Redeems {@code state}, once in the fleet: fails with a {@link Refusal} when it was redeemed before. */
    Future<RequestState> redeem(RequestState state) {
        Duration left = claimFor(state.expiresAtMillis());
        return singleUse.claim("request-state:" + state.id(), left).transform(claimed -> {
            if (claimed.failed()) {
                return Future.failedFuture(new Refusal("cannot be checked for reuse: " + claimed.cause().getMessage(),
                        true));
            }
            return claimed.result() ? Future.succeededFuture(state)
                    : Future.failedFuture(new Refusal("used already (replayed)", false));
        });
    }

    /** Why a {@code requestState} was refused; {@code unavailable}: not its fault, the fleet could not check it. */
    static final class Refusal extends RuntimeException {

        private static final long serialVersionUID = 1L;

        final boolean unavailable;

        Refusal(String reason, boolean unavailable) {
            super(reason, null, false, false);
            this.unavailable = unavailable;
        }
    }
}
