package org.acme.mcp.audit;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import io.github.bucket4j.Bucket;

/**
 * Bounds the events naming no caller that reach the trail: a token bucket of {@code limit} per {@code period}; an
 * event over it is counted by type instead of written. The first one left out and, once the bucket has a token again,
 * the counts are reported as records of their own, so the trail shows when a flood began and how big it was.
 */
final class FloodControl {

    /** What to do with an event: write it, first reporting what was left out before it, or leave it out. */
    record Admission(boolean write, boolean floodBegins, Map<String, Long> leftOut) {
    }

    private static final Admission WRITE = new Admission(true, false, Map.of());
    private static final Admission LEAVE_OUT = new Admission(false, false, Map.of());
    private static final Admission LEAVE_OUT_FIRST = new Admission(false, true, Map.of());

    private final Bucket bucket;
    private final Map<String, LongAdder> leftOut = new ConcurrentHashMap<>();
    private final AtomicBoolean flooding = new AtomicBoolean();

    FloodControl(int limit, Duration period) {
        this.bucket = Bucket.builder().addLimit(l -> l.capacity(limit).refillGreedy(limit, period)).build();
    }

    Admission admit(String type) {
        if (!bucket.tryConsume(1)) {
            leftOut.computeIfAbsent(type, t -> new LongAdder()).increment();
            return flooding.compareAndSet(false, true) ? LEAVE_OUT_FIRST : LEAVE_OUT;
        }
        if (!flooding.get() || !flooding.compareAndSet(true, false)) {
            return WRITE;
        }
        Map<String, Long> counts = new TreeMap<>();
        leftOut.forEach((leftOutType, count) -> {
            long n = count.sumThenReset(); // one counted meanwhile is reported with the next flood
            if (n > 0) {
                counts.put(leftOutType, n);
            }
        });
        return new Admission(true, false, counts);
    }
}
