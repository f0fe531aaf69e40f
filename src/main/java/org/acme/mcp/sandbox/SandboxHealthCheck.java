package org.acme.mcp.sandbox;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness reports the isolation mode and is DOWN when the configured isolation does not work here. */
@Readiness
@ApplicationScoped
public class SandboxHealthCheck implements HealthCheck {

    private final SandboxBackend backend;

    SandboxHealthCheck(SandboxBackend backend) {
        this.backend = backend;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("sandbox")
                .status(backend.unavailable().isEmpty())
                .withData("mode", backend.label())
                .withData("status", backend.unavailable().orElse("ready"))
                .build();
    }
}
