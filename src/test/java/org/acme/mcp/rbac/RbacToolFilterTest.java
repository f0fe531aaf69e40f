package org.acme.mcp.rbac;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.acme.mcp.identity.CallerClaims;
import org.acme.mcp.identity.CallerClaimsTest;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import io.quarkiverse.mcp.server.FilterContext;
import io.quarkiverse.mcp.server.McpMethod;
import io.quarkiverse.mcp.server.ToolManager.ToolInfo;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.mutiny.Uni;

/** The tool filter fails closed: the extension shows a tool whose filter throws, so this one must never throw. */
class RbacToolFilterTest {

    static final ToolPolicies POLICIES = new ToolPolicies(Map.of("open",
            new ToolPolicy("open", Set.of(), Set.of(), Optional.empty(), Set.of(), false, false)));

    static RbacToolFilter filterFor(Principal principal) {
        SecurityIdentity identity = QuarkusSecurityIdentity.builder().setPrincipal(principal).build();
        CurrentIdentityAssociation association = new CurrentIdentityAssociation() {
            @Override
            public void setIdentity(SecurityIdentity i) {
            }

            @Override
            public void setIdentity(Uni<SecurityIdentity> i) {
            }

            @Override
            public Uni<SecurityIdentity> getDeferredIdentity() {
                return Uni.createFrom().item(identity);
            }

            @Override
            public SecurityIdentity getIdentity() {
                return identity;
            }
        };
        return new RbacToolFilter(new ToolVisibility(POLICIES, new CallerClaims(CallerClaimsTest.DEFAULTS)), association);
    }

    static <T> T stub(Class<T> type, String method, Object value) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, m, args) -> {
            if (m.getName().equals(method)) {
                return value;
            }
            throw new UnsupportedOperationException(m.getName());
        }));
    }

    static void assertVisibility(RbacToolFilter filter, String tool, boolean expected) {
        ToolInfo info = stub(ToolInfo.class, "name", tool);
        for (McpMethod method : new McpMethod[] { McpMethod.TOOLS_LIST, McpMethod.TOOLS_CALL }) {
            boolean visible = filter.test(info, stub(FilterContext.class, "method", method));
            if (expected) {
                assertTrue(visible, method + " " + tool);
            } else {
                assertFalse(visible, method + " " + tool);
            }
        }
    }

    @Test
    void aNormalCallerSeesAnOpenTool() throws Exception {
        assertVisibility(filterFor(new DefaultJWTCallerPrincipal(JwtClaims.parse("{\"sub\":\"s\"}"))), "open", true);
    }

    @Test
    void aToolWithoutPolicyIsHidden() throws Exception {
        assertVisibility(filterFor(new DefaultJWTCallerPrincipal(JwtClaims.parse("{\"sub\":\"s\"}"))), "added-at-runtime",
                false);
    }

    @Test
    void anErrorWhileDecidingHidesTheTool() {
        JsonWebToken broken = (JsonWebToken) Proxy.newProxyInstance(JsonWebToken.class.getClassLoader(),
                new Class<?>[] { JsonWebToken.class }, (proxy, m, args) -> {
                    throw new IllegalStateException("claims unavailable");
                });
        assertVisibility(filterFor(broken), "open", false);
    }
}
