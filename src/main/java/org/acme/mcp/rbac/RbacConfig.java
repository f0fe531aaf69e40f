package org.acme.mcp.rbac;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Operator overrides of tool policies. Keys: {@code mcp.rbac.tools.*}; where tokens carry scopes and roles is
 * {@link org.acme.mcp.identity.ClaimsConfig} (also {@code mcp.rbac.*}).
 */
@ConfigMapping(prefix = "mcp.rbac")
public interface RbacConfig {

    /**
     * Per-tool overrides, keyed by tool name: {@code mcp.rbac.tools."end-session".disabled=true}. They can only make
     * access stricter than the code says; a key naming no tool stops the server at start-up.
     */
    Map<String, ToolOverride> tools();

    interface ToolOverride {

        /** Hide the tool from everyone and refuse its calls. */
        @WithDefault("false")
        boolean disabled();

        /** Scopes required in addition to those the code declares. */
        Optional<Set<String>> scopes();

        /** Narrows the roles the code accepts to these (only roles the code already accepts are kept). */
        Optional<Set<String>> roles();

        /** Tighter {@code auth_time} limit than the code's (the shorter one applies). */
        Optional<Duration> maxAuthAge();

        /** Accepted {@code acr} values; intersected with the code's when it declares some. */
        Optional<Set<String>> acr();

        /**
         * Every call needs a person's approval in a browser, as {@code @RequiresApproval} declares it (can only be
         * turned on). 2026-07-28 callers only: others are told to use that revision.
         */
        @WithDefault("false")
        boolean approval();
    }
}
