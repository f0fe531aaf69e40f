package org.acme.mcp.transport;

import jakarta.inject.Inject;

import org.acme.mcp.api.RequiresRecentAuthentication;
import org.acme.mcp.api.RequiresRoles;
import org.acme.mcp.api.RequiresScopes;

import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolCallException;

/** Operator and administrator tools over live MCP sessions: what an incident responder needs first. */
public class SessionAdminTools {

    public record Ended(String subject, int sessions) {
    }

    @Inject
    SessionBinding sessions;

    @Tool(name = "session-stats", title = "Session statistics",
            description = "Counts live MCP sessions and the distinct callers owning them.",
            structuredContent = true,
            annotations = @Tool.Annotations(title = "Session statistics", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    @RequiresRoles({ "mcp-operator", "mcp-admin" })
    @RequiresScopes("mcp.read")
    SessionBinding.Stats sessionStats() {
        return sessions.stats();
    }

    @Tool(name = "end-user-sessions", title = "End a user's sessions",
            description = "Ends every live MCP session of the caller with the given subject (sub claim), e.g. after an"
                    + " account compromise. The user's next request needs a new session.",
            structuredContent = true,
            annotations = @Tool.Annotations(title = "End a user's sessions", readOnlyHint = false, destructiveHint = true,
                    idempotentHint = true, openWorldHint = false))
    @RequiresRoles("mcp-admin")
    @RequiresScopes("mcp.admin")
    @RequiresRecentAuthentication(maxAgeSeconds = 300)
    Ended endUserSessions(@ToolArg(description = "Subject (sub claim) of the user") String subject) {
        if (subject.isBlank() || subject.length() > 255) {
            throw new ToolCallException("subject must be 1 to 255 characters");
        }
        return new Ended(subject, sessions.endSessionsOf(subject));
    }
}
