package org.acme.mcp.limits;

import jakarta.inject.Singleton;

import org.acme.mcp.guard.GuardVerdict;
import org.acme.mcp.guard.InputGuard;
import org.acme.mcp.guard.ToolArguments;

import io.quarkus.arc.properties.IfBuildProperty;

/** A test guard that takes 3 s over arguments containing "slow-guard", ignoring interruption, then finds nothing. */
@Singleton
@IfBuildProperty(name = "test.slow-tools", stringValue = "on")
public class SlowGuard implements InputGuard {

    @Override
    public String name() {
        return "slow";
    }

    @Override
    public GuardVerdict inspect(ToolArguments arguments) {
        if (arguments.texts().stream().anyMatch(t -> t.value().contains("slow-guard"))) {
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }
        return GuardVerdict.CLEAN;
    }
}
