package org.acme.mcp.guard;

import java.util.List;

/**
 * What one guard says about one call's arguments.
 *
 * @param reasons rule names for {@code DETECTED} (e.g. {@code instruction-override}), a short cause for
 *        {@code UNAVAILABLE}; never text taken from the arguments
 */
public record GuardVerdict(Status status, List<String> reasons) {

    public enum Status {
        CLEAN,
        DETECTED,
        UNAVAILABLE
    }

    public static final GuardVerdict CLEAN = new GuardVerdict(Status.CLEAN, List.of());

    public GuardVerdict {
        reasons = List.copyOf(reasons);
    }

    public static GuardVerdict detected(List<String> reasons) {
        return new GuardVerdict(Status.DETECTED, reasons);
    }

    public static GuardVerdict unavailable(String cause) {
        return new GuardVerdict(Status.UNAVAILABLE, List.of(cause));
    }
}
