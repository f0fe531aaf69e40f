package org.acme.mcp.approval;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Human approval of tool calls ({@code mcp.approval.*}): who approves signs in on this server's approval page through
 * the OIDC tenant {@code approval} (authorization code flow with PKCE, {@code quarkus.oidc.approval.*}).
 */
@ConfigMapping(prefix = "mcp.approval")
public interface ApprovalConfig {

    /**
     * How recent the approver's sign-in must be ({@code auth_time} of the ID token): older, and the page asks for a new
     * one. Ask the identity provider for it too ({@code quarkus.oidc.approval.authentication.extra-params.max_age}).
     */
    @WithDefault("10m")
    Duration maxLoginAge();

    /**
     * Authentication context classes ({@code acr}) an approver's sign-in must have, any one (e.g. one that means MFA);
     * unset: not checked. Ask the identity provider for one with
     * {@code quarkus.oidc.approval.authentication.extra-params.acr_values}.
     */
    Optional<Set<String>> acr();
}
