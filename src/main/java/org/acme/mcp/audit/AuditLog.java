package org.acme.mcp.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.runtime.Startup;

/**
 * The one place audit events go: the local tamper-evident trail (queued and written in batches by one thread, so a
 * request never waits for the disk, and nothing is lost while a collector
 * is away) and OpenTelemetry log records and metrics (asynchronously, batched by the SDK: an unreachable collector
 * never blocks a call). With {@code mcp.audit.required=true}, tool calls are refused while the trail cannot be written.
 */
@Startup
@Singleton
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    static final String SCOPE = "org.acme.mcp.audit";
    private static final AttributeKey<String> EVENT_NAME = AttributeKey.stringKey("event.name");
    // our own names, where no semantic convention exists, all under "audit."
    private static final AttributeKey<String> TYPE = AttributeKey.stringKey("audit.type");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("audit.outcome");
    // mcp.server.operation.duration's attributes, as the conventions name them
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("mcp.method.name");
    private static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    private static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("mcp.protocol.version");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final AuditConfig config;
    private final Redaction redaction;
    private final FloodControl flood;
    private final TrailWriter writer;
    private final io.opentelemetry.api.logs.Logger otelLogger;
    private final LongCounter counter;
    private final DoubleHistogram operationDuration;

    @Inject
    AuditLog(AuditConfig config, Instance<OpenTelemetry> openTelemetry) {
        this(config, openTelemetry.isResolvable() ? openTelemetry.get() : OpenTelemetry.noop());
    }

    /** For use outside CDI, e.g. benchmarks. */
    public AuditLog(AuditConfig config, OpenTelemetry otel) {
        this.config = config;
        this.redaction = new Redaction(config.sensitiveArguments().orElse(java.util.Set.of()));
        this.flood = new FloodControl(config.unattributedLimit(), config.unattributedPeriod());
        this.otelLogger = otel.getLogsBridge().get(SCOPE);
        this.counter = otel.getMeter(SCOPE).counterBuilder("audit.events")
                .setDescription("Audit events by type and outcome").build();
        // the OpenTelemetry MCP semantic conventions' server metric, in seconds, with their attributes
        this.operationDuration = otel.getMeter(SCOPE).histogramBuilder("mcp.server.operation.duration").setUnit("s")
                .setDescription("MCP request duration as observed on the server, from receipt until the result")
                .setExplicitBucketBoundariesAdvice(java.util.List.of(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0,
                        10.0, 30.0, 60.0, 120.0, 300.0))
                .build();
        AuditTrail trail = config.trail().enabled() ? openTrail() : null;
        this.writer = trail == null ? null : new TrailWriter(trail, config.trail().queueCapacity());
    }

    private AuditTrail openTrail() {
        try {
            byte[] key = config.trail().hmacKey().map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null);
            if (key == null) {
                LOG.warn("Audit trail chained with SHA-256 only: set MCP_AUDIT_HMAC_KEY so that edits cannot be re-chained");
            }
            AuditTrail t = new AuditTrail(chainDirectory(config), config.trail().maxSegmentSize().asLongValue(), key);
            LOG.infof("Audit trail in %s, continuing after record %d", t.directory().toAbsolutePath(), t.lastSeq());
            return t;
        } catch (IOException e) {
            LOG.errorf("Audit trail cannot be opened in %s: %s", config.trail().directory(), e.getMessage());
            return null;
        }
    }

    /** The trail's directory, or this replica's chain in it. A replica id that is not a plain name stops the start. */
    static Path chainDirectory(AuditConfig config) {
        Path dir = Path.of(config.trail().directory());
        if (config.replicaId().isEmpty()) {
            return dir;
        }
        String id = config.replicaId().get();
        if (!id.matches("[A-Za-z0-9._-]{1,128}") || id.equals(".") || id.equals("..")) {
            throw new IllegalStateException("mcp.audit.replica-id (MCP_REPLICA_ID) must be 1-128 letters, digits, '.',"
                    + " '_' or '-' (it names this replica's audit chain): refusing to start");
        }
        return dir.resolve(id);
    }

    public Redaction redaction() {
        return redaction;
    }

    /**
     * Whether tool calls may run: always, unless the compliance switch is on and the trail is not writable.
     */
    public boolean acceptsToolCalls() {
        return !config.required() || (writer != null && writer.healthy());
    }

    /** Records an event in every sink; never throws. */
    public void record(AuditType type, AuditOutcome outcome, Map<String, String> attributes) {
        write(type, outcome, attributes);
    }

    /**
     * Records an event that a request may cause without a valid token (a refused token, transport or body), within
     * {@code mcp.audit.unattributed-limit}: over it, the event is only counted (in metrics too) and the trail gets
     * {@code audit.suppressed} records saying when the flood began and how many of each type were left out.
     * Unauthenticated requests cost nothing to send: unbounded, their records could fill the trail's disk.
     */
    public void recordUnattributed(AuditType type, AuditOutcome outcome, Map<String, String> attributes) {
        FloodControl.Admission admission = flood.admit(type.wireName());
        if (admission.floodBegins()) {
            write(AuditType.AUDIT_SUPPRESSED, AuditOutcome.FLOODING,
                    Map.of("audit.reason", "more than " + config.unattributedLimit()
                            + " events naming no caller per " + config.unattributedPeriod() + ": counting them instead",
                            "audit.first_suppressed", type.wireName()));
        }
        if (!admission.leftOut().isEmpty()) {
            Map<String, String> counts = new TreeMap<>();
            admission.leftOut().forEach((t, n) -> counts.put("audit.suppressed." + t, String.valueOf(n)));
            write(AuditType.AUDIT_SUPPRESSED, AuditOutcome.COUNTED, counts);
        }
        if (admission.write()) {
            write(type, outcome, attributes);
        } else {
            count(type, outcome);
        }
    }

    private void write(AuditType type, AuditOutcome outcome, Map<String, String> attributes) {
        SpanContext span = Span.current().getSpanContext();
        Map<String, String> withTrace = attributes;
        if (span.isValid()) {
            // correlates the trail with the trace active when the event happened
            withTrace = new TreeMap<>(attributes); // sorted like the event's own copy: no sorting twice
            withTrace.put("trace_id", span.getTraceId());
        }
        AuditEvent event = AuditEvent.of(type.wireName(), outcome.wireName(), withTrace);
        if (writer != null) {
            writer.submit(event);
        }
        try {
            // attributes straight onto the record: an Attributes object first would be built and sorted per event
            LogRecordBuilder log = otelLogger.logRecordBuilder()
                    .setTimestamp(event.time())
                    .setSeverity(outcome.warns() ? Severity.WARN : Severity.INFO)
                    .setBody(event.type() + " " + event.outcome())
                    .setAttribute(EVENT_NAME, "audit." + event.type())
                    .setAttribute(OUTCOME, event.outcome());
            event.attributes().forEach((k, v) -> log.setAttribute(AttributeKey.stringKey(k), v));
            log.emit();
        } catch (RuntimeException e) {
            LOG.debugf("Audit export failed: %s", e.toString());
        }
        count(type, outcome);
    }

    private void count(AuditType type, AuditOutcome outcome) {
        try {
            counter.add(1, Attributes.of(TYPE, type.wireName(), OUTCOME, outcome.wireName()));
        } catch (RuntimeException e) {
            LOG.debugf("Audit metric failed: %s", e.toString());
        }
    }

    /**
     * An executed MCP request for {@code mcp.server.operation.duration}: its method, the tool of a
     * {@code tools/call} ({@code null} otherwise), the protocol version and the error type ({@code null}: none).
     */
    public void recordOperation(String method, String tool, String protocolVersion, String errorType, long nanos) {
        try {
            var attributes = Attributes.builder().put(METHOD, method);
            if (tool != null) {
                attributes.put(TOOL, tool).put(OPERATION, "execute_tool");
            }
            if (protocolVersion != null) {
                attributes.put(PROTOCOL_VERSION, protocolVersion);
            }
            if (errorType != null) {
                attributes.put(ERROR_TYPE, errorType);
            }
            operationDuration.record(nanos / 1e9, attributes.build());
        } catch (RuntimeException e) {
            LOG.debugf("Operation metric failed: %s", e.toString());
        }
    }

    /** Waits until the events recorded so far are in the trail (shutdown, tests); false on timeout. */
    public boolean flush(java.time.Duration timeout) {
        return writer == null || writer.flush(timeout);
    }

    @PreDestroy
    void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                LOG.warnf("Closing the audit trail: %s", e.getMessage());
            }
        }
    }
}
