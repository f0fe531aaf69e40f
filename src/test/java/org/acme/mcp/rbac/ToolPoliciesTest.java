package org.acme.mcp.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.acme.mcp.api.AnyAuthenticatedCaller;
import org.acme.mcp.api.RequiresRoles;
import org.junit.jupiter.api.Test;

import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.runtime.FeatureMethodInfo;
import io.quarkus.arc.properties.IfBuildProperty;

/** Policies are read from the method that declares the tool, even among Java overloads. */
class ToolPoliciesTest {

    /** Two tools on overloads of one Java method: each must get its own policy. Never part of a test app. */
    @IfBuildProperty(name = "test.never", stringValue = "on")
    static class Overloads {
        @Tool(name = "purge", description = "x")
        @RequiresRoles("admin")
        String op(String target) {
            return target;
        }

        @Tool(name = "peek", description = "x")
        @AnyAuthenticatedCaller
        String op() {
            return "";
        }
    }

    static FeatureMethodInfo info(String name, Class<?> type, String method) {
        return new FeatureMethodInfo(name, null, "x", null, null, 0, List.of(), type.getName(), method, null, null,
                Set.of("<default>"), null, null, null, Map.of(), List.of(), List.of(), null);
    }

    static final RbacConfig NO_OVERRIDES = Map::of;

    @Test
    void overloadsGetTheirOwnPolicies() {
        Map<String, ToolPolicy> policies = ToolPolicies.build(List.of(info("purge", Overloads.class, "op"),
                info("peek", Overloads.class, "op")), NO_OVERRIDES);
        assertEquals(Set.of("admin"), policies.get("purge").roles());
        assertTrue(policies.get("peek").roles().isEmpty() && policies.get("peek").scopes().isEmpty());
    }

    @IfBuildProperty(name = "test.never", stringValue = "on")
    static class Forgotten {
        @Tool(name = "forgotten", description = "x")
        String forgotten() {
            return "";
        }
    }

    @Test
    void anUndeclaredToolStopsTheBuildOfPolicies() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ToolPolicies.build(List.of(info("forgotten", Forgotten.class, "forgotten")), NO_OVERRIDES));
        assertTrue(e.getMessage().startsWith("Tools without an authorization policy: [forgotten"), e.getMessage());
    }
}
