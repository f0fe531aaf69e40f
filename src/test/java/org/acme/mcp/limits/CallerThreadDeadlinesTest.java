package org.acme.mcp.limits;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallerThreadDeadlinesTest {

    final CallerThreadDeadlines deadlines = new CallerThreadDeadlines();

    @AfterEach
    void close() {
        deadlines.close();
    }

    @Test
    void aCallPastItsDeadlineIsInterruptedAndTheInterruptIsClearedOnDisarm() {
        CallerThreadDeadlines.Deadline deadline = deadlines.arm(Duration.ofMillis(50));
        long start = System.nanoTime();
        assertThrows(InterruptedException.class, () -> Thread.sleep(10_000));
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(tookMs >= 45 && tookMs < 1000, "interrupted after " + tookMs + " ms");
        assertTrue(deadline.disarm());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aCallInTimeIsNeverInterrupted() throws InterruptedException {
        CallerThreadDeadlines.Deadline deadline = deadlines.arm(Duration.ofMillis(200));
        Thread.sleep(20);
        assertFalse(deadline.disarm());
        Thread.sleep(400); // past the deadline: nothing may fire after disarm
        assertFalse(Thread.currentThread().isInterrupted());
    }

    /** Deadlines that expire while their calls end: each disarm either reports the timeout or leaves no interrupt. */
    @Test
    void racingTheWatchdogNeverLeavesAStrayInterrupt() throws InterruptedException {
        int fired = 0;
        for (int i = 0; i < 2000; i++) {
            CallerThreadDeadlines.Deadline deadline = deadlines.arm(Duration.ofNanos(i % 20 * 1_000_000L));
            long until = System.nanoTime() + (i % 7) * 1_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            if (deadline.disarm()) {
                fired++;
            }
            assertFalse(Thread.currentThread().isInterrupted(), "stray interrupt after call " + i);
        }
        assertTrue(fired > 0, "no deadline fired: the race was not exercised");
        // the watchdog is idle again and still wakes for a new deadline
        Thread.sleep(50);
        CallerThreadDeadlines.Deadline deadline = deadlines.arm(Duration.ofMillis(30));
        assertThrows(InterruptedException.class, () -> Thread.sleep(5_000));
        assertTrue(deadline.disarm());
    }
}
