package org.acme.mcp.audit;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One audit record: what happened, to whom, with which result. Attributes are strings and already redacted by the
 * emitter: never a token, a secret or a raw sensitive argument (see {@link Redaction}).
 *
 * @param type dotted event type, e.g. {@code tool.call}, {@code auth.failure}
 * @param outcome {@code allowed}, {@code denied}, {@code ok}, {@code error}, ...
 */
public record AuditEvent(Instant time, String type, String outcome, Map<String, String> attributes) {

    public AuditEvent {
        // sorted: one canonical form for the hash chain (a TreeMap given is copied as it is, without sorting)
        attributes = new TreeMap<>(attributes);
    }

    public static AuditEvent of(String type, String outcome, Map<String, String> attributes) {
        return new AuditEvent(Instant.now(), type, outcome, attributes);
    }
}
