package org.acme.mcp.bench;

import java.util.Map;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.acme.mcp.audit.AuditConfig;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;

import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.arc.properties.IfBuildProperty;

/**
 * Part of the benchmark's own applications ({@link BenchApps}), never of the product: the audit log the sandbox
 * records into records nothing. The product's {@code AuditLog} bean is excluded there
 * ({@code quarkus.arc.exclude-types}) and this one produced instead; with {@code mcp.audit.trail.enabled=false} its
 * constructor opens no trail. Only the benchmark's applications set {@code bench.no-audit}.
 */
@IfBuildProperty(name = "bench.no-audit", stringValue = "true") // not a bean of the @QuarkusTest application
@Singleton
class NoAudit {

    @Produces
    @Singleton
    AuditLog auditLog(AuditConfig config) {
        return new Discarding(config);
    }

    static final class Discarding extends AuditLog {

        Discarding(AuditConfig config) {
            super(config, OpenTelemetry.noop());
        }

        @Override
        public void record(AuditType type, AuditOutcome outcome, Map<String, String> attributes) {
        }

        @Override
        public void recordUnattributed(AuditType type, AuditOutcome outcome, Map<String, String> attributes) {
        }

        @Override
        public void recordOperation(String method, String tool, String protocolVersion, String errorType,
                long nanos) {
        }

        @Override
        public boolean acceptsToolCalls() {
            return true;
        }
    }
}
