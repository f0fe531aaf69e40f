package org.acme.mcp.rbac;

import jakarta.annotation.Priority;
import jakarta.inject.Singleton;

import org.acme.mcp.pipeline.Pipeline;
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
@Priority(Pipeline.FeatureFilters.RBAC)
public class RbacToolFilter implements ToolFilter {

    private static final Logger LOG = Logger.getLogger(RbacToolFilter.class);

    private final ToolVisibility visibility;
    private final CurrentIdentityAssociation identity;

    RbacToolFilter(ToolVisibility visibility, CurrentIdentityAssociation identity) {
        this.visibility = visibility;
        this.identity = identity;
    }

    @Override
    public boolean test(ToolInfo tool, FilterContext context) {
        try {
            Decision decision = visibility.decide(tool.name(), identity.getIdentity());
            if (context.method() == McpMethod.TOOLS_CALL) {
                return decision instanceof Decision.Allowed;
            }
            return ToolVisibility.listed(decision);
        } catch (RuntimeException e) {
            LOG.errorf("Tool filter failed for %s, hiding it: %s", tool.name(), e.toString());
            return false;
        }
    }
}
