package org.acme.mcp.roundtrip;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.acme.mcp.api.InputRequired;
import org.acme.mcp.api.InputResponses.Elicitation;
import org.acme.mcp.api.InputResponses.Sampling;

import io.quarkiverse.mcp.server.Root;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The client's side of an input request: whether it declared it can be asked ({@link #supported}, and the capability
 * to name when not), and the answer it sent back, checked for the shape its method defines and read into the public
 * API's types. Each reader throws {@link IllegalArgumentException} naming what is wrong.
 */
final class InputAnswers {

    private InputAnswers() {
    }

    /** Whether {@code capabilities} ({@code _meta} clientCapabilities) let the server ask {@code request}. */
    static boolean supported(JsonObject capabilities, InputRequired.Request request) {
        return switch (request.kind()) {
            // an elicitation capability naming no mode means form (MCP: kept for clients before modes existed)
            case ELICITATION_FORM -> capabilities.getValue("elicitation") instanceof JsonObject e
                    && (e.containsKey("form") || !e.containsKey("url"));
            case ELICITATION_URL -> capabilities.getValue("elicitation") instanceof JsonObject e && e.containsKey("url");
            case SAMPLING -> capabilities.getValue("sampling") instanceof JsonObject s
                    && (!request.params().containsKey("tools") || s.containsKey("tools"));
            case ROOTS -> capabilities.getValue("roots") instanceof JsonObject;
        };
    }

    /** The capability {@code request} needs, as the {@code requiredCapabilities} of a -32021 error name it. */
    static JsonObject required(InputRequired.Request request) {
        return switch (request.kind()) {
            case ELICITATION_FORM -> new JsonObject().put("elicitation", new JsonObject().put("form", new JsonObject()));
            case ELICITATION_URL -> new JsonObject().put("elicitation", new JsonObject().put("url", new JsonObject()));
            case SAMPLING -> new JsonObject().put("sampling", request.params().containsKey("tools")
                    ? new JsonObject().put("tools", new JsonObject())
                    : new JsonObject());
            case ROOTS -> new JsonObject().put("roots", new JsonObject());
        };
    }

    /** Checks {@code answer} against the result type of {@code method}; unknown methods have nothing to check. */
    static void check(String method, JsonObject answer) {
        switch (method) {
            case "elicitation/create" -> elicitation(answer);
            case "sampling/createMessage" -> sampling(answer);
            case "roots/list" -> roots(answer);
            default -> {
            }
        }
    }

    /** An {@code ElicitResult}: an action, and for {@code accept} in form mode a flat object of primitive values. */
    static Elicitation elicitation(JsonObject answer) {
        if (!(answer.getValue("action") instanceof String action)
                || !List.of("accept", "decline", "cancel").contains(action)) {
            throw new IllegalArgumentException("action must be accept, decline or cancel");
        }
        Object content = answer.getValue("content");
        if (content != null && !(content instanceof JsonObject)) {
            throw new IllegalArgumentException("content must be an object");
        }
        JsonObject form = content == null ? new JsonObject() : (JsonObject) content;
        for (Map.Entry<String, Object> field : form) {
            Object value = field.getValue();
            boolean primitive = value instanceof String || value instanceof Number || value instanceof Boolean
                    || value instanceof JsonArray list && list.stream().allMatch(String.class::isInstance);
            if (!primitive) {
                // MCP: form answers are strings, numbers, booleans or lists of strings, never nested objects
                throw new IllegalArgumentException("content members must be strings, numbers, booleans or string lists");
            }
        }
        return new Elicitation(Elicitation.Action.valueOf(action.toUpperCase(Locale.ROOT)), form.getMap());
    }

    /** A {@code CreateMessageResult}: the model's name and content (one block, or several). */
    static Sampling sampling(JsonObject answer) {
        if (!(answer.getValue("model") instanceof String model)) {
            throw new IllegalArgumentException("model must be a string");
        }
        List<JsonObject> blocks = new ArrayList<>();
        Object content = answer.getValue("content");
        if (content instanceof JsonObject block) {
            blocks.add(block);
        } else if (content instanceof JsonArray array && array.stream().allMatch(JsonObject.class::isInstance)) {
            array.forEach(block -> blocks.add((JsonObject) block));
        } else {
            throw new IllegalArgumentException("content must be a content block or a list of them");
        }
        StringBuilder text = new StringBuilder();
        for (JsonObject block : blocks) {
            if (!(block.getValue("type") instanceof String)) {
                throw new IllegalArgumentException("every content block needs a type");
            }
            if ("text".equals(block.getString("type")) && block.getValue("text") instanceof String t) {
                text.append(t);
            }
        }
        return new Sampling(text.toString(), model);
    }

    /** A {@code ListRootsResult}: roots, each a {@code file://} URI with an optional name. */
    static List<Root> roots(JsonObject answer) {
        if (!(answer.getValue("roots") instanceof JsonArray roots)) {
            throw new IllegalArgumentException("roots must be a list");
        }
        List<Root> read = new ArrayList<>();
        for (Object root : roots) {
            if (!(root instanceof JsonObject r) || !(r.getValue("uri") instanceof String uri) || !uri.startsWith("file://")
                    || r.containsKey("name") && !(r.getValue("name") instanceof String)) {
                throw new IllegalArgumentException("every root needs a file:// uri and at most a string name");
            }
            read.add(new Root(r.getString("name"), uri));
        }
        return read;
    }
}
