package org.acme.mcp.limits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;

import org.acme.mcp.fleet.FleetStore;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.vertx.core.Future;

/**
 * Token-bucket rates: requests per caller, and tool calls per caller, per client and, where configured, per caller and
 * tool. A call takes one token from each tool-call bucket that applies, or from none: when a later bucket is empty the
 * earlier ones get theirs back, so a refused call costs the caller nothing.
 * <p>
 * One replica keeps its buckets in bounded caches ({@link LimitsConfig#maxTrackedCallers()}), dropped after a period
 * without calls. A fleet ({@link FleetStore#shared()}) counts each budget once for all replicas: the bucket lives in
 * Redis and a replica leases tokens from it, a few at a time ({@link FleetLeases}), so most requests are decided
 * locally and the fleet never grants more than the budget. While Redis cannot be reached, each replica grants
 * 1/{@code mcp.fleet.replicas} of every budget from buckets of its own.
 * <p>
 * A verdict may need a lease from Redis: it comes as a {@link Future}, already complete when decided locally.
 */
@Singleton
public class RateLimiter {

    /**
     * What was decided; {@code limit} names the exhausted budget, {@code retryAfter} when it has a token again, and
     * {@code repeated} whether the caller's previous request was refused by it too (request budget only).
     */
    public record Verdict(boolean allowed, String limit, Duration retryAfter, boolean repeated) {

        static final Verdict ALLOWED = new Verdict(true, null, Duration.ZERO, false);
    }

    /** One token taken, or the wait until there is one; {@code giveBack} undoes a take. */
    record Take(boolean taken, long nanosToWait, Runnable giveBack) {
    }

    /** One budget: its name in verdicts and Redis, its limit and period. */
    record Budget(String name, int limit, Duration period) {
    }

    private static final Future<Verdict> ALLOWED = Future.succeededFuture(Verdict.ALLOWED);

    private final LimitsConfig config;
    private final FleetStore fleet;
    private final FleetLeases leases;
    /** Per budget kind, this replica's buckets: all of it alone, 1/replicas of it in a fleet without Redis. */
    private final Cache<String, Bucket> callers;
    private final Cache<String, Bucket> clients;
    private final Cache<String, Bucket> toolCallers;
    private final Cache<String, Bucket> requests;
    /** Callers whose last request was refused: a run of refusals is audited once. */
    private final Cache<String, AtomicBoolean> refusing;
    private final Budget requestBudget;
    private final Budget callerBudget;
    private final Budget clientBudget;
    private final Map<String, Budget> toolBudgets;

    RateLimiter(LimitsConfig config, FleetStore fleet) {
        this.config = config;
        this.fleet = fleet;
        this.leases = fleet.shared() ? new FleetLeases(fleet, config.maxTrackedCallers()) : null;
        this.callers = cache(config.callerPeriod());
        this.clients = cache(config.clientPeriod());
        Duration longestToolPeriod = config.tools().values().stream().map(LimitsConfig.Tool::period)
                .max(Duration::compareTo).orElse(Duration.ofMinutes(1));
        this.toolCallers = cache(longestToolPeriod);
        this.requests = cache(config.requestPeriod());
        this.refusing = cache(config.requestPeriod());
        this.requestBudget = new Budget("requests", config.requestLimit(), config.requestPeriod());
        this.callerBudget = new Budget("caller", config.callerLimit(), config.callerPeriod());
        this.clientBudget = new Budget("client", config.clientLimit(), config.clientPeriod());
        Map<String, Budget> tools = new HashMap<>();
        config.tools().forEach((tool, limits) -> limits.limit()
                .ifPresent(limit -> tools.put(tool, new Budget("tool", limit, limits.period()))));
        this.toolBudgets = Map.copyOf(tools);
    }

    /** Takes one request from the budget of {@code caller} (never null). */
    public Future<Verdict> tryRequest(String caller) {
        return take(requests, requestBudget, caller).map(take -> {
            if (take.taken()) {
                AtomicBoolean refused = refusing.getIfPresent(caller);
                if (refused != null && refused.get()) { // read first: no write, no cache-line ping-pong
                    refused.set(false);
                }
                return Verdict.ALLOWED;
            }
            boolean repeated = !refusing.get(caller, k -> new AtomicBoolean()).compareAndSet(false, true);
            return new Verdict(false, "requests", Duration.ofNanos(take.nanosToWait()), repeated);
        });
    }

    /**
     * Takes one call from the budgets of {@code caller} (never null), {@code client} (null: none) and the caller's
     * budget for {@code tool}.
     */
    public Future<Verdict> tryCall(String caller, String client, String tool) {
        List<Runnable> taken = new ArrayList<>(3);
        Future<Verdict> verdict = ALLOWED;
        Budget toolBudget = toolBudgets.get(tool);
        if (toolBudget != null) {
            verdict = then(verdict, toolCallers, toolBudget, tool + '\n' + caller, taken);
        }
        verdict = then(verdict, callers, callerBudget, caller, taken);
        if (client != null) {
            verdict = then(verdict, clients, clientBudget, client, taken);
        }
        return verdict;
    }

    private Future<Verdict> then(Future<Verdict> previous, Cache<String, Bucket> local, Budget budget, String key,
            List<Runnable> taken) {
        return previous.compose(verdict -> {
            if (!verdict.allowed()) {
                return Future.succeededFuture(verdict);
            }
            return take(local, budget, key).map(take -> {
                if (take.taken()) {
                    taken.add(take.giveBack());
                    return Verdict.ALLOWED;
                }
                taken.forEach(Runnable::run); // refused: give back what this call took
                return new Verdict(false, budget.name(), Duration.ofNanos(take.nanosToWait()), false);
            });
        });
    }

    /** From the fleet's bucket while Redis answers, else from this replica's (its share of the budget). */
    private Future<Take> take(Cache<String, Bucket> local, Budget budget, String key) {
        if (leases != null && fleet.reachable()) {
            Future<Take> leased = leases.take(budget, key);
            return leased.succeeded() ? leased // the usual case: from this replica's slice, no Redis round trip
                    : leased.recover(unreachable -> Future.succeededFuture(takeLocal(local, budget, key)));
        }
        return Future.succeededFuture(takeLocal(local, budget, key));
    }

    private Take takeLocal(Cache<String, Bucket> local, Budget budget, String key) {
        int limit = leases == null ? budget.limit() : Math.max(1, budget.limit() / fleet.replicas());
        Bucket bucket = local.get(key, k -> bucket(limit, budget.period()));
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return new Take(probe.isConsumed(), probe.getNanosToWaitForRefill(), () -> bucket.addTokens(1));
    }

    private static Bucket bucket(int limit, Duration period) {
        // one caller's bucket is rarely contended: updating it under a lock beats copying its state per call
        return Bucket.builder().addLimit(l -> l.capacity(limit).refillGreedy(limit, period))
                .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED).build();
    }

    private <V> Cache<String, V> cache(Duration idle) {
        // an idle bucket is full again after one period: dropping it then changes nothing
        return Caffeine.newBuilder().maximumSize(config.maxTrackedCallers())
                .expireAfterAccess(idle.toNanos(), TimeUnit.NANOSECONDS)
                .executor(Runnable::run) // maintenance on the calling thread: no common-pool wake-up per few requests
                .build();
    }
}
