package org.acme.mcp.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.ext.web.RoutingContext;

/**
 * A token-cache hit must show the request being served, never the one that verified the token: whatever reads the
 * request through the identity (quarkus-oidc, HTTP permission checks) would otherwise act on another caller's request.
 */
class RequestIdentityTest {

    /** A routing context that answers {@code get} from {@code data}: all a cache hit asks of it. */
    static RoutingContext request(String name, Map<String, Object> data) {
        return (RoutingContext) Proxy.newProxyInstance(RoutingContext.class.getClassLoader(),
                new Class<?>[] { RoutingContext.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "get" -> data.get((String) args[0]);
                    case "toString" -> name;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aCacheHitSeesTheCurrentRequestAndTheCachedCaller() {
        RoutingContext verifying = request("verifying", Map.of(RequestIdentity.REQUEST_CONTEXT, "verifying-auth"));
        RoutingContext current = request("current", Map.of(RequestIdentity.REQUEST_CONTEXT, "current-auth"));
        SecurityIdentity cached = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("alice"))
                .addRole("mcp-reader").addAttribute(RequestIdentity.ROUTING_CONTEXT, verifying)
                .addAttribute(RequestIdentity.REQUEST_CONTEXT, "verifying-auth").addAttribute("scope", "mcp.read")
                .build();

        SecurityIdentity hit = new RequestIdentity(cached, current);

        assertSame(current, hit.getAttribute(RequestIdentity.ROUTING_CONTEXT));
        assertEquals("current-auth", hit.getAttribute(RequestIdentity.REQUEST_CONTEXT));
        Map<String, Object> all = hit.getAttributes();
        assertSame(current, all.get(RequestIdentity.ROUTING_CONTEXT));
        assertEquals("current-auth", all.get(RequestIdentity.REQUEST_CONTEXT));
        assertEquals("mcp.read", all.get("scope"));
        assertThrows(UnsupportedOperationException.class, () -> all.put("scope", "admin"), "attributes are read-only");

        assertEquals("mcp.read", hit.getAttribute("scope"));
        assertSame(cached.getPrincipal(), hit.getPrincipal());
        assertEquals(Set.of("mcp-reader"), hit.getRoles());
        assertTrue(hit.hasRole("mcp-reader"));
        assertEquals(cached.isAnonymous(), hit.isAnonymous());
    }
}
