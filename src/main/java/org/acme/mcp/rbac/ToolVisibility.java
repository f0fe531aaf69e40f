package org.acme.mcp.rbac;

import java.time.Clock;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.acme.mcp.audit.ToolListing;
import org.acme.mcp.identity.CallerClaims;

import io.quarkus.security.identity.SecurityIdentity;

/** What a caller may see and do with each tool: one decision used by the tool filter, the gate's audit and the list audit. */
@Singleton
public class ToolVisibility implements ToolListing {

    private final ToolPolicies policies;
    private final CallerClaims claims;
    private final RuntimeToolSwitch toolSwitch;
    private final ToolAuthorizer authorizer = new ToolAuthorizer(Clock.systemUTC());

    @Inject
    ToolVisibility(ToolPolicies policies, CallerClaims claims, RuntimeToolSwitch toolSwitch) {
        this.policies = policies;
        this.claims = claims;
        this.toolSwitch = toolSwitch;
    }

    /** For tests: no tool switched off at runtime. */
    ToolVisibility(ToolPolicies policies, CallerClaims claims) {
        this(policies, claims, tool -> false);
    }

    public Decision decide(String tool, SecurityIdentity identity) {
        if (toolSwitch.disabled(tool)) {
            return Decision.HIDDEN; // switched off during an incident: as if it did not exist, for everyone
        }
        return claims.of(identity).map(caller -> authorizer.decide(policies.policy(tool), caller)).orElse(Decision.HIDDEN);
    }

    /**
     * Whether {@code tools/list} shows the tool: the caller's roles allow it, even if it still needs a scope or a fresh
     * login (calling it then yields the challenge that gets them).
     */
    public static boolean listed(Decision decision) {
        return !(decision instanceof Decision.Hidden);
    }

    /** The tools {@code tools/list} shows this caller, sorted. */
    @Override
    public List<String> listedFor(SecurityIdentity identity) {
        return policies.all().keySet().stream().filter(tool -> listed(decide(tool, identity))).sorted().toList();
    }
}
