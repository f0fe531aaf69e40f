package org.acme.mcp.guard;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.inject.Singleton;

import org.acme.mcp.pipeline.ToolNames;
import org.acme.mcp.rbac.ToolPolicies;

import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.runtime.FeatureMethodInfo;
import io.quarkiverse.mcp.server.runtime.McpMetadata;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;

/**
 * Stops start-up when {@code mcp.guard.tools} names a tool that does not exist, when a limit is not positive, when
 * a tool declared to have untrusted output returns a type {@link Spotlighting} cannot mark (its results would
 * otherwise reach the client unmarked), or when the local detector's word lists or classifier cannot be loaded (it is
 * built here, at start, not at the first call).
 */
@Startup(ObserverMethod.DEFAULT_PRIORITY + 500) // after the other checks: loading the word lists takes a moment
@Singleton
public class GuardConfigCheck {

    GuardConfigCheck(GuardConfig config, ToolPolicies policies, McpMetadata metadata, LocalInjectionDetector local) {
        Set<String> tools = policies.all().keySet(); // every tool has a policy, or start-up has failed already
        List<String> unknown = config.tools().keySet().stream().filter(name -> !tools.contains(name)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("mcp.guard.tools names no tool: " + unknown + "; tools: "
                    + tools.stream().sorted().toList());
        }
        if (config.local().maxArgumentChars() <= 0 || config.local().maxEncodedRun() <= 0) {
            throw new IllegalStateException("mcp.guard.local: max-argument-chars and max-encoded-run must be positive");
        }
        List<String> unmarkable = new ArrayList<>();
        for (FeatureMethodInfo info : metadata.tools().stream().map(t -> t.info()).toList()) {
            Method method = method(info);
            if (ToolCallGuardInterceptor.untrustedOutput(method, info.name(), config) && !markable(method)) {
                unmarkable.add(info.name() + " returns " + method.getGenericReturnType().getTypeName());
            }
        }
        if (!unmarkable.isEmpty()) {
            throw new IllegalStateException("Tools with untrusted output must return String, Content, ToolResponse,"
                    + " a List of them, or a Uni/CompletionStage of these, so that the output can be marked: "
                    + unmarkable);
        }
    }

    private static boolean markable(Method method) {
        Class<?> type = method.getReturnType();
        Type generic = method.getGenericReturnType();
        if ((Uni.class.isAssignableFrom(type) || CompletionStage.class.isAssignableFrom(type))
                && generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> inner) {
            return Spotlighting.supports(inner);
        }
        return Spotlighting.supports(type);
    }

    private static Method method(FeatureMethodInfo info) {
        try {
            Class<?> type = Class.forName(info.declaringClassName(), false, Thread.currentThread().getContextClassLoader());
            return Arrays.stream(type.getDeclaredMethods())
                    .filter(m -> m.getName().equals(info.methodName()) && m.isAnnotationPresent(Tool.class))
                    .filter(m -> ToolNames.toolName(m).equals(info.name()))
                    .findFirst().orElseThrow(() -> new IllegalStateException("No method for tool " + info.name()));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Tool class not found: " + info.declaringClassName(), e);
        }
    }
}
