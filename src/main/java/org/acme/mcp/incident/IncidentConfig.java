package org.acme.mcp.incident;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The incident kill switch: where its runtime state is kept and what operators block by configuration. Keys:
 * {@code mcp.incident.*}. Tools are switched off by configuration with {@code mcp.rbac.tools."<tool>".disabled=true}.
 * <p>
 * Each replica keeps its own state file: a block made with the admin tools applies to the replica that served the
 * call. Never point replicas at one shared file (each rewrites it whole from its own memory, so they would overwrite
 * each other's blocks); for fleet-wide blocks use the lists below (one ConfigMap for all replicas).
 */
@ConfigMapping(prefix = "mcp.incident")
public interface IncidentConfig {

    /**
     * JSON file holding the disabled tools and blocked subjects and clients set at runtime; read at start-up, replaced
     * atomically (owner-only permissions) on every change. Missing: nothing is blocked. Unreadable or corrupt: the
     * server refuses to start. Its directory must exist and be writable, or the server refuses to start: a kill
     * switch that silently forgets its blocks at the next restart would fail open.
     */
    @WithDefault("incident-state.json")
    Path stateFile();

    /** Subjects ({@code sub}) refused with 403 on every request, whatever the issuer; not removable at runtime. */
    Optional<Set<String>> blockedSubjects();

    /** OAuth client ids ({@code mcp.rbac.client-claims}) refused with 403 on every request; not removable at runtime. */
    Optional<Set<String>> blockedClients();
}
