package org.acme.mcp.rbac;

import jakarta.annotation.Priority;
import jakarta.inject.Singleton;

import org.acme.mcp.pipeline.Pipeline;
import org.acme.mcp.rbac.FeaturePolicies.Kind;
import org.jboss.logging.Logger;

import io.quarkiverse.mcp.server.FilterContext;
import io.quarkiverse.mcp.server.PromptFilter;
import io.quarkiverse.mcp.server.PromptManager.PromptInfo;
import io.quarkiverse.mcp.server.ResourceFilter;
import io.quarkiverse.mcp.server.ResourceManager.ResourceInfo;
import io.quarkiverse.mcp.server.ResourceTemplateFilter;
import io.quarkiverse.mcp.server.ResourceTemplateManager.ResourceTemplateInfo;
import io.quarkus.security.identity.CurrentIdentityAssociation;

/**
 * Prompt, resource and resource-template visibility per caller ({@link FeatureAccess}): listed and usable only when
 * fully allowed, otherwise left out of lists and answered like one that does not exist. Requests naming one are
 * refused (and audited) before they get here by {@link FeatureGate}; this is the extension's own check behind it.
 * Fails closed: the extension treats a throwing filter as "visible", so every error here hides the feature.
 */
@Singleton
@Priority(Pipeline.FeatureFilters.RBAC)
public class RbacFeatureFilter implements PromptFilter, ResourceFilter, ResourceTemplateFilter {

    private static final Logger LOG = Logger.getLogger(RbacFeatureFilter.class);

    private final FeatureAccess access;
    private final CurrentIdentityAssociation identity;

    RbacFeatureFilter(FeatureAccess access, CurrentIdentityAssociation identity) {
        this.access = access;
        this.identity = identity;
    }

    @Override
    public boolean test(PromptInfo prompt, FilterContext context) {
        return allowed(Kind.PROMPT, prompt.name());
    }

    @Override
    public boolean test(ResourceInfo resource, FilterContext context) {
        return allowed(Kind.RESOURCE, resource.name());
    }

    @Override
    public boolean test(ResourceTemplateInfo template, FilterContext context) {
        return allowed(Kind.RESOURCE_TEMPLATE, template.name());
    }

    private boolean allowed(Kind kind, String name) {
        try {
            return access.allowed(kind, name, identity.getIdentity());
        } catch (RuntimeException e) {
            LOG.errorf("Filter failed for %s %s, hiding it: %s", kind, name, e.toString());
            return false;
        }
    }
}
