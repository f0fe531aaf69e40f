package org.acme.mcp.fleet;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness shows the fleet's control plane: {@code embedded}, {@code shared} or {@code degraded}. A degraded replica
 * stays UP: it still enforces the last known blocks and per-replica budgets, and taking every replica out of service
 * when Redis fails would turn a Redis outage into an outage of the whole server.
 */
@Readiness
@ApplicationScoped
public class FleetHealthCheck implements HealthCheck {

    private final FleetStore fleet;

    FleetHealthCheck(FleetStore fleet) {
        this.fleet = fleet;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("fleet").up()
                .withData("mode", fleet.mode().name().toLowerCase(Locale.ROOT));
        if (fleet.shared()) {
            response.withData("replicas", fleet.replicas());
            if (fleet.lastSync() != null) {
                response.withData("lastSync", fleet.lastSync().toString());
            }
            if (fleet.lastError() != null) {
                response.withData("error", fleet.lastError());
            }
        }
        return response.build();
    }
}
