package org.acme.mcp.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The Caffeine classes our caches instantiate by name (cache and node class, chosen from the builder's options), for
 * the native image. quarkus-caffeine registers only the common combinations, and a missing one fails at the first
 * cache built. {@code CaffeineClassesTest} reads the classes of the live caches and fails when a builder changes.
 */
@RegisterForReflection(classNames = {
        "com.github.benmanes.caffeine.cache.SSMSA", // maximum size + access or variable expiry (rate limits, tokens)
        "com.github.benmanes.caffeine.cache.PSAMS", // its node with access expiry (rate-limit buckets)
        "com.github.benmanes.caffeine.cache.PSWMS", // its node with variable expiry (verified tokens)
        "com.github.benmanes.caffeine.cache.SSW", // write expiry only (token revocations)
        "com.github.benmanes.caffeine.cache.PSW", // its node
})
public final class CaffeineClasses {

    private CaffeineClasses() {
    }
}
