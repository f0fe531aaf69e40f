package org.acme.mcp.roundtrip;

import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.json.JsonObject;

/**
 * What a sealed {@code requestState} carries: its id (for single use), what it is bound to, when it expires, the input
 * requests it was issued with (key to method, to check the answers against), the feature's own state, and the approval
 * the call waits for (and whether this chain of round trips already used it).
 */
record RequestState(String id, RequestBinding binding, long expiresAtMillis, Map<String, String> asked,
        String featureState, String approval, boolean approvalUsed) {

    JsonObject toJson() {
        JsonObject json = new JsonObject().put("id", id).put("iss", binding.issuer()).put("sub", binding.subject())
                .put("azp", binding.client()).put("m", binding.method()).put("n", binding.name())
                .put("d", binding.digest()).put("exp", expiresAtMillis).put("k", new JsonObject(new LinkedHashMap<>(asked)));
        if (featureState != null) {
            json.put("s", featureState);
        }
        if (approval != null) {
            json.put("a", approval).put("u", approvalUsed);
        }
        return json;
    }

    /** Read back what {@link #toJson()} wrote (and the seal vouches for). */
    static RequestState of(JsonObject json) {
        Map<String, String> asked = new LinkedHashMap<>();
        json.getJsonObject("k").forEach(e -> asked.put(e.getKey(), (String) e.getValue()));
        return new RequestState(json.getString("id"),
                new RequestBinding(json.getString("iss"), json.getString("sub"), json.getString("azp"),
                        json.getString("m"), json.getString("n"), json.getString("d")),
                json.getLong("exp"), asked, json.getString("s"), json.getString("a"), json.getBoolean("u", false));
    }
}
