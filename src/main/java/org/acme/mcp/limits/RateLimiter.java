package org.acme.mcp.limits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.local.SynchronizationStrategy;

/**
 * Token-bucket rates: requests per caller, and tool calls per caller, per client and, where configured, per caller and
 * tool. A call takes one token from each tool-call bucket that applies, or from none: when a later bucket is empty the
 * earlier ones get theirs back, so a refused call costs the caller nothing.
 * <p>
 * Buckets live in bounded caches ({@link LimitsConfig#maxTrackedCallers()}), dropped after a period without calls.
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

    /** A caller's request bucket, and whether its last request was refused. */
    private record RequestBudget(Bucket bucket, AtomicBoolean refusing) {
    }

    private final LimitsConfig config;
    private final Cache<String, Bucket> callers;
    private final Cache<String, Bucket> clients;
    private final Cache<String, Bucket> toolCallers;
    private final Cache<String, RequestBudget> requests;

    RateLimiter(LimitsConfig config) {
        this.config = config;
        this.callers = cache(config.callerPeriod());
        this.clients = cache(config.clientPeriod());
        Duration longestToolPeriod = config.tools().values().stream().map(LimitsConfig.Tool::period)
                .max(Duration::compareTo).orElse(Duration.ofMinutes(1));
        this.toolCallers = cache(longestToolPeriod);
        this.requests = cache(config.requestPeriod());
    }

    /** Takes one request from the budget of {@code caller} (never null). */
    public Verdict tryRequest(String caller) {
        RequestBudget budget = requests.get(caller,
                k -> new RequestBudget(bucket(config.requestLimit(), config.requestPeriod()), new AtomicBoolean()));
        ConsumptionProbe probe = budget.bucket().tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            if (budget.refusing().get()) { // read first: no write, so no cache-line ping-pong, per allowed request
                budget.refusing().set(false);
            }
            return Verdict.ALLOWED;
        }
        boolean repeated = !budget.refusing().compareAndSet(false, true);
        return new Verdict(false, "requests", Duration.ofNanos(probe.getNanosToWaitForRefill()), repeated);
    }

    /**
     * Takes one call from the budgets of {@code caller} (never null), {@code client} (null: none) and the caller's
     * budget for {@code tool}.
     */
    public Verdict tryCall(String caller, String client, String tool) {
        List<Bucket> taken = new ArrayList<>(3);
        LimitsConfig.Tool toolLimits = config.tools().get(tool);
        if (toolLimits != null && toolLimits.limit().isPresent()) {
            Bucket bucket = toolCallers.get(tool + '\n' + caller,
                    k -> bucket(toolLimits.limit().getAsInt(), toolLimits.period()));
            Verdict verdict = take(bucket, "tool", taken);
            if (!verdict.allowed()) {
                return verdict;
            }
        }
        Verdict verdict = take(callers.get(caller, k -> bucket(config.callerLimit(), config.callerPeriod())), "caller",
                taken);
        if (verdict.allowed() && client != null) {
            verdict = take(clients.get(client, k -> bucket(config.clientLimit(), config.clientPeriod())), "client",
                    taken);
        }
        return verdict;
    }

    private static Verdict take(Bucket bucket, String limit, List<Bucket> taken) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            taken.add(bucket);
            return Verdict.ALLOWED;
        }
        taken.forEach(b -> b.addTokens(1)); // refused: give back what this call took
        return new Verdict(false, limit, Duration.ofNanos(probe.getNanosToWaitForRefill()), false);
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
