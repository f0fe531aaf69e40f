package org.acme.mcp.identity;

import jakarta.inject.Singleton;

import org.acme.mcp.api.Caller;
import org.acme.mcp.api.CurrentCaller;
import org.acme.mcp.api.ToolError;

import io.quarkus.security.identity.CurrentIdentityAssociation;

/** The caller of the request being served, for tools ({@link CurrentCaller}). */
@Singleton
public class RequestCaller implements CurrentCaller {

    private final CurrentIdentityAssociation identities;
    private final CallerClaims claims;

    RequestCaller(CurrentIdentityAssociation identities, CallerClaims claims) {
        this.identities = identities;
        this.claims = claims;
    }

    @Override
    public Caller get() {
        // unreachable for a tool call, which the pipeline only lets through authenticated; refused rather than guessed
        return claims.of(CallerIdentity.current(identities))
                .orElseThrow(() -> new ToolError("No token-based identity for this call"));
    }
}
