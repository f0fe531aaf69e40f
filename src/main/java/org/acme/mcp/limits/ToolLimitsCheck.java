package org.acme.mcp.limits;

import java.util.List;
import java.util.Set;

import jakarta.inject.Singleton;

import org.acme.mcp.rbac.ToolPolicies;

import io.quarkus.runtime.Startup;

/**
 * Stops start-up when a limit is not positive, {@code mcp.limits.tools} names a tool that does not exist, or a tool
 * outside the server-wide cap has no cap of its own.
 */
@Startup
@Singleton
public class ToolLimitsCheck {

    ToolLimitsCheck(LimitsConfig config, ToolPolicies policies) {
        check(config, policies.all().keySet()); // every tool has a policy, or start-up has failed already
    }

    static void check(LimitsConfig config, Set<String> tools) {
        List<String> unknown = config.tools().keySet().stream().filter(name -> !tools.contains(name)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("mcp.limits.tools names no tool: " + unknown + "; tools: "
                    + tools.stream().sorted().toList());
        }
        boolean positive = config.callerLimit() > 0 && config.clientLimit() > 0 && config.maxConcurrentCalls() > 0
                && config.maxConcurrentCallsPerCaller() > 0 && !config.toolTimeout().isNegative()
                && !config.toolTimeout().isZero()
                && config.tools().values().stream().allMatch(t -> t.limit().orElse(1) > 0
                        && t.maxConcurrentCalls().orElse(1) > 0 && t.timeout().map(d -> d.toMillis() > 0).orElse(true));
        if (!positive) {
            throw new IllegalStateException("mcp.limits: every limit, cap and timeout must be positive");
        }
        config.tools().forEach((tool, limits) -> {
            if (limits.outsideServerCap() && limits.maxConcurrentCalls().isEmpty()) {
                throw new IllegalStateException("mcp.limits.tools.\"" + tool + "\".outside-server-cap needs"
                        + " mcp.limits.tools.\"" + tool + "\".max-concurrent-calls to bound its calls");
            }
        });
    }
}
