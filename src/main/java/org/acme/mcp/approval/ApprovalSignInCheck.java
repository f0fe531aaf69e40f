package org.acme.mcp.approval;

import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.acme.mcp.rbac.ToolPolicies;
import org.acme.mcp.rbac.ToolPolicy;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.Startup;

/**
 * Refuses to start when a tool needs a person's approval but nobody could sign in to give it: the OIDC tenant
 * {@code approval} is off or has no client. Without this, every call of such a tool would wait for an approval that
 * can never come.
 */
@Startup
@Singleton
public class ApprovalSignInCheck {

    ApprovalSignInCheck(ToolPolicies policies,
            @ConfigProperty(name = "quarkus.oidc.approval.tenant-enabled", defaultValue = "false") boolean enabled,
            @ConfigProperty(name = "quarkus.oidc.approval.client-id") Optional<String> client) {
        List<String> tools = policies.all().values().stream().filter(ToolPolicy::approval).map(ToolPolicy::tool)
                .sorted().toList();
        if (!tools.isEmpty() && (!enabled || client.filter(c -> !c.isBlank()).isEmpty())) {
            throw new IllegalStateException("Tools " + tools + " need a person's approval, but nobody can sign in to"
                    + " the approval page: set MCP_APPROVAL_ENABLED=true, MCP_APPROVAL_CLIENT_ID and"
                    + " MCP_APPROVAL_CLIENT_SECRET (quarkus.oidc.approval.*, a confidential client with redirect URI"
                    + " https://<host>/approvals/signed-in), or drop the approval requirement");
        }
    }
}
