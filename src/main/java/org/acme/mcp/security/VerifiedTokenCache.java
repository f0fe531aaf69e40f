package org.acme.mcp.security;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

import jakarta.inject.Singleton;

import org.acme.mcp.audit.Redaction;
import org.acme.mcp.identity.CallerIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.ext.web.RoutingContext;

/**
 * Identities of access tokens that passed full validation, keyed by the token's SHA-256 (the token itself is not
 * kept). An entry lives until the token's {@code exp} and at most {@code mcp.security.token.cache.max-ttl}; the cache
 * holds at most {@code max-entries}. Revocations ({@link TokenRevocations}) are checked on every request, hit or miss.
 * <p>
 * Only the signature, issuer, audience and lifetime checks are skipped on a hit: the token is byte-for-byte one that
 * passed them before it expires.
 */
@Singleton
public class VerifiedTokenCache {

    private record Entry(SecurityIdentity identity, long expiresAtNanos) {
    }

    private final boolean enabled;
    private final Cache<String, Entry> cache;
    private final Duration maxTtl;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    VerifiedTokenCache(SecurityConfig config) {
        SecurityConfig.Cache settings = config.token().cache();
        this.enabled = settings.enabled();
        this.maxTtl = settings.maxTtl();
        // executor: maintenance (eviction, buffer draining) on the calling thread; the default hands it to the
        // common pool, waking one of its threads every few requests, and that hand-off costs more than the work
        this.cache = Caffeine.newBuilder().maximumSize(settings.maxEntries()).expireAfter(new Expiry<String, Entry>() {
            @Override
            public long expireAfterCreate(String key, Entry entry, long now) {
                return Math.max(0, entry.expiresAtNanos() - System.nanoTime());
            }

            @Override
            public long expireAfterUpdate(String key, Entry entry, long now, long current) {
                return expireAfterCreate(key, entry, now);
            }

            @Override
            public long expireAfterRead(String key, Entry entry, long now, long current) {
                return current;
            }
        }).executor(Runnable::run).build();
    }

    /** The identity {@code token} was verified to before, for this request, or {@code null}. */
    public SecurityIdentity get(String token, RoutingContext request) {
        if (!enabled) {
            return null;
        }
        Entry entry = cache.getIfPresent(key(token));
        if (entry == null || System.nanoTime() - entry.expiresAtNanos() >= 0) {
            misses.increment();
            return null;
        }
        hits.increment();
        return new RequestIdentity(entry.identity(), request);
    }

    /** Remembers a verified token's identity until its expiry (bounded by the max TTL). */
    public void put(String token, SecurityIdentity identity) {
        if (!enabled || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return;
        }
        long secondsLeft = jwt.getExpirationTime() - System.currentTimeMillis() / 1000;
        long ttlNanos = Math.min(Duration.ofSeconds(secondsLeft).toNanos(), maxTtl.toNanos());
        if (ttlNanos <= 0) {
            return;
        }
        // the request that verified it is not kept alive by the cache (nor its body buffers)
        SecurityIdentity detached = QuarkusSecurityIdentity.builder(identity)
                .addAttribute(RequestIdentity.ROUTING_CONTEXT, null)
                .addAttribute(RequestIdentity.REQUEST_CONTEXT, null).build();
        cache.put(key(token), new Entry(detached, System.nanoTime() + ttlNanos));
    }

    /** Drops every cached token of a caller (issuer + subject key). */
    public void invalidateCaller(String callerKey) {
        cache.asMap().values().removeIf(e -> callerKey.equals(CallerIdentity.key(e.identity())));
    }

    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    private static String key(String token) {
        return Redaction.sha256(token);
    }
}
