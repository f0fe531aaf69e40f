package org.acme.mcp.audit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jboss.logging.Logger;

/**
 * Writes audit events to the trail on one background thread, in batches: request threads (the event loop among them)
 * only enqueue, and a burst costs one flush and one {@code HEAD} update instead of one per record. After the first
 * event of a batch the writer waits {@link #BATCH_WINDOW_NANOS} for more (group commit): under load it wakes a few
 * hundred times a second instead of once per event, each wake-up being a context switch on a request thread's CPU.
 * Nothing is dropped: when the queue is full, the caller writes its event itself.
 */
final class TrailWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TrailWriter.class);
    private static final int MAX_BATCH = 512;
    private static final long BATCH_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final AuditTrail trail;
    private final BlockingQueue<AuditEvent> queue;
    private final Thread thread;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean healthy = true;
    private volatile boolean closed;

    TrailWriter(AuditTrail trail, int capacity) {
        this.trail = trail;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::loop, "audit-trail-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void submit(AuditEvent event) {
        submitted.incrementAndGet();
        if (!queue.offer(event)) {
            write(List.of(event)); // back-pressure instead of loss
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
            try {
                AuditEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                if (!closed) {
                    LockSupport.parkNanos(BATCH_WINDOW_NANOS);
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                // close() interrupts only after setting closed: drain what is left and stop
            } finally {
                batch.clear();
            }
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
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        trail.close();
    }
}
