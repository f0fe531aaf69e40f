package org.acme.mcp.limits;

import java.util.concurrent.TimeUnit;

import org.acme.mcp.fleet.FleetStore;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.vertx.core.Future;

/**
 * Budgets counted once for the whole fleet: the bucket is in Redis ({@link FleetStore#lease}), and this replica
 * leases a slice of its tokens, spends them locally, and leases again when they run out. The fleet never grants
 * more than the budget: a token is spent by at most one replica.
 * <p>
 * The slice adapts to the caller's pace: one token at first, doubled while the slices run out quickly (so a busy
 * caller costs a Redis round trip every few dozen requests), halved when they do not, and never more than 1/8 of a
 * replica's fair share of the budget, which bounds what can sit unused on one replica while the caller moves to
 * another. A slice is only good for one period, so no replica hoards a burst.
 */
final class FleetLeases {

    /** A slice used up faster than this was too small. */
    private static final long QUICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** The tokens this replica holds of one fleet bucket. */
    private static final class Lease {
        int tokens;
        long expiresAt;
        long leasedAt;
        int next = 1;
    }

    private final FleetStore fleet;
    private final Cache<String, Lease> leases;

    FleetLeases(FleetStore fleet, int maxTracked) {
        this.fleet = fleet;
        this.leases = Caffeine.newBuilder().maximumSize(maxTracked).expireAfterAccess(10, TimeUnit.MINUTES)
                .executor(Runnable::run).build();
    }

    /** One token of {@code budget} for {@code key}: locally when a slice has one, else after a lease. */
    Future<RateLimiter.Take> take(RateLimiter.Budget budget, String key) {
        String id = budget.name() + ':' + key;
        Lease lease = leases.get(id, k -> new Lease());
        long now = System.nanoTime();
        int want;
        synchronized (lease) {
            if (lease.tokens > 0 && now - lease.expiresAt < 0) {
                lease.tokens--;
                return Future.succeededFuture(taken(lease));
            }
            want = lease.next;
        }
        return fleet.lease(id, budget.limit(), budget.period(), want).map(grant -> {
            long leased = System.nanoTime();
            synchronized (lease) {
                if (now - lease.expiresAt >= 0) {
                    lease.tokens = 0; // an expired slice's leftovers are not spent
                }
                int fairShare = Math.max(1, budget.limit() / (fleet.replicas() * 8));
                lease.next = grant.tokens() >= want && leased - lease.leasedAt < QUICK_NANOS
                        ? Math.min(fairShare, want * 2)
                        : Math.max(1, want / 2);
                lease.leasedAt = leased;
                lease.expiresAt = leased + budget.period().toNanos();
                lease.tokens += grant.tokens();
                if (lease.tokens > 0) {
                    lease.tokens--;
                    return taken(lease);
                }
            }
            return new RateLimiter.Take(false, TimeUnit.MILLISECONDS.toNanos(grant.retryAfterMillis()), null);
        });
    }

    private static RateLimiter.Take taken(Lease lease) {
        return new RateLimiter.Take(true, 0, () -> {
            synchronized (lease) {
                lease.tokens++;
            }
        });
    }
}
