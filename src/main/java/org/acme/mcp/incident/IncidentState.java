package org.acme.mcp.incident;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the kill switch has switched off at runtime, immutable: a change makes a new state, swapped in whole, so a
 * request sees either the old or the new state, never half of one.
 *
 * @param disabledTools tool name → who disabled it
 * @param blockedSubjects subject ({@code sub}) → who blocked it
 * @param blockedClients OAuth client id → who blocked it
 */
public record IncidentState(Map<String, Entry> disabledTools, Map<String, Entry> blockedSubjects,
        Map<String, Entry> blockedClients) {

    /** Who switched something off, why and when. {@code by} is the administrator's issuer + subject key. */
    public record Entry(String by, String reason, Instant since) {
    }

    /** What is switched off: the three kinds of target. */
    public enum Kind {
        TOOL("tool"),
        SUBJECT("subject"),
        CLIENT("client");

        public final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    public static final IncidentState EMPTY = new IncidentState(Map.of(), Map.of(), Map.of());

    public IncidentState {
        disabledTools = sorted(disabledTools);
        blockedSubjects = sorted(blockedSubjects);
        blockedClients = sorted(blockedClients);
    }

    public Map<String, Entry> of(Kind kind) {
        return switch (kind) {
            case TOOL -> disabledTools;
            case SUBJECT -> blockedSubjects;
            case CLIENT -> blockedClients;
        };
    }

    /** This state with {@code target} of {@code kind} switched off ({@code entry}) or back on ({@code null}). */
    public IncidentState with(Kind kind, String target, Entry entry) {
        Map<String, Entry> changed = new TreeMap<>(of(kind));
        if (entry == null) {
            changed.remove(target);
        } else {
            changed.put(target, entry);
        }
        return new IncidentState(kind == Kind.TOOL ? changed : disabledTools,
                kind == Kind.SUBJECT ? changed : blockedSubjects, kind == Kind.CLIENT ? changed : blockedClients);
    }

    private static Map<String, Entry> sorted(Map<String, Entry> entries) {
        return java.util.Collections.unmodifiableMap(new TreeMap<>(entries));
    }
}
