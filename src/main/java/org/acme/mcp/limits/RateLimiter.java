package org.acme.mcp.limits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.local.SynchronizationStrategy;

/**
 * Token-bucket rates for tool calls: per caller, per client and, where configured, per caller and tool. A call takes
 * one token from each bucket that applies, or from none: when a later bucket is empty the earlier ones get theirs
 * back, so a refused call costs the caller nothing.
 * <p>
 * Buckets live in bounded caches ({@link LimitsConfig#maxTrackedCallers()}), dropped after a period without calls.
 */
@Singleton
public class RateLimiter {

    /** What was decided; {@code limit} names the exhausted budget and {@code retryAfter} when it has a token again. */
    public record Verdict(boolean allowed, String limit, Duration retryAfter) {

        static final Verdict ALLOWED = new Verdict(true, null, Duration.ZERO);
    }

    private final LimitsConfig config;
    private final Cache<String, Bucket> callers;
    private final Cache<String, Bucket> clients;
    private final Cache<String, Bucket> toolCallers;

    RateLimiter(LimitsConfig config) {
        this.config = config;
        this.callers = cache(config.callerPeriod());
        this.clients = cache(config.clientPeriod());
        Duration longestToolPeriod = config.tools().values().stream().map(LimitsConfig.Tool::period)
                .max(Duration::compareTo).orElse(Duration.ofMinutes(1));
        this.toolCallers = cache(longestToolPeriod);
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
        return new Verdict(false, limit, Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    private static Bucket bucket(int limit, Duration period) {
        // one caller's bucket is rarely contended: updating it under a lock beats copying its state per call
        return Bucket.builder().addLimit(l -> l.capacity(limit).refillGreedy(limit, period))
                .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED).build();
    }

    private Cache<String, Bucket> cache(Duration idle) {
        // an idle bucket is full again after one period: dropping it then changes nothing
        return Caffeine.newBuilder().maximumSize(config.maxTrackedCallers())
                .expireAfterAccess(idle.toNanos(), TimeUnit.NANOSECONDS)
                .executor(Runnable::run) // maintenance on the calling thread: no common-pool wake-up per few requests
                .build();
    }
}
