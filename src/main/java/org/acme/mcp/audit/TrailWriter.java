package org.acme.mcp.audit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jboss.logging.Logger;

/**
 * Writes audit events to the trail on one background thread, in batches: request threads (the event loop among them)
 * only enqueue, and a burst costs one flush and one {@code HEAD} update instead of one per record. After the first
 * event of a batch the writer waits {@link #BATCH_WINDOW_NANOS} for more (group commit): under load it wakes a few
 * hundred times a second instead of once per event, each wake-up being a context switch on a request thread's CPU.
 * Nothing is dropped: when the queue is full, the caller writes its event itself. The queue is lock-free and the
 * writer is woken only when it sleeps: request threads never wait for each other (or a lock) to record an event.
 */
final class TrailWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TrailWriter.class);
    private static final int MAX_BATCH = 512;
    private static final long BATCH_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final AuditTrail trail;
    private final Queue<AuditEvent> queue = new ConcurrentLinkedQueue<>();
    private final int capacity;
    private final AtomicInteger queued = new AtomicInteger();
    private final Thread thread;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean healthy = true;
    private volatile boolean closed;
    private volatile boolean sleeping;

    TrailWriter(AuditTrail trail, int capacity) {
        this.trail = trail;
        this.capacity = capacity;
        this.thread = new Thread(this::loop, "audit-trail-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void submit(AuditEvent event) {
        submitted.incrementAndGet();
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            write(List.of(event)); // back-pressure instead of loss
            return;
        }
        queue.add(event);
        if (sleeping) { // read after the add: the writer either sees the event or is seen asleep here
            LockSupport.unpark(thread);
        }
    }

    /** Whether the last write succeeded. */
    boolean healthy() {
        return healthy;
    }

    /** Waits until every event submitted before this call is written (or failed); false on timeout. */
    boolean flush(Duration timeout) {
        long target = submitted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (written.get() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void loop() {
        List<AuditEvent> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            AuditEvent first = queue.poll();
            if (first == null) {
                sleeping = true; // written before the re-check: submit() either sees it or its event is seen here
                if (queue.isEmpty() && !closed) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
                }
                sleeping = false;
                continue;
            }
            if (!closed) {
                LockSupport.parkNanos(BATCH_WINDOW_NANOS);
            }
            batch.add(first);
            for (AuditEvent next; batch.size() < MAX_BATCH && (next = queue.poll()) != null;) {
                batch.add(next);
            }
            queued.addAndGet(-batch.size());
            write(batch);
            batch.clear();
        }
    }

    private void write(List<AuditEvent> batch) {
        try {
            trail.appendAll(batch);
            healthy = true;
        } catch (IOException | RuntimeException e) {
            healthy = false;
            LOG.errorf("Audit trail write failed (%d events): %s", batch.size(), e.getMessage());
        } finally {
            written.addAndGet(batch.size());
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        trail.close();
    }
}
