package org.acme.mcp.guard;

import java.util.List;

/**
 * What the input guards decided for one call.
 *
 * @param reasons rule names of detections (never argument text)
 * @param rules the rules that fired with their language where a guard names one ({@code instruction-override/de})
 * @param guards names of the guards that detected something
 * @param unavailable causes from guards that gave no verdict
 */
public record GuardDecision(Outcome outcome, GuardAction action, List<String> reasons, List<String> rules,
        List<String> guards, List<String> unavailable) {

    public enum Outcome {
        /** Nothing found, or the tool's action is {@code allow}. */
        PASS,
        /** Found and the tool's action is {@code flag}: the call runs. */
        FLAGGED,
        /** Found and the tool's action is {@code block}: the call is refused. */
        BLOCKED,
        /** A guard gave no verdict, nothing was found, and the failure mode refuses the call. */
        UNAVAILABLE_REFUSED,
        /** A guard gave no verdict, nothing was found, and the call runs (fail-open, or a {@code flag} tool). */
        UNAVAILABLE_PASSED
    }

    public GuardDecision {
        reasons = List.copyOf(reasons);
        rules = List.copyOf(rules);
        guards = List.copyOf(guards);
        unavailable = List.copyOf(unavailable);
    }

    /** Whether the call may run. */
    public boolean allowsCall() {
        return outcome != Outcome.BLOCKED && outcome != Outcome.UNAVAILABLE_REFUSED;
    }
}
