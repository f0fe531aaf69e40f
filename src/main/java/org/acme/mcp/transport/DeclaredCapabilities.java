package org.acme.mcp.transport;

import jakarta.inject.Singleton;

import io.quarkiverse.mcp.server.FeatureManager;
import io.quarkiverse.mcp.server.PromptCompletionManager;
import io.quarkiverse.mcp.server.PromptManager;
import io.quarkiverse.mcp.server.ResourceManager;
import io.quarkiverse.mcp.server.ResourceTemplateCompletionManager;
import io.quarkiverse.mcp.server.ResourceTemplateManager;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;

/**
 * The optional MCP capabilities the server declares at {@code initialize}, decided as the extension decides them: a
 * kind of feature is declared while the server has at least one (annotated or registered at run time). MCP: both
 * sides keep to the negotiated capabilities, so a request of an undeclared one is a method not found, where the
 * extension would answer it with an empty list.
 */
@Singleton
public class DeclaredCapabilities {

    /** The optional capability {@code method} belongs to; {@code null} for the others (tools, logging, ping, ...). */
    static String capabilityOf(String method) {
        if (method.startsWith("resources/")) {
            return "resources";
        }
        if (method.startsWith("prompts/")) {
            return "prompts";
        }
        return method.equals("completion/complete") ? "completions" : null;
    }

    /** Whether the server declares {@code capability} (one {@link #capabilityOf} returns) right now. */
    boolean declares(String capability) {
        return switch (capability) {
            case "resources" -> any(ResourceManager.class) || any(ResourceTemplateManager.class);
            case "prompts" -> any(PromptManager.class);
            case "completions" -> any(PromptCompletionManager.class) || any(ResourceTemplateCompletionManager.class);
            default -> true;
        };
    }

    /**
     * Looked up rather than injected: injecting a feature manager makes the extension announce {@code listChanged} for
     * its kind.
     */
    private static boolean any(Class<? extends FeatureManager<?>> manager) {
        InstanceHandle<? extends FeatureManager<?>> handle = Arc.container().instance(manager);
        return handle.isAvailable() && handle.get().iterator().hasNext();
    }
}
