package org.acme.mcp.rbac;

import java.time.Clock;
import java.util.function.Function;

import jakarta.inject.Singleton;

import org.acme.mcp.identity.CallerClaims;
import org.acme.mcp.rbac.FeaturePolicies.Kind;
import org.jboss.logging.Logger;

import io.quarkiverse.mcp.server.CompletionManager.CompletionInfo;
import io.quarkiverse.mcp.server.PromptCompletionManager;
import io.quarkiverse.mcp.server.PromptManager;
import io.quarkiverse.mcp.server.ResourceManager;
import io.quarkiverse.mcp.server.ResourceManager.ResourceInfo;
import io.quarkiverse.mcp.server.ResourceTemplateCompletionManager;
import io.quarkiverse.mcp.server.ResourceTemplateManager;
import io.quarkiverse.mcp.server.ResourceTemplateManager.ResourceTemplateInfo;
import io.quarkiverse.mcp.server.runtime.ResourceTemplateManagerImpl;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who may use which prompt, resource and resource template ({@link FeaturePolicies}), asked by name, by URI or by a
 * completion's reference. Every answer is "no" when in doubt: no policy, no such feature, an error.
 */
@Singleton
public class FeatureAccess {

    private static final Logger LOG = Logger.getLogger(FeatureAccess.class);

    private final FeaturePolicies policies;
    private final CallerClaims claims;
    private final ToolAuthorizer authorizer = new ToolAuthorizer(Clock.systemUTC());

    FeatureAccess(FeaturePolicies policies, CallerClaims claims) {
        this.policies = policies;
        this.claims = claims;
    }

    /** Whether {@code caller} may see and use the feature. */
    public boolean allowed(Kind kind, String name, SecurityIdentity caller) {
        try {
            ToolPolicy policy = policies.policy(kind, name);
            return claims.of(caller)
                    .map(c -> authorizer.decide(policy, c) instanceof Decision.Allowed).orElse(false);
        } catch (RuntimeException e) {
            LOG.errorf("Access check failed for %s %s, hiding it: %s", kind, name, e.toString());
            return false;
        }
    }

    /** Whether {@code caller} may use an existing prompt of that name. */
    boolean mayGetPrompt(String name, SecurityIdentity caller) {
        return lookup(PromptManager.class, prompts -> prompts.getPrompt(name)) != null
                && allowed(Kind.PROMPT, name, caller);
    }

    /**
     * Whether {@code caller} may read {@code uri}, resolved as the extension resolves it: a resource of that URI the
     * caller may use, otherwise the one template matching it.
     */
    boolean mayRead(String uri, SecurityIdentity caller) {
        ResourceInfo resource = lookup(ResourceManager.class, resources -> resources.getResource(uri));
        if (resource != null && allowed(Kind.RESOURCE, resource.name(), caller)) {
            return true;
        }
        // internal API of quarkus-mcp-server 1.13 (what resources/read itself uses); re-check on upgrades
        ResourceTemplateInfo template = lookup(ResourceTemplateManager.class,
                templates -> templates instanceof ResourceTemplateManagerImpl impl ? impl.findMatching(uri) : null);
        return template != null && allowed(Kind.RESOURCE_TEMPLATE, template.name(), caller);
    }

    /**
     * Whether {@code caller} may complete {@code argument} of a prompt (by name) or resource template (by URI template,
     * as a {@code completion/complete} names it): only if it may use the feature itself, and only with that feature's
     * own completion. The extension finds completions by "reference_argument": the prompt {@code greeting} with the
     * argument {@code internal_dept} would run the completion of {@code dept} of a prompt {@code greeting_internal},
     * which the caller need not be allowed to use. A missing completion is not the feature's own.
     */
    boolean mayComplete(Kind kind, String reference, String argument, SecurityIdentity caller) {
        boolean mayUse;
        CompletionInfo completion;
        if (kind == Kind.PROMPT) {
            mayUse = mayGetPrompt(reference, caller);
            completion = lookup(PromptCompletionManager.class, c -> c.getCompletion(reference, argument));
        } else {
            ResourceTemplateInfo template = lookup(ResourceTemplateManager.class, templates -> {
                for (ResourceTemplateInfo t : templates) {
                    if (t.uriTemplate().equals(reference)) {
                        return t;
                    }
                }
                return null;
            });
            mayUse = template != null && allowed(Kind.RESOURCE_TEMPLATE, template.name(), caller);
            completion = lookup(ResourceTemplateCompletionManager.class, c -> c.getCompletion(reference, argument));
        }
        // equal keys and equal argument names: equal references
        return mayUse && completion != null && completion.argumentName().equals(argument);
    }

    /** {@link #manager} and {@code find} on it; {@code null} also when the lookup fails (e.g. two of a name). */
    static <M, T> T lookup(Class<M> type, Function<M, T> find) {
        try {
            M manager = manager(type);
            return manager == null ? null : find.apply(manager);
        } catch (RuntimeException e) {
            LOG.warnf("Feature lookup in %s failed, treated as not found: %s", type.getSimpleName(), e.toString());
            return null;
        }
    }

    /**
     * The extension's manager of one kind of feature, or {@code null} when it has none. Looked up rather than
     * injected: injecting a feature manager makes the extension announce {@code listChanged} for its kind.
     */
    public static <M> M manager(Class<M> type) {
        InstanceHandle<M> handle = Arc.container().instance(type);
        return handle.isAvailable() ? handle.get() : null;
    }
}
