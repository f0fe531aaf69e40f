package org.acme.mcp.incident;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.acme.mcp.incident.IncidentState.Entry;
import org.acme.mcp.incident.IncidentState.Kind;
import org.jboss.logging.Logger;

import io.vertx.core.json.JsonObject;

/**
 * The kill switch's state as the fleet shares it: one map field per target, {@code <kind>:<target>} (kind
 * {@code tool}, {@code subject} or {@code client}), its value the entry as JSON ({@code by}, {@code reason},
 * {@code since}). Reading fails closed: an entry that cannot be read still switches its target off.
 */
final class SharedIncidentState {

    private static final Logger LOG = Logger.getLogger(SharedIncidentState.class);

    private SharedIncidentState() {
    }

    static String field(Kind kind, String target) {
        return kind.label + ":" + target;
    }

    static String encode(Entry entry) {
        return new JsonObject().put("by", entry.by()).put("reason", entry.reason()).put("since", entry.since().toString())
                .encode();
    }

    static Map<String, String> encode(IncidentState state) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Kind kind : Kind.values()) {
            state.of(kind).forEach((target, entry) -> fields.put(field(kind, target), encode(entry)));
        }
        return fields;
    }

    static IncidentState decode(Map<String, String> fields, IncidentState previous) {
        IncidentState state = IncidentState.EMPTY;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            int colon = field.getKey().indexOf(':');
            Kind kind = colon < 0 ? null : kind(field.getKey().substring(0, colon));
            if (kind == null) {
                LOG.errorf("Ignoring a kill-switch field of unknown kind in the fleet's store");
                continue;
            }
            String target = field.getKey().substring(colon + 1);
            state = state.with(kind, target, entry(field.getValue(), previous.of(kind).get(target)));
        }
        return state;
    }

    private static Entry entry(String json, Entry previous) {
        try {
            JsonObject entry = new JsonObject(json);
            String by = entry.getString("by");
            String reason = entry.getString("reason");
            if (by == null || reason == null) {
                throw new IllegalArgumentException("by and reason required");
            }
            return new Entry(by, reason, Instant.parse(entry.getString("since")));
        } catch (RuntimeException e) {
            LOG.errorf("Unreadable kill-switch entry in the fleet's store: its target stays switched off");
            return previous != null ? previous
                    : new Entry("unknown", "unreadable entry in the fleet's store",
                            Instant.EPOCH);
        }
    }

    private static Kind kind(String label) {
        for (Kind kind : Kind.values()) {
            if (kind.label.equals(label)) {
                return kind;
            }
        }
        return null;
    }
}
