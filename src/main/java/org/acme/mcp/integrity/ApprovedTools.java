package org.acme.mcp.integrity;

import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.jboss.logging.Logger;

import io.quarkiverse.mcp.server.ToolManager.ToolInfo;

/**
 * What {@link ToolIntegrity} approved at start-up: the tools it checked and the reviewed hash of each definition.
 * Separate from the check itself because the tool filter needs it while the tool manager is still being built.
 */
@Singleton
public class ApprovedTools {

    private static final Logger LOG = Logger.getLogger(ApprovedTools.class);

    private final IntegrityConfig config;
    private final AuditLog audit;
    private final Set<String> unapprovedSeen = ConcurrentHashMap.newKeySet();
    private volatile Set<ToolInfo> startupTools = Set.of();
    private volatile Map<String, String> hashes; // null until the start-up check has run

    ApprovedTools(IntegrityConfig config, AuditLog audit) {
        this.config = config;
        this.audit = audit;
    }

    void approve(Collection<ToolInfo> checked, Map<String, String> reviewedHashes) {
        Set<ToolInfo> tools = Collections.newSetFromMap(new IdentityHashMap<>());
        tools.addAll(checked);
        this.hashes = Collections.unmodifiableMap(new TreeMap<>(reviewedHashes));
        this.startupTools = Collections.unmodifiableSet(tools);
    }

    /** The reviewed SHA-256 of each tool definition, by name. */
    public Map<String, String> hashes() {
        return hashes == null ? Map.of() : hashes;
    }

    /**
     * Whether a tool may be offered: one checked at start-up, or one registered later whose definition is the
     * reviewed one. Anything else is audited once per definition and, when enforcing, hidden.
     */
    boolean approved(ToolInfo tool) {
        if (startupTools.contains(tool)) {
            return true;
        }
        if (hashes == null) {
            return false; // nothing is reviewed before the start-up check
        }
        String hash = ToolDefinitions.sha256(ToolDefinitions.definition(tool));
        if (hash.equals(hashes.get(tool.name()))) {
            return true;
        }
        boolean enforcing = config.mode() == IntegrityConfig.Mode.ENFORCE;
        if (unapprovedSeen.add(tool.name() + " " + hash)) {
            LOG.errorf("Tool %s was registered at runtime with a definition not in the lockfile (sha256 %s)%s",
                    tool.name(), hash, enforcing ? "; it is hidden" : "");
            audit.record(AuditType.TOOL_DEFINITION, enforcing ? AuditOutcome.DENIED : AuditOutcome.FLAGGED,
                    Map.of("gen_ai.tool.name", tool.name(), "audit.sha256", hash, "audit.reason",
                            "registered at runtime, not reviewed"));
        }
        return !enforcing;
    }
}
