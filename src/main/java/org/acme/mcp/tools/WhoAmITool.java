package org.acme.mcp.tools;

import java.util.List;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.acme.mcp.api.AnyAuthenticatedCaller;
import org.acme.mcp.api.Caller;
import org.acme.mcp.api.CurrentCaller;

import io.quarkiverse.mcp.server.Tool;

/**
 * Shows the caller how this server sees its access token: useful when wiring a client or an identity provider.
 * Reports claims, never the token itself.
 */
public class WhoAmITool {

    /** What the server learned from the caller's token. */
    public record WhoAmI(String issuer, String subject, String client, List<String> scopes, List<String> roles) {
    }

    @Inject
    CurrentCaller caller;

    @Tool(name = "whoami", title = "Who am I",
            description = "Returns the identity this server derived from your access token: issuer, subject, client,"
                    + " granted scopes and roles. Never returns the token.",
            structuredContent = true,
            annotations = @Tool.Annotations(title = "Who am I", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    @AnyAuthenticatedCaller
    WhoAmI whoami() {
        Caller who = caller.get();
        return new WhoAmI(who.issuer(), who.subject(), who.client().orElse(null),
                List.copyOf(new TreeSet<>(who.scopes())), List.copyOf(new TreeSet<>(who.roles())));
    }
}
