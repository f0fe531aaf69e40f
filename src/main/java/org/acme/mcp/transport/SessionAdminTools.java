package org.acme.mcp.transport;

import jakarta.inject.Inject;

import org.acme.mcp.api.RequiresRecentAuthentication;
import org.acme.mcp.api.RequiresRoles;
import org.acme.mcp.api.RequiresScopes;
import org.acme.mcp.fleet.FleetUnavailableException;
import org.acme.mcp.security.TokenRevocations;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolCallException;
import io.quarkus.security.identity.SecurityIdentity;

/** Operator and administrator tools over live MCP sessions: what an incident responder needs first. */
public class SessionAdminTools {

    /** {@code sessions}: ended on this replica; {@code fleetWide}: every other replica ends its own too. */
    public record Ended(String subject, int sessions, boolean tokensRevoked, boolean fleetWide) {
    }

    @Inject
    SessionBinding sessions;

    @Inject
    SessionEnds sessionEnds;

    @Inject
    TokenRevocations revocations;

    @Inject
    SecurityIdentity identity;

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
            description = "After an account compromise: ends every live MCP session of the user with the given subject"
                    + " (sub claim), on every replica, and refuses every token issued to that user until now. The"
                    + " user must sign in again.",
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
        JsonWebToken admin = (JsonWebToken) identity.getPrincipal();
        if (subject.equals(admin.getSubject())) {
            throw new ToolCallException("You cannot revoke your own tokens: ask another administrator");
        }
        String issuer = admin.getIssuer(); // the one provider this server trusts
        try {
            revocations.revokeCaller(issuer + " " + subject);
        } catch (FleetUnavailableException e) {
            throw new ToolCallException(e.getMessage());
        }
        try {
            return new Ended(subject, sessionEnds.endEverywhere(subject), true, sessionEnds.fleetWide());
        } catch (FleetUnavailableException e) { // revoked tokens cannot use those sessions any more
            throw new ToolCallException("The user's tokens are revoked on every replica, but the other replicas could"
                    + " not be asked to end the user's sessions: " + e.getMessage());
        }
    }
}
