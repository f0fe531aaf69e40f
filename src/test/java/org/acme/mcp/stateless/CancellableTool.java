package org.acme.mcp.stateless;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.acme.mcp.api.AnyAuthenticatedCaller;

import io.quarkiverse.mcp.server.Cancellation;
import io.quarkiverse.mcp.server.Tool;
import io.quarkus.arc.properties.IfBuildProperty;

/** A test-only tool that works until its call is cancelled, and says so ({@link StatelessCancellationTest}). */
@IfBuildProperty(name = "test.conformance-fixtures", stringValue = "on")
@AnyAuthenticatedCaller
public class CancellableTool {

    static volatile CountDownLatch started = new CountDownLatch(1);
    static volatile CountDownLatch cancelled = new CountDownLatch(1);

    @Tool(name = "wait-for-cancellation", description = "Works for up to 20 s, or until the call is cancelled")
    String work(Cancellation cancellation) throws InterruptedException {
        started.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (cancellation.check().isRequested()) {
                cancelled.countDown();
                return "cancelled";
            }
            Thread.sleep(20);
        }
        return "finished";
    }
}
