package org.acme.mcp.rbac;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.mcp.server.Prompt;
import io.quarkiverse.mcp.server.Resource;
import io.quarkiverse.mcp.server.ResourceTemplate;
import io.quarkiverse.mcp.server.runtime.FeatureMetadata;
import io.quarkiverse.mcp.server.runtime.FeatureMethodInfo;
import io.quarkiverse.mcp.server.runtime.McpMetadata;
import io.quarkus.runtime.Startup;

/**
 * The policies of prompts, resources and resource templates, declared with the annotations tools use and required
 * like theirs: start-up fails, naming them, when one declares none. Enforced by {@link FeatureGate} and
 * {@link RbacFeatureFilter}. Operator overrides and scope or step-up challenges are for tools only: a prompt or
 * resource its caller may not fully use is hidden. One registered at run time has no policy and is hidden from
 * everyone.
 */
@Startup
@Singleton
public class FeaturePolicies {

    /** The kinds of feature besides tools, with the annotation that declares one. */
    public enum Kind {
        PROMPT("Prompt", Prompt.class),
        RESOURCE("Resource", Resource.class),
        RESOURCE_TEMPLATE("Resource template", ResourceTemplate.class);

        final String label;
        final Class<? extends Annotation> annotation;

        Kind(String label, Class<? extends Annotation> annotation) {
            this.label = label;
            this.annotation = annotation;
        }
    }

    private final Map<Kind, Map<String, ToolPolicy>> policies;

    @Inject
    FeaturePolicies(McpMetadata metadata) {
        Map<Kind, List<FeatureMethodInfo>> features = new EnumMap<>(Kind.class);
        features.put(Kind.PROMPT, infos(metadata.prompts()));
        features.put(Kind.RESOURCE, infos(metadata.resources()));
        features.put(Kind.RESOURCE_TEMPLATE, infos(metadata.resourceTemplates()));
        this.policies = build(features);
    }

    /** The policy of a feature, or {@code null} when it has none (then nobody may use it). */
    public ToolPolicy policy(Kind kind, String name) {
        return policies.get(kind).get(name);
    }

    static Map<Kind, Map<String, ToolPolicy>> build(Map<Kind, List<FeatureMethodInfo>> features) {
        Map<Kind, Map<String, ToolPolicy>> result = new EnumMap<>(Kind.class);
        List<String> undeclared = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            Map<String, ToolPolicy> ofKind = new LinkedHashMap<>();
            for (FeatureMethodInfo feature : features.getOrDefault(kind, List.of())) {
                declaredPolicy(kind, feature).ifPresentOrElse(p -> ofKind.put(feature.name(), p),
                        () -> undeclared.add(kind.label + " " + feature.name() + " (" + feature.declaringClassName()
                                + "#" + feature.methodName() + ")"));
            }
            result.put(kind, Map.copyOf(ofKind));
        }
        if (!undeclared.isEmpty()) {
            throw new IllegalStateException("Prompts or resources without an authorization policy: " + undeclared
                    + ". Annotate each with @RequiresScopes and/or @RequiresRoles, or with @AnyAuthenticatedCaller"
                    + " to open it to every authenticated caller on purpose.");
        }
        return result;
    }

    private static Optional<ToolPolicy> declaredPolicy(Kind kind, FeatureMethodInfo feature) {
        Class<?> type = ToolPolicies.declaringClass(feature);
        List<Method> candidates = Arrays.stream(type.getDeclaredMethods())
                .filter(m -> m.getName().equals(feature.methodName()) && m.isAnnotationPresent(kind.annotation))
                .toList();
        if (candidates.size() != 1) {
            throw new IllegalStateException("Cannot tell which method declares " + kind.label.toLowerCase() + " "
                    + feature.name() + " in " + type.getName() + "; give it a method name of its own");
        }
        return ToolPolicies.annotatedPolicy(kind.label + " " + feature.name(), feature.name(), candidates.get(0), type);
    }

    private static List<FeatureMethodInfo> infos(List<? extends FeatureMetadata<?>> features) {
        return features.stream().map(f -> f.info()).toList();
    }
}
