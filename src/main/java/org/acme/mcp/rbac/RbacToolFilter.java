package org.acme.mcp.rbac;

import java.time.Clock;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkiverse.mcp.server.FilterContext;
import io.quarkiverse.mcp.server.McpMethod;
import io.quarkiverse.mcp.server.ToolFilter;
import io.quarkiverse.mcp.server.ToolManager.ToolInfo;
import io.quarkus.security.identity.CurrentIdentityAssociation;

/**
 * Tool visibility per caller, for {@code tools/list} and as the last check of {@code tools/call}.
 * <p>
 * Lists the tools the caller is entitled to by role, including those that need another scope or a fresh login (the
 * call then answers with the challenge that lets the client get them). Calls pass only when fully allowed. Fails
 * closed: the extension treats a throwing filter as "visible", so every error here is caught and hides the tool.
 */
@Singleton
public class RbacToolFilter implements ToolFilter {

    private static final Logger LOG = Logger.getLogger(RbacToolFilter.class);

    private final ToolPolicies policies;
    private final CallerClaims claims;
    private final CurrentIdentityAssociation identity;
    private final ToolAuthorizer authorizer = new ToolAuthorizer(Clock.systemUTC());

    RbacToolFilter(ToolPolicies policies, CallerClaims claims, CurrentIdentityAssociation identity) {
        this.policies = policies;
        this.claims = claims;
        this.identity = identity;
    }

    @Override
    public boolean test(ToolInfo tool, FilterContext context) {
        try {
            Decision decision = claims.of(identity.getIdentity())
                    .map(caller -> authorizer.decide(policies.policy(tool.name()), caller))
                    .orElse(Decision.HIDDEN);
            if (context.method() == McpMethod.TOOLS_CALL) {
                return decision instanceof Decision.Allowed;
            }
            return !(decision instanceof Decision.Hidden);
        } catch (RuntimeException e) {
            LOG.errorf("Tool filter failed for %s, hiding it: %s", tool.name(), e.toString());
            return false;
        }
    }
}
