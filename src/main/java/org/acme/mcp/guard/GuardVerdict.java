package org.acme.mcp.guard;

import java.util.List;

/**
 * What one guard says about one call's arguments.
 *
 * @param reasons rule names for {@code DETECTED} (e.g. {@code instruction-override}), a short cause for
 *        {@code UNAVAILABLE}; never text taken from the arguments
 * @param rules the rules that fired, with the language of a phrase rule ({@code instruction-override/de}); empty when
 *        the guard names no more than its reasons
 */
public record GuardVerdict(Status status, List<String> reasons, List<String> rules) {

    public enum Status {
        CLEAN,
        DETECTED,
        UNAVAILABLE
    }

    public static final GuardVerdict CLEAN = new GuardVerdict(Status.CLEAN, List.of(), List.of());

    public GuardVerdict {
        reasons = List.copyOf(reasons);
        rules = List.copyOf(rules);
    }

    public static GuardVerdict detected(List<String> reasons) {
        return new GuardVerdict(Status.DETECTED, reasons, List.of());
    }

    public static GuardVerdict detected(List<String> reasons, List<String> rules) {
        return new GuardVerdict(Status.DETECTED, reasons, rules);
    }

    public static GuardVerdict unavailable(String cause) {
        return new GuardVerdict(Status.UNAVAILABLE, List.of(cause), List.of());
    }
}
