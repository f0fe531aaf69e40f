package org.acme.mcp.limits;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import jakarta.inject.Singleton;

/**
 * Counts tool calls running now: server-wide, per tool and per caller. Acquisition never waits: a call that finds a
 * cap reached is refused at once, so slow tools cannot make requests pile up. A permit is released when the tool's
 * work really ends, not when its caller stops waiting: a timed-out call that ignores interruption still counts.
 */
@Singleton
public class ConcurrencyLimits {

    /** A running call's share of the caps; release exactly once. */
    public interface Permit {
        void release();
    }

    private final int maxGlobal;
    private final Semaphore global;
    private final Map<String, Semaphore> perTool = new HashMap<>();
    private final Set<String> outsideServerCap = new HashSet<>();
    private final int perCaller;
    private final ConcurrentHashMap<String, Integer> running = new ConcurrentHashMap<>();

    ConcurrencyLimits(LimitsConfig config) {
        this.maxGlobal = config.maxConcurrentCalls();
        this.global = new Semaphore(maxGlobal);
        this.perCaller = config.maxConcurrentCallsPerCaller();
        config.tools().forEach((tool, limits) -> {
            limits.maxConcurrentCalls().ifPresent(max -> perTool.put(tool, new Semaphore(max)));
            if (limits.outsideServerCap()) { // with a cap of its own: ToolLimitsCheck stops start-up otherwise
                outsideServerCap.add(tool);
            }
        });
    }

    /**
     * A permit for one call of {@code tool} by {@code caller} (null: not counted per caller), or {@code null} with
     * {@code refusedBy[0]} naming the cap that is reached.
     */
    public Permit tryAcquire(String tool, String caller, String[] refusedBy) {
        if (caller != null && !enter(caller)) {
            refusedBy[0] = "caller";
            return null;
        }
        Semaphore toolCap = perTool.get(tool);
        if (toolCap != null && !toolCap.tryAcquire()) {
            leave(caller);
            refusedBy[0] = "tool";
            return null;
        }
        boolean counted = !outsideServerCap.contains(tool);
        if (counted && !global.tryAcquire()) {
            if (toolCap != null) {
                toolCap.release();
            }
            leave(caller);
            refusedBy[0] = "server";
            return null;
        }
        return new Permit() {
            private boolean released;

            @Override
            public synchronized void release() {
                if (!released) {
                    released = true;
                    if (counted) {
                        global.release();
                    }
                    if (toolCap != null) {
                        toolCap.release();
                    }
                    leave(caller);
                }
            }
        };
    }

    /** Calls running now in the whole server. */
    public int running() {
        return maxGlobal - global.availablePermits();
    }

    private boolean enter(String caller) {
        boolean[] admitted = new boolean[1];
        running.compute(caller, (k, n) -> {
            int current = n == null ? 0 : n;
            admitted[0] = current < perCaller;
            return admitted[0] ? current + 1 : n;
        });
        return admitted[0];
    }

    private void leave(String caller) {
        if (caller != null) {
            // entries exist only while a caller has calls running: the map stays as small as the load
            running.computeIfPresent(caller, (k, n) -> n <= 1 ? null : n - 1);
        }
    }
}
