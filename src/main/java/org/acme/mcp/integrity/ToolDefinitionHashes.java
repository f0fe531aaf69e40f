package org.acme.mcp.integrity;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.inject.Singleton;

import org.acme.mcp.rbac.ToolVisibility;

import io.quarkiverse.mcp.server.InitialResponseInfo;
import io.quarkiverse.mcp.server.MetaKey;
import io.quarkus.security.identity.CurrentIdentityAssociation;

/**
 * Tells clients, in the {@code initialize} result's {@code _meta}, the approved SHA-256 of each tool definition they
 * may see, so that a client can pin them and notice a changed definition. Hashes of tools hidden from the caller are
 * left out: they would reveal that those tools exist. The hash is over the canonical JSON of the tool as
 * {@code tools/list} shows it (see {@link ToolDefinitions}).
 */
@Singleton
public class ToolDefinitionHashes implements InitialResponseInfo {

    static final MetaKey KEY = MetaKey.of("tool-definitions", "org", "acme");

    private final ApprovedTools approved;
    private final ToolVisibility visibility;
    private final CurrentIdentityAssociation identity;

    ToolDefinitionHashes(ApprovedTools approved, ToolVisibility visibility, CurrentIdentityAssociation identity) {
        this.approved = approved;
        this.visibility = visibility;
        this.identity = identity;
    }

    @Override
    public Optional<Map<MetaKey, Object>> meta(String serverName) {
        Map<String, String> visible = new TreeMap<>();
        Map<String, String> approved = this.approved.hashes();
        for (String tool : visibility.listedFor(identity.getIdentity())) {
            String hash = approved.get(tool);
            if (hash != null) {
                visible.put(tool, hash);
            }
        }
        return Optional.of(Map.of(KEY, Map.of("algorithm", "sha256 of canonical JSON (sorted keys, no whitespace)",
                "sha256", visible)));
    }
}
