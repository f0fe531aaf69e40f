package org.acme.mcp.rbac;

import java.time.Clock;
import java.util.Map;

import jakarta.inject.Singleton;

import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.rbac.FeaturePolicies.Kind;
import org.acme.mcp.security.BenchmarkMode;
import org.acme.mcp.transport.RequestBodyGuard;
import org.jboss.logging.Logger;

import io.quarkiverse.mcp.server.FilterContext;
import io.quarkiverse.mcp.server.McpMethod;
import io.quarkiverse.mcp.server.PromptFilter;
import io.quarkiverse.mcp.server.PromptManager.PromptInfo;
import io.quarkiverse.mcp.server.ResourceFilter;
import io.quarkiverse.mcp.server.ResourceManager.ResourceInfo;
import io.quarkiverse.mcp.server.ResourceTemplateFilter;
import io.quarkiverse.mcp.server.ResourceTemplateManager.ResourceTemplateInfo;
import io.quarkus.arc.Arc;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Prompt, resource and resource-template visibility per caller ({@link FeaturePolicies}): listed and usable only when
 * fully allowed, otherwise answered like one that does not exist (a refused get or read is audited). Fails closed: the
 * extension treats a throwing filter as "visible", so every error here is caught and hides the feature.
 */
@Singleton
public class RbacFeatureFilter implements PromptFilter, ResourceFilter, ResourceTemplateFilter {

    private static final Logger LOG = Logger.getLogger(RbacFeatureFilter.class);
    private static final String AUDITED_KEY = RbacFeatureFilter.class.getName() + ".audited/";

    private final FeaturePolicies policies;
    private final CallerClaims claims;
    private final CurrentIdentityAssociation identity;
    private final AuditLog audit;
    private final CurrentVertxRequest request;
    private final ToolAuthorizer authorizer = new ToolAuthorizer(Clock.systemUTC());
    private final boolean unsecured;

    RbacFeatureFilter(FeaturePolicies policies, CallerClaims claims, CurrentIdentityAssociation identity,
            AuditLog audit, CurrentVertxRequest request, BenchmarkMode mode) {
        this.policies = policies;
        this.claims = claims;
        this.identity = identity;
        this.audit = audit;
        this.request = request;
        this.unsecured = mode.unsecured();
    }

    @Override
    public boolean test(PromptInfo prompt, FilterContext context) {
        return allowed(Kind.PROMPT, prompt.name(), context);
    }

    @Override
    public boolean test(ResourceInfo resource, FilterContext context) {
        return allowed(Kind.RESOURCE, resource.name(), context);
    }

    @Override
    public boolean test(ResourceTemplateInfo template, FilterContext context) {
        return allowed(Kind.RESOURCE_TEMPLATE, template.name(), context);
    }

    /** Lists just leave the feature out; a refused {@code prompts/get} or {@code resources/read} is audited. */
    private boolean allowed(Kind kind, String name, FilterContext context) {
        if (unsecured) {
            return true;
        }
        try {
            SecurityIdentity caller = identity.getIdentity();
            boolean allowed = allowed(kind, name, caller);
            if (!allowed) {
                auditIfFetched(kind, name, caller, context);
            }
            return allowed;
        } catch (RuntimeException e) {
            LOG.errorf("Filter failed for %s %s, hiding it: %s", kind, name, e.toString());
            return false;
        }
    }

    /**
     * Audits a refused {@code prompts/get} or {@code resources/read}, once per request (the extension asks more than
     * once). The method is read from the request itself: the extension labels the filter context of
     * {@code prompts/list} as a get too.
     */
    private void auditIfFetched(Kind kind, String name, SecurityIdentity caller, FilterContext context) {
        RoutingContext http = Arc.container().requestContext().isActive() ? request.getCurrent() : null;
        JsonObject message = http == null ? null : RequestBodyGuard.message(http);
        Object method = message == null ? null : message.getValue("method");
        boolean fetch = "prompts/get".equals(method) || "resources/read".equals(method)
                || method == null && context.method() == McpMethod.RESOURCES_READ;
        String once = AUDITED_KEY + kind + "/" + name;
        if (!fetch || http != null && http.get(once) != null) {
            return;
        }
        if (http != null) {
            http.put(once, Boolean.TRUE);
        }
        Map<String, String> attrs = AuditAttributes.caller(caller);
        attrs.put(kind == Kind.PROMPT ? "mcp.prompt.name" : "mcp.resource.name", name);
        attrs.put("reason", "not permitted");
        audit.record(kind == Kind.PROMPT ? "prompt.get" : "resource.read", "denied", attrs);
    }

    /** Whether {@code caller} may see and use the feature. */
    public boolean allowed(Kind kind, String name, SecurityIdentity caller) {
        try {
            ToolPolicy policy = policies.policy(kind, name);
            return claims.of(caller)
                    .map(c -> authorizer.decide(policy, c) instanceof Decision.Allowed).orElse(false);
        } catch (RuntimeException e) {
            LOG.errorf("Filter failed for %s %s, hiding it: %s", kind, name, e.toString());
            return false;
        }
    }
}
