package org.acme.mcp.support;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/**
 * In-memory OpenTelemetry log exporter for @QuarkusTest (test sources only: never in the shipped artifact). Picked up
 * by quarkus-opentelemetry's CDI exporter lookup when the SDK is enabled by a test profile.
 */
@ApplicationScoped
public class InMemoryTelemetry {

    @Produces
    @Singleton
    InMemoryLogRecordExporter logs() {
        return InMemoryLogRecordExporter.create();
    }

    @Produces
    @Singleton
    InMemorySpanExporter spans() {
        return InMemorySpanExporter.create();
    }
}
