package org.acme.mcp.tools;

import java.util.List;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.acme.mcp.rbac.AnyAuthenticatedCaller;
import org.acme.mcp.rbac.CallerClaims;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolCallException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Shows the caller how this server sees its access token: useful when wiring a client or an identity provider.
 * Reports claims, never the token itself.
 */
public class WhoAmITool {

    /** What the server learned from the caller's token. */
    public record Caller(String issuer, String subject, String client, List<String> scopes, List<String> roles) {
    }

    @Inject
    SecurityIdentity identity;

    @Inject
    CallerClaims claims;

    @Tool(name = "whoami", title = "Who am I",
            description = "Returns the identity this server derived from your access token: issuer, subject, client,"
                    + " granted scopes and roles. Never returns the token.",
            structuredContent = true,
            annotations = @Tool.Annotations(title = "Who am I", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    @AnyAuthenticatedCaller
    Caller whoami() {
        if (!(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            throw new ToolCallException("No token-based identity for this call");
        }
        CallerClaims.Caller caller = claims.of(jwt);
        return new Caller(jwt.getIssuer(), jwt.getSubject(), caller.client().orElse(null),
                List.copyOf(new TreeSet<>(caller.scopes())), List.copyOf(new TreeSet<>(caller.roles())));
    }
}
