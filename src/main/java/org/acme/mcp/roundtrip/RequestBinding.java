package org.acme.mcp.roundtrip;

import java.util.Set;
import java.util.TreeSet;

import org.acme.mcp.api.Caller;
import org.acme.mcp.audit.Redaction;
import org.acme.mcp.pipeline.McpRequest;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a {@code requestState} is bound to: who asked (issuer, subject), through which OAuth client, and which request
 * (method, the feature's name, a digest of its arguments). A retry must match all of it.
 */
public record RequestBinding(String issuer, String subject, String client, String method, String name,
        String digest) {

    /** The methods that may answer {@code input_required} (MCP 2026-07-28), each naming its feature in this param. */
    static final Set<String> METHODS = Set.of("tools/call", "prompts/get", "resources/read");

    /** The binding of {@code request}, a 2026-07-28 request of one of {@link #METHODS} by an authenticated caller. */
    public static RequestBinding of(McpRequest request) {
        Caller caller = Caller.of(request.caller())
                .orElseThrow(() -> new IllegalStateException("an input_required exchange needs an authenticated caller"));
        JsonObject params = request.message().getJsonObject("params");
        boolean resource = "resources/read".equals(request.method());
        Object name = params.getValue(resource ? "uri" : "name");
        return new RequestBinding(caller.issuer(), caller.subject(), caller.client().orElse(""), request.method(),
                name instanceof String s ? s : String.valueOf(name),
                Redaction.sha256(canonical(resource ? null : params.getValue("arguments", new JsonObject()))));
    }

    /** What differs from {@code other}, as an audit reason; {@code null} when they match. */
    String mismatch(RequestBinding other) {
        if (!issuer.equals(other.issuer) || !subject.equals(other.subject)) {
            return "issued to another caller";
        }
        if (!client.equals(other.client)) {
            return "issued to another client";
        }
        if (!method.equals(other.method) || !name.equals(other.name)) {
            return "issued for another " + (method.equals(other.method) ? "feature" : "method");
        }
        return digest.equals(other.digest) ? null : "issued for other arguments";
    }

    /** One spelling per JSON value (members sorted by name), so equal arguments give equal digests. */
    static String canonical(Object value) {
        if (value instanceof JsonObject object) {
            StringBuilder out = new StringBuilder("{");
            for (String key : new TreeSet<>(object.fieldNames())) {
                out.append(out.length() > 1 ? "," : "").append(Json.encode(key)).append(':')
                        .append(canonical(object.getValue(key)));
            }
            return out.append('}').toString();
        }
        if (value instanceof JsonArray array) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < array.size(); i++) {
                out.append(i > 0 ? "," : "").append(canonical(array.getValue(i)));
            }
            return out.append(']').toString();
        }
        return Json.encode(value);
    }
}
