package org.acme.mcp.api;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Thrown by a tool, prompt or resource method that needs input from the client before it can answer: the caller gets
 * an {@code input_required} result (MCP 2026-07-28, multi-round-trip requests) asking for it, and its retry runs the
 * method again with the answers in {@link InputResponses}. Build it with {@link #builder()} and throw what
 * {@link Builder#build()} returns.
 * <p>
 * The server seals the {@link Builder#state(String) state} (encrypted and authenticated, bound to the caller, the
 * client, the method, the feature's name and its arguments, with a short expiry, usable once), so a retry can trust
 * what comes back in {@link InputResponses#state()}. Ask only for what the client declared
 * ({@link InputResponses#clientSupports}): a request for anything else is refused with {@code -32021}. A 2025-11-25
 * caller gets an error naming the revision to use instead: this server sends its clients no requests of its own.
 */
public final class InputRequired extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What a client can be asked for, as the client declares it in its capabilities. */
    public enum Kind {
        /** An elicitation in form mode: the user fills in a form. Never for secrets. */
        ELICITATION_FORM,
        /** An elicitation in URL mode: the user is sent to a page outside the client. */
        ELICITATION_URL,
        /** A completion from the client's model. */
        SAMPLING,
        /** The client's roots (deprecated in 2026-07-28, still served). */
        ROOTS
    }

    /** One input request: its kind, its JSON-RPC method and its params. */
    public record Request(Kind kind, String method, Map<String, Object> params) {
    }

    private final transient Map<String, Request> requests;
    private final String state;

    private InputRequired(Map<String, Request> requests, String state) {
        super("input required: " + requests.keySet(), null, false, false); // control flow, no stack trace
        this.requests = Collections.unmodifiableMap(requests);
        this.state = state;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The input requests by key, in the order they were added. */
    public Map<String, Request> requests() {
        return requests;
    }

    /** The method's own state for its retry, or {@code null}. */
    public String state() {
        return state;
    }

    /** Collects the input requests of one {@code input_required} result. */
    public static final class Builder {

        private final Map<String, Request> requests = new LinkedHashMap<>();
        private String state;

        private Builder() {
        }

        /**
         * Asks the user to fill in a form. {@code requestedSchema} is a flat JSON Schema object of primitive
         * properties ({@code {"type":"object","properties":{...},"required":[...]}}). Never ask for passwords, tokens
         * or other secrets this way: the client sees the answer.
         */
        public Builder elicitForm(String key, String message, Map<String, Object> requestedSchema) {
            return add(key, Kind.ELICITATION_FORM, "elicitation/create", Map.of("mode", "form", "message", message,
                    "requestedSchema", requestedSchema));
        }

        /**
         * Sends the user to {@code url}, a page of this server, outside the client. An {@code accept} answer means only
         * that the user agreed to open it: what happened there the method must check itself on the retry. The URL must
         * carry no user data and no credentials.
         */
        public Builder elicitUrl(String key, String message, URI url) {
            if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
                throw new IllegalArgumentException("an elicitation URL must be http(s): " + url);
            }
            return add(key, Kind.ELICITATION_URL, "elicitation/create", Map.of("mode", "url", "message", message,
                    "url", url.toString()));
        }

        /** Asks the client's model to complete one user message, in at most {@code maxTokens}. */
        public Builder sample(String key, String userMessage, int maxTokens) {
            Map<String, Object> message = Map.of("role", "user", "content", Map.of("type", "text", "text", userMessage));
            return sample(key, Map.of("messages", List.of(message), "maxTokens", maxTokens));
        }

        /** Asks the client's model for a completion, with the params of {@code sampling/createMessage} as given. */
        public Builder sample(String key, Map<String, Object> params) {
            return add(key, Kind.SAMPLING, "sampling/createMessage", params);
        }

        /** Asks for the client's roots. */
        public Builder listRoots(String key) {
            return add(key, Kind.ROOTS, "roots/list", Map.of());
        }

        /**
         * The method's state for the retry, back in {@link InputResponses#state()}: what it learnt so far (e.g. the
         * answers of earlier rounds). Sealed by the server; the client can neither read nor change it.
         */
        public Builder state(String state) {
            this.state = state;
            return this;
        }

        public InputRequired build() {
            if (requests.isEmpty() && state == null) {
                throw new IllegalStateException("an input_required result asks for input, carries state, or both");
            }
            return new InputRequired(new LinkedHashMap<>(requests), state);
        }

        private Builder add(String key, Kind kind, String method, Map<String, Object> params) {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("an input request needs a key");
            }
            if (requests.putIfAbsent(key, new Request(kind, method, params)) != null) {
                throw new IllegalArgumentException("input request key used twice: " + key);
            }
            return this;
        }
    }
}
