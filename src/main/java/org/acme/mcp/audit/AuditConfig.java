package org.acme.mcp.audit;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The audit trail. Keys: {@code mcp.audit.*}. */
@ConfigMapping(prefix = "mcp.audit")
public interface AuditConfig {

    /**
     * Compliance switch: when the local trail cannot be written, refuse tool calls (fail closed) instead of running
     * them unrecorded.
     */
    @WithDefault("false")
    boolean required();

    /**
     * Argument names whose values never reach any sink (matched case-insensitively, anywhere in nested objects), in
     * addition to the built-in password/secret/token/key names. Tools add theirs here.
     */
    Optional<Set<String>> sensitiveArguments();

    /**
     * Events that a request may cause without a valid token (refused tokens, transports and bodies) written per
     * {@link #unattributedPeriod()}: beyond, they are only counted, and {@code audit.suppressed} records say when the
     * flood began and how many of each type were left out. Such requests cost nothing to send: without this bound
     * they could fill the trail's disk.
     */
    @WithDefault("600")
    int unattributedLimit();

    @WithDefault("1M")
    Duration unattributedPeriod();

    /**
     * This replica's name (env {@code MCP_REPLICA_ID}; {@code deploy/} sets the pod or service name): its trail is
     * the chain {@code <trail.directory>/<replica-id>/}, so replicas sharing a volume keep one chain each and the
     * verifier reports per replica, and OTLP exports carry it as {@code service.instance.id}. Letters, digits,
     * {@code .}, {@code _} and {@code -}, at most 128. Unset: the chain is the directory itself.
     */
    Optional<String> replicaId();

    /** Tamper-evident local trail. */
    Trail trail();

    interface Trail {

        /** Write the local hash-chained trail. */
        @WithDefault("true")
        boolean enabled();

        /** Directory of the trail's segments ({@code audit-*.jsonl}) and its {@code HEAD}. */
        @WithDefault("audit")
        String directory();

        /** A segment is closed and a new one started beyond this size. */
        @WithDefault("10M")
        MemorySize maxSegmentSize();

        /**
         * Events waiting for the trail writer. When full, a request writes its event itself (slower, never lost);
         * events still queued are lost only if the process dies abruptly (at most a few milliseconds' worth).
         */
        @WithDefault("8192")
        int queueCapacity();

        /**
         * Key of the HMAC-SHA256 chaining the records (env {@code MCP_AUDIT_HMAC_KEY}). Without it the chain uses
         * plain SHA-256: edits are still detected unless the editor recomputes every later hash.
         */
        Optional<String> hmacKey();
    }
}
