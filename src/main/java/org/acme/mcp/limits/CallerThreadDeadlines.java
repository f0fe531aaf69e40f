package org.acme.mcp.limits;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Deadlines of tool calls that run on their caller's thread ({@code own-thread=false}): one watchdog thread interrupts
 * a call once it is past its deadline, checking every {@link #TICK}. Arming and disarming touch a concurrent set only,
 * so a call that ends in time costs no thread hand-off; the watchdog sleeps while no call is armed.
 */
@Singleton
public class CallerThreadDeadlines {

    /** How late past its deadline a call may be interrupted. */
    static final Duration TICK = Duration.ofMillis(20);

    private final Set<Deadline> armed = ConcurrentHashMap.newKeySet();
    private final Thread watchdog;
    private volatile boolean idle;
    private volatile boolean closed;

    public CallerThreadDeadlines() {
        watchdog = new Thread(this::watch, "mcp-tool-deadlines");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Starts the deadline of a call that runs on the current thread; end it with {@link Deadline#disarm()}. */
    public Deadline arm(Duration timeout) {
        Deadline deadline = new Deadline(Thread.currentThread(), System.nanoTime() + timeout.toNanos());
        armed.add(deadline);
        if (idle) {
            LockSupport.unpark(watchdog);
        }
        return deadline;
    }

    private void watch() {
        while (!closed) {
            if (armed.isEmpty()) {
                idle = true; // volatile write before the re-check: arm() either sees it or is seen here
                if (armed.isEmpty()) {
                    LockSupport.park(this);
                }
                idle = false;
            } else {
                LockSupport.parkNanos(this, TICK.toNanos());
            }
            long now = System.nanoTime();
            for (Deadline deadline : armed) {
                if (now - deadline.at >= 0) {
                    deadline.fire();
                }
            }
        }
    }

    @PreDestroy
    void close() {
        closed = true;
        LockSupport.unpark(watchdog);
    }

    /** One call's deadline. */
    public final class Deadline {

        private static final int RUNNING = 0;
        private static final int FIRING = 1;
        private static final int FIRED = 2;
        private static final int ENDED = 3;

        private final Thread thread;
        private final long at;
        private final AtomicInteger state = new AtomicInteger(RUNNING);

        private Deadline(Thread thread, long at) {
            this.thread = thread;
            this.at = at;
        }

        private void fire() {
            if (state.compareAndSet(RUNNING, FIRING)) {
                thread.interrupt();
                state.set(FIRED);
            }
            armed.remove(this);
        }

        /**
         * Ends the call on its own thread; true if its deadline passed. The watchdog's interrupt is then cleared, so
         * that the pooled thread goes back to its pool without it.
         */
        public boolean disarm() {
            armed.remove(this);
            if (state.compareAndSet(RUNNING, ENDED)) {
                return false;
            }
            while (state.get() == FIRING) {
                Thread.onSpinWait(); // the watchdog is between its CAS and its interrupt: let the interrupt land
            }
            if (state.compareAndSet(FIRED, ENDED)) {
                Thread.interrupted();
                return true;
            }
            return false; // disarmed before
        }
    }
}
