package org.acme.mcp.rbac;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.acme.mcp.api.AnyAuthenticatedCaller;
import org.acme.mcp.api.RequiresApproval;
import org.acme.mcp.api.RequiresRecentAuthentication;
import org.acme.mcp.api.RequiresRoles;
import org.acme.mcp.api.RequiresScopes;
import org.acme.mcp.pipeline.ToolNames;
import org.jboss.logging.Logger;

import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.runtime.FeatureMethodInfo;
import io.quarkiverse.mcp.server.runtime.McpMetadata;
import io.quarkus.runtime.Startup;

/**
 * The policy of every tool, read once at start-up from the annotations on the tool methods (or their classes) and
 * tightened by operator overrides ({@code mcp.rbac.tools.*}).
 * <p>
 * Secure by default: start-up fails, naming the tools, when a tool declares no policy or an override names no tool.
 * A tool registered later without going through here has no policy and is therefore hidden from everyone.
 */
@Startup
@Singleton
public class ToolPolicies {

    private static final Logger LOG = Logger.getLogger(ToolPolicies.class);

    private final Map<String, ToolPolicy> policies;

    @Inject
    ToolPolicies(McpMetadata metadata, RbacConfig config) {
        this(build(metadata.tools().stream().map(t -> t.info()).toList(), config));
    }

    /** For tests: fixed policies. */
    ToolPolicies(Map<String, ToolPolicy> policies) {
        this.policies = Map.copyOf(policies);
        policies.values().forEach(p -> LOG.debugf("Tool policy: %s", p));
    }

    /** The policy of a tool, or {@code null} when the tool has none (then nobody may use it). */
    public ToolPolicy policy(String tool) {
        return policies.get(tool);
    }

    /** Every scope some tool requires, for the protected-resource metadata. */
    public Set<String> requiredScopes() {
        Set<String> scopes = new TreeSet<>();
        policies.values().forEach(p -> scopes.addAll(p.scopes()));
        return scopes;
    }

    public Map<String, ToolPolicy> all() {
        return Collections.unmodifiableMap(policies);
    }

    static Map<String, ToolPolicy> build(List<FeatureMethodInfo> tools, RbacConfig config) {
        Map<String, ToolPolicy> result = new LinkedHashMap<>();
        List<String> undeclared = new ArrayList<>();
        for (FeatureMethodInfo tool : tools) {
            Optional<ToolPolicy> declared = declaredPolicy(tool);
            if (declared.isEmpty()) {
                undeclared.add(tool.name() + " (" + tool.declaringClassName() + "#" + tool.methodName() + ")");
                continue;
            }
            ToolPolicy policy = declared.get();
            RbacConfig.ToolOverride override = config.tools().get(tool.name());
            result.put(tool.name(), override == null ? policy : policy.tightenedBy(override));
        }
        if (!undeclared.isEmpty()) {
            throw new IllegalStateException("Tools without an authorization policy: " + undeclared
                    + ". Annotate each with @RequiresScopes and/or @RequiresRoles, or with @AnyAuthenticatedCaller"
                    + " to open it to every authenticated caller on purpose.");
        }
        List<String> unknown = config.tools().keySet().stream().filter(name -> !result.containsKey(name)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalStateException(
                    "mcp.rbac.tools overrides name no tool: " + unknown + "; tools: " + result.keySet());
        }
        return result;
    }

    static Optional<ToolPolicy> declaredPolicy(FeatureMethodInfo tool) {
        Class<?> type = declaringClass(tool);
        // match the @Tool name, not just the Java name: overloads may declare different tools
        List<Method> candidates = Arrays.stream(type.getDeclaredMethods())
                .filter(m -> m.getName().equals(tool.methodName()) && m.isAnnotationPresent(Tool.class))
                .filter(m -> ToolNames.toolName(m).equals(tool.name()))
                .toList();
        if (candidates.size() != 1) {
            throw new IllegalStateException("Cannot tell which method declares tool " + tool.name() + " in "
                    + type.getName() + "; give each tool an explicit, unique @Tool(name)");
        }
        return annotatedPolicy("Tool " + tool.name(), tool.name(), candidates.get(0), type);
    }

    static Class<?> declaringClass(FeatureMethodInfo feature) {
        try {
            return Class.forName(feature.declaringClassName(), false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Feature class not found: " + feature.declaringClassName(), e);
        }
    }

    /**
     * The policy the annotations on {@code method} (or its class) declare for feature {@code name}; empty when there
     * are none. {@code what} names the feature in errors.
     */
    static Optional<ToolPolicy> annotatedPolicy(String what, String name, Method method, Class<?> type) {
        RequiresScopes scopes = find(method, type, RequiresScopes.class);
        RequiresRoles roles = find(method, type, RequiresRoles.class);
        RequiresRecentAuthentication recent = find(method, type, RequiresRecentAuthentication.class);
        boolean open = find(method, type, AnyAuthenticatedCaller.class) != null;
        if (scopes == null && roles == null && !open) {
            return Optional.empty();
        }
        if (open && (scopes != null || roles != null)) {
            throw new IllegalStateException(what + " is both @AnyAuthenticatedCaller and restricted; keep one of them");
        }
        return Optional.of(new ToolPolicy(name,
                scopes == null ? Set.of() : Set.of(scopes.value()),
                roles == null ? Set.of() : Set.of(roles.value()),
                recent == null || recent.maxAgeSeconds() <= 0 ? Optional.empty()
                        : Optional.of(Duration.ofSeconds(recent.maxAgeSeconds())),
                recent == null ? Set.of() : Set.of(recent.acr()),
                false, find(method, type, RequiresApproval.class) != null));
    }

    /** The method's annotation wins over the class's. */
    private static <A extends java.lang.annotation.Annotation> A find(Method method, AnnotatedElement type, Class<A> kind) {
        A onMethod = method.getAnnotation(kind);
        return onMethod != null ? onMethod : type.getAnnotation(kind);
    }
}
