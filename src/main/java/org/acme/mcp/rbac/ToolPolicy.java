package org.acme.mcp.rbac;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a caller needs to use one tool. Empty sets mean "not checked"; every caller is authenticated anyway.
 *
 * @param scopes OAuth scopes, all required
 * @param roles roles, any one required
 * @param maxAuthAge longest time since the user's authentication
 * @param acr accepted authentication context classes, any one
 * @param disabled switched off by the operator
 * @param approval every call needs a person's approval in a browser ({@code api.RequiresApproval})
 */
public record ToolPolicy(String tool, Set<String> scopes, Set<String> roles, Optional<Duration> maxAuthAge,
        Set<String> acr, boolean disabled, boolean approval) {

    public ToolPolicy {
        scopes = Set.copyOf(scopes);
        roles = Set.copyOf(roles);
        acr = Set.copyOf(acr);
    }

    /** This policy tightened by an operator override; nothing in an override can loosen it. */
    public ToolPolicy tightenedBy(RbacConfig.ToolOverride override) {
        Set<String> newScopes = new LinkedHashSet<>(scopes);
        override.scopes().ifPresent(newScopes::addAll);
        Set<String> newRoles = roles;
        if (override.roles().isPresent()) {
            newRoles = roles.isEmpty() ? override.roles().get() : intersection(roles, override.roles().get());
            if (newRoles.isEmpty()) {
                // An empty intersection would read as "no role check": it means nobody may call the tool
                return new ToolPolicy(tool, newScopes, roles, maxAuthAge, acr, true, approval);
            }
        }
        Optional<Duration> newMaxAge = maxAuthAge;
        if (override.maxAuthAge().isPresent()) {
            Duration o = override.maxAuthAge().get();
            newMaxAge = Optional.of(maxAuthAge.map(m -> m.compareTo(o) < 0 ? m : o).orElse(o));
        }
        Set<String> newAcr = acr;
        if (override.acr().isPresent()) {
            newAcr = acr.isEmpty() ? override.acr().get() : intersection(acr, override.acr().get());
            if (newAcr.isEmpty()) {
                return new ToolPolicy(tool, newScopes, newRoles, newMaxAge, acr, true, approval);
            }
        }
        return new ToolPolicy(tool, newScopes, newRoles, newMaxAge, newAcr, disabled || override.disabled(),
                approval || override.approval());
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> result = new HashSet<>(a);
        result.retainAll(b);
        return result;
    }
}
