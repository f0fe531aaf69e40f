package org.acme.mcp.integrity;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Tool-definition integrity. Keys: {@code mcp.integrity.*}.
 * <p>
 * Every tool definition a client sees (name, title, description, schemas, annotations) is compared at start-up with
 * the reviewed lockfile and checked by {@link ToolDefinitionLinter}. A description that changes without review is how
 * a "rug pull" reaches the model, so prod refuses to start on any difference or finding.
 */
@ConfigMapping(prefix = "mcp.integrity")
public interface IntegrityConfig {

    /**
     * {@code enforce}: a difference from the lockfile or a linter finding stops start-up. {@code warn}: they are logged
     * and audited only; honoured in dev and test mode, a prod server refuses to start with it.
     */
    @WithDefault("enforce")
    Mode mode();

    /**
     * Rewrite the lockfile in the source tree ({@link #approveTarget()}) from the current definitions, then go on as
     * if they matched: the reviewed diff of that file is the approval. Dev and test mode only.
     */
    @WithDefault("false")
    boolean approve();

    /** Where {@link #approve()} writes, relative to the working directory (the project directory in dev mode). */
    @WithDefault("src/main/resources/" + ToolLockfile.RESOURCE)
    String approveTarget();

    /** A lockfile to use instead of the one packaged with the application (the classpath resource). */
    Optional<String> lockfile();

    Lint lint();

    enum Mode {
        ENFORCE,
        WARN
    }

    interface Lint {

        /** Longest text (description, title, any schema string) before it counts as overlong. */
        @WithDefault("1024")
        int maxTextLength();

        /**
         * Reviewed exceptions: linter rules not applied to a tool, e.g.
         * {@code mcp.integrity.lint.allow."fetch-page"=external-url}. Unknown tools stop start-up.
         */
        Map<String, List<String>> allow();
    }
}
