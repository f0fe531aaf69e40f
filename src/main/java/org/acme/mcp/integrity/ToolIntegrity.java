package org.acme.mcp.integrity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.inject.Singleton;

import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.rbac.ToolPolicies;
import org.jboss.logging.Logger;

import io.quarkiverse.mcp.server.ToolManager;
import io.quarkiverse.mcp.server.ToolManager.ToolInfo;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import io.vertx.core.json.JsonObject;

/**
 * Checks at start-up that every tool definition is the reviewed one ({@link ToolLockfile}) and passes the
 * {@link ToolDefinitionLinter}; hands what was reviewed to {@link ApprovedTools}, for clients and for tools registered
 * later.
 * <p>
 * Prod ({@code enforce}) refuses to start on any difference or finding, naming tool and field. Dev and test may
 * {@code warn} instead, and may approve: rewrite the lockfile in the source tree for review.
 */
@Startup
@Singleton
public class ToolIntegrity {

    private static final Logger LOG = Logger.getLogger(ToolIntegrity.class);

    private final IntegrityConfig config;
    private final AuditLog audit;

    // ToolPolicies is injected so that its own start-up checks (every tool declares a policy) come first
    ToolIntegrity(IntegrityConfig config, ToolManager tools, ToolPolicies policies, ApprovedTools approvedTools,
            AuditLog audit) {
        this.config = config;
        this.audit = audit;
        boolean devOrTest = LaunchMode.current() != LaunchMode.NORMAL;
        if (!devOrTest && (config.mode() == IntegrityConfig.Mode.WARN || config.approve())) {
            throw new ToolIntegrityException("mcp.integrity.mode=warn and mcp.integrity.approve are for dev and test"
                    + " only; a prod server enforces the reviewed tool definitions");
        }
        checkAllowList(policies.all().keySet());
        List<ToolInfo> startupTools = new ArrayList<>();
        tools.forEach(startupTools::add);
        Map<String, JsonObject> current = ToolDefinitions.of(startupTools);
        List<String> problems = new ArrayList<>();
        new ToolDefinitionLinter(config.lint().maxTextLength(), config.lint().allow()).lint(current)
                .forEach(f -> problems.add("linter: " + f));
        ToolLockfile approved = config.approve() ? approve(current) : load(problems);
        Map<String, String> reviewedHashes = new TreeMap<>();
        if (approved != null) {
            approved.differences(current).forEach(problems::add);
            approved.definitions().forEach((name, definition) -> reviewedHashes.put(name, ToolDefinitions.sha256(definition)));
        }
        report(current, problems);
        approvedTools.approve(startupTools, reviewedHashes);
    }

    private boolean enforcing() {
        return config.mode() == IntegrityConfig.Mode.ENFORCE;
    }

    private void checkAllowList(Set<String> toolNames) {
        List<String> wrong = new ArrayList<>();
        config.lint().allow().forEach((tool, rules) -> {
            if (!toolNames.contains(tool)) {
                wrong.add("tool '" + tool + "' does not exist");
            }
            rules.stream().filter(r -> !ToolDefinitionLinter.RULES.contains(r))
                    .forEach(r -> wrong.add("rule '" + r + "' does not exist; rules: " + ToolDefinitionLinter.RULES));
        });
        if (!wrong.isEmpty()) {
            throw new ToolIntegrityException("mcp.integrity.lint.allow: " + wrong);
        }
    }

    private ToolLockfile load(List<String> problems) {
        String source = config.lockfile().orElse("classpath:" + ToolLockfile.RESOURCE);
        try (InputStream in = config.lockfile().isPresent() ? Files.newInputStream(Path.of(config.lockfile().get()))
                : Thread.currentThread().getContextClassLoader().getResourceAsStream(ToolLockfile.RESOURCE)) {
            if (in == null) {
                problems.add("no lockfile " + source + ": every tool definition is unreviewed");
                return null;
            }
            return ToolLockfile.read(in, source);
        } catch (IOException e) {
            problems.add("lockfile " + source + " unreadable: " + e.getMessage());
            return null;
        }
    }

    private ToolLockfile approve(Map<String, JsonObject> current) {
        Path target = Path.of(config.approveTarget());
        try {
            ToolLockfile lock = new ToolLockfile(current);
            lock.write(target);
            LOG.warnf("Approved %d tool definitions into %s: review its diff and commit it", current.size(),
                    target.toAbsolutePath());
            audit.record(AuditType.TOOL_DEFINITIONS, AuditOutcome.APPROVED,
                    Map.of("audit.tools", String.join(",", current.keySet()),
                            "audit.lockfile", target.toString()));
            return lock;
        } catch (IOException e) {
            throw new ToolIntegrityException("Cannot write the lockfile " + target.toAbsolutePath() + ": " + e);
        }
    }

    private void report(Map<String, JsonObject> current, List<String> problems) {
        if (problems.isEmpty()) {
            LOG.infof("%d tool definitions match the reviewed lockfile, no linter findings", current.size());
            return;
        }
        String message = "Tool definitions are not the reviewed ones:\n - " + String.join("\n - ", problems)
                + "\nIf the change is intended, approve it: ./mvnw quarkus:dev -Dmcp.integrity.approve=true, then review"
                + " and commit src/main/resources/" + ToolLockfile.RESOURCE
                + " (linter findings: fix the text, or allow a rule for a tool with mcp.integrity.lint.allow).";
        audit.record(AuditType.TOOL_DEFINITIONS, enforcing() ? AuditOutcome.DENIED : AuditOutcome.FLAGGED,
                Map.of("audit.problems", String.valueOf(problems.size()), "audit.reason", String.join("; ", problems)));
        if (enforcing()) {
            throw new ToolIntegrityException(message);
        }
        LOG.warn("\n*** UNREVIEWED TOOL DEFINITIONS (mcp.integrity.mode=warn) ***\n" + message);
    }

    /** Start-up refused: tool definitions not reviewed, or integrity settings not allowed here. */
    public static class ToolIntegrityException extends RuntimeException {
        ToolIntegrityException(String message) {
            super(message);
        }
    }
}
