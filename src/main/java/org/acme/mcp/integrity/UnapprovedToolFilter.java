package org.acme.mcp.integrity;

import jakarta.annotation.Priority;
import jakarta.inject.Singleton;

import org.acme.mcp.pipeline.Pipeline;
import org.jboss.logging.Logger;

import io.quarkiverse.mcp.server.FilterContext;
import io.quarkiverse.mcp.server.ToolFilter;
import io.quarkiverse.mcp.server.ToolManager.ToolInfo;

/**
 * Hides a tool registered at runtime (through {@code ToolManager}) whose definition was never reviewed, and audits
 * it: the start-up check cannot see such tools. Fails closed: the extension treats a throwing filter as "visible".
 * Runs before the other filters (they stop at the first "no"), so that every unreviewed tool is audited.
 */
@Singleton
@Priority(Pipeline.FeatureFilters.UNAPPROVED_TOOLS)
public class UnapprovedToolFilter implements ToolFilter {

    private static final Logger LOG = Logger.getLogger(UnapprovedToolFilter.class);

    private final ApprovedTools approved;

    UnapprovedToolFilter(ApprovedTools approved) {
        this.approved = approved;
    }

    @Override
    public boolean test(ToolInfo tool, FilterContext context) {
        try {
            return approved.approved(tool);
        } catch (RuntimeException e) {
            LOG.errorf("Tool definition check failed for %s, hiding it: %s", tool.name(), e.toString());
            return false;
        }
    }
}
