package org.acme.mcp.roundtrip;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.inject.Singleton;

import org.acme.mcp.api.InputRequired;
import org.acme.mcp.api.InputResponses;
import org.acme.mcp.pipeline.McpRequest;

import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkiverse.mcp.server.McpException;
import io.quarkiverse.mcp.server.Root;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.json.JsonObject;

/** {@link InputResponses} of the request being served, as {@link RequestStateCheck} let them through. */
@Singleton
public class ReceivedInputs implements InputResponses {

    private final CurrentVertxRequest requests;

    ReceivedInputs(CurrentVertxRequest requests) {
        this.requests = requests;
    }

    @Override
    public Optional<String> state() {
        return Optional.ofNullable(roundTrip().state());
    }

    @Override
    public Optional<Elicitation> elicitation(String key) {
        return answer(key, InputAnswers::elicitation);
    }

    @Override
    public Optional<Sampling> sampling(String key) {
        return answer(key, InputAnswers::sampling);
    }

    @Override
    public Optional<List<Root>> roots(String key) {
        return answer(key, InputAnswers::roots);
    }

    @Override
    public boolean clientSupports(InputRequired.Kind kind) {
        McpRequest request = McpRequest.current(requests);
        return request != null && request.stateless()
                && InputAnswers.supported(request.clientCapabilities(), new InputRequired.Request(kind, "", Map.of()));
    }

    private <T> Optional<T> answer(String key, Function<JsonObject, T> read) {
        JsonObject answer = roundTrip().responses().getJsonObject(key);
        if (answer == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(read.apply(answer));
        } catch (IllegalArgumentException e) {
            throw new McpException("Invalid params: inputResponses." + key + ": " + e.getMessage(),
                    JsonRpcErrorCodes.INVALID_PARAMS);
        }
    }

    private McpRequest.RoundTrip roundTrip() {
        McpRequest request = McpRequest.current(requests);
        return request == null ? McpRequest.RoundTrip.NONE : request.roundTrip();
    }
}
