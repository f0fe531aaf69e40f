package org.acme.mcp.support;

import java.time.Duration;

/** Waits for a condition that another process or thread makes true: every 20 ms, for up to 10 s. */
public final class Poll {

    public interface Condition {
        boolean holds() throws Exception;
    }

    private Poll() {
    }

    /** Until {@code condition} holds; how long that took from {@code since} ({@link System#nanoTime()}). */
    public static Duration until(Condition condition, long since) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s");
            }
            Thread.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - since);
    }

    public static Duration until(Condition condition) throws Exception {
        return until(condition, System.nanoTime());
    }
}
