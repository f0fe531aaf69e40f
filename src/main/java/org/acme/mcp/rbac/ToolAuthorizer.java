package org.acme.mcp.rbac;

import java.time.Clock;
import java.util.Collections;

import org.acme.mcp.api.Caller;

/** Decides what one caller may do with one tool. Pure: no I/O, no state, so every rule is unit-testable. */
public final class ToolAuthorizer {

    private final Clock clock;

    public ToolAuthorizer(Clock clock) {
        this.clock = clock;
    }

    public Decision decide(ToolPolicy policy, Caller caller) {
        if (policy == null || caller == null || policy.disabled()) {
            return Decision.HIDDEN;
        }
        if (!policy.roles().isEmpty() && Collections.disjoint(policy.roles(), caller.roles())) {
            return Decision.HIDDEN;
        }
        if (!caller.scopes().containsAll(policy.scopes())) {
            return new Decision.MissingScopes(policy.scopes());
        }
        boolean tooOld = policy.maxAuthAge().isPresent() && caller.authTime()
                .map(t -> clock.instant().getEpochSecond() - t > policy.maxAuthAge().get().toSeconds())
                .orElse(true);
        boolean wrongAcr = !policy.acr().isEmpty() && caller.acr().map(a -> !policy.acr().contains(a)).orElse(true);
        if (tooOld || wrongAcr) {
            return new Decision.StepUpRequired(policy.maxAuthAge(), policy.acr());
        }
        return Decision.ALLOWED;
    }
}
