package org.acme.mcp.incident;

import jakarta.inject.Inject;

import org.acme.mcp.api.RequiresRecentAuthentication;
import org.acme.mcp.api.RequiresRoles;
import org.acme.mcp.api.RequiresScopes;

import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolCallException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The incident kill switch (org.acme.mcp.incident): switch a tool off, or block a user or an OAuth client, at
 * runtime and without a redeploy; see what is switched off; undo it. Administrators only, with a recent login.
 */
@RequiresRoles("mcp-admin")
@RequiresScopes("mcp.admin")
@RequiresRecentAuthentication(maxAgeSeconds = 300)
public class KillSwitchTools {

    private static final String KIND = "What to switch: 'tool' (a tool name), 'subject' (a user's sub claim) or"
            + " 'client' (an OAuth client id: azp, appid or client_id claim)";
    private static final String TARGET = "The tool name, subject or client id";
    private static final String REASON = "Why, for the audit trail: 1-200 characters on one line, e.g. a ticket number";

    @Inject
    IncidentResponse incident;

    @Inject
    SecurityIdentity identity;

    @Tool(name = IncidentResponse.STATUS_TOOL, title = "Kill switch: status",
            description = "Lists what is switched off on this server (every replica, when they share through"
                    + " Redis): disabled tools, blocked subjects and blocked OAuth clients, each with who did it, why"
                    + " and since when, or 'configuration' when set in the server's configuration. Changes nothing.",
            structuredContent = true,
            annotations = @Tool.Annotations(title = "Kill switch: status", readOnlyHint = true,
                    destructiveHint = false, idempotentHint = true, openWorldHint = false))
    IncidentResponse.Status status() {
        return incident.status();
    }

    @Tool(name = IncidentResponse.ENGAGE_TOOL, title = "Kill switch: disable a tool or block a caller",
            description = "Incident response, effective with the next request and kept across restarts. kind=tool:"
                    + " the tool disappears from tools/list for everyone and calls of it are refused as unknown."
                    + " kind=subject: every request of that user gets HTTP 403, cached tokens included, and the"
                    + " user's sessions end. kind=client: the same for every user of that OAuth client. Replicas"
                    + " sharing through Redis all apply it within a second, and the change is refused while Redis"
                    + " cannot be reached. The kill-switch tools, your own subject and your own client are refused.",
            structuredContent = true,
            annotations = @Tool.Annotations(title = "Kill switch: disable a tool or block a caller",
                    readOnlyHint = false, destructiveHint = true, idempotentHint = true, openWorldHint = false))
    IncidentResponse.Result engage(@ToolArg(description = KIND) String kind,
            @ToolArg(description = TARGET) String target,
            @ToolArg(description = REASON) String reason) {
        return checked(() -> incident.engage(kind, target, reason, identity));
    }

    @Tool(name = IncidentResponse.RELEASE_TOOL, title = "Kill switch: enable a tool or unblock a caller",
            description = "Undoes an engaged kill switch: kind=tool enables the tool again, kind=subject or kind=client"
                    + " lifts the block, effective with the next request. Blocks made in the server's configuration"
                    + " must be removed there.",
            structuredContent = true,
            annotations = @Tool.Annotations(title = "Kill switch: enable a tool or unblock a caller",
                    readOnlyHint = false, destructiveHint = false, idempotentHint = true, openWorldHint = false))
    IncidentResponse.Result release(@ToolArg(description = KIND) String kind,
            @ToolArg(description = TARGET) String target,
            @ToolArg(description = REASON) String reason) {
        return checked(() -> incident.release(kind, target, reason, identity));
    }

    /** Refusals and unpersisted changes are tool errors (isError: true) with a message for the administrator. */
    private static IncidentResponse.Result checked(java.util.function.Supplier<IncidentResponse.Result> change) {
        IncidentResponse.Result result;
        try {
            result = change.get();
        } catch (KillSwitchRefusal refusal) {
            throw new ToolCallException(refusal.getMessage());
        }
        if (!result.persisted()) {
            throw new ToolCallException(result.message());
        }
        return result;
    }
}
