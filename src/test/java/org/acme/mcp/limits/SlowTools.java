package org.acme.mcp.limits;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.acme.mcp.api.AnyAuthenticatedCaller;
import org.acme.mcp.sandbox.SandboxExecutor;

import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkus.arc.properties.IfBuildProperty;

/** Test-only tools that take their time; present only in apps built with {@code test.slow-tools=on}. */
@IfBuildProperty(name = "test.slow-tools", stringValue = "on")
public class SlowTools {

    /** Runs of {@code counted}. */
    static final AtomicInteger COUNTED = new AtomicInteger();

    @Inject
    SandboxExecutor sandbox;

    @Tool(name = "counted", description = "Counts its runs.")
    @AnyAuthenticatedCaller
    String counted(@ToolArg(description = "a note") String note) {
        return "run " + COUNTED.incrementAndGet();
    }

    @Tool(name = "sleepy", description = "Sleeps (interruptibly).")
    @AnyAuthenticatedCaller
    String sleepy(@ToolArg(description = "milliseconds") long millis) throws InterruptedException {
        return sleep(millis);
    }

    @Tool(name = "stubborn", description = "Spins and ignores interruption.")
    @AnyAuthenticatedCaller
    String stubborn(@ToolArg(description = "milliseconds") long millis) {
        return spin(millis);
    }

    @Tool(name = "sleepy-here", description = "Sleeps (interruptibly) on the MCP worker (own-thread=false).")
    @AnyAuthenticatedCaller
    String sleepyHere(@ToolArg(description = "milliseconds") long millis) throws InterruptedException {
        return sleep(millis);
    }

    @Tool(name = "stubborn-here", description = "Spins and ignores interruption, on the MCP worker (own-thread=false).")
    @AnyAuthenticatedCaller
    String stubbornHere(@ToolArg(description = "milliseconds") long millis) {
        return spin(millis);
    }

    // private helpers: ArC intercepts a bean's calls of its own tool methods, which would count as a second call

    private static String sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return "slept";
    }

    private static String spin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        return "done";
    }

    @Tool(name = "sandbox-sleep", description = "Sleeps in the sandbox.")
    @AnyAuthenticatedCaller
    String sandboxSleep(@ToolArg(description = "marker") String marker) {
        return sandbox.run("hostile", List.of("/usr/bin/bash", "-c", ": " + marker + "; sleep 30"), "").describe();
    }
}
