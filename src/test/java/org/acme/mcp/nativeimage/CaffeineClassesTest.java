package org.acme.mcp.nativeimage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.acme.mcp.limits.RateLimiter;
import org.acme.mcp.security.TokenRevocations;
import org.acme.mcp.security.VerifiedTokenCache;
import org.acme.mcp.support.TestIssuer;
import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.Cache;

import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every Caffeine class the running caches were built from is registered for the native image: change a cache's
 * builder options and this names the class to add to {@link CaffeineClasses}.
 */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class CaffeineClassesTest {

    @Inject
    RateLimiter rateLimiter;
    @Inject
    VerifiedTokenCache tokenCache;
    @Inject
    TokenRevocations revocations;

    @Test
    void everyCacheAndNodeClassInUseIsRegistered() throws ReflectiveOperationException {
        Set<String> used = new TreeSet<>();
        for (Object bean : new Object[] { rateLimiter, tokenCache, revocations }) {
            Object target = ClientProxy.unwrap(bean);
            for (Field field : target.getClass().getDeclaredFields()) {
                if (Cache.class.isAssignableFrom(field.getType())) {
                    field.setAccessible(true);
                    Object local = read(field.get(target), "cache"); // the bounded cache behind the facade
                    used.add(local.getClass().getName());
                    used.add(read(local, "nodeFactory").getClass().getName());
                }
            }
        }
        assertFalse(used.isEmpty());
        Set<String> registered = Set.of(CaffeineClasses.class.getAnnotation(RegisterForReflection.class).classNames());
        for (String name : used) {
            assertTrue(registered.contains(name), name + " is used by a cache but not registered in CaffeineClasses");
        }
    }

    private static Object read(Object owner, String name) throws ReflectiveOperationException {
        for (Class<?> type = owner.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(owner);
            } catch (NoSuchFieldException e) {
                // declared higher up
            }
        }
        throw new NoSuchFieldException(name + " in " + owner.getClass());
    }
}
