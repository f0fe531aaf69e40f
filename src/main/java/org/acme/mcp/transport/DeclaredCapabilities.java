package org.acme.mcp.transport;

import java.util.function.Predicate;

import jakarta.inject.Singleton;

import org.acme.mcp.rbac.FeatureAccess;
import org.acme.mcp.rbac.FeaturePolicies.Kind;

import io.quarkiverse.mcp.server.FeatureManager;
import io.quarkiverse.mcp.server.FeatureManager.FeatureInfo;
import io.quarkiverse.mcp.server.PromptCompletionManager;
import io.quarkiverse.mcp.server.PromptManager;
import io.quarkiverse.mcp.server.ResourceManager;
import io.quarkiverse.mcp.server.ResourceTemplateCompletionManager;
import io.quarkiverse.mcp.server.ResourceTemplateManager;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The optional MCP capabilities the server declares at {@code initialize}, decided as the extension decides them: a
 * kind of feature is declared while the server has at least one the caller may see. MCP: both sides keep to the
 * negotiated capabilities, so a request of an undeclared one is a method not found, where the extension would answer
 * it with an empty list.
 */
@Singleton
public class DeclaredCapabilities {

    /** The optional capability {@code method} belongs to; {@code null} for the others (tools, logging, ping, ...). */
    public static String capabilityOf(String method) {
        if (method.startsWith("resources/")) {
            return "resources";
        }
        if (method.startsWith("prompts/")) {
            return "prompts";
        }
        return method.equals("completion/complete") ? "completions" : null;
    }

    private final FeatureAccess access;

    DeclaredCapabilities(FeatureAccess access) {
        this.access = access;
    }

    /**
     * Whether the server declares {@code capability} (one {@link #capabilityOf} returns) to {@code caller} right now:
     * like the extension, it counts only the features the caller may see.
     */
    public boolean declares(String capability, SecurityIdentity caller) {
        return switch (capability) {
            case "resources" -> any(ResourceManager.class, r -> access.allowed(Kind.RESOURCE, r.name(), caller))
                    || any(ResourceTemplateManager.class, t -> access.allowed(Kind.RESOURCE_TEMPLATE, t.name(), caller));
            case "prompts" -> any(PromptManager.class, p -> access.allowed(Kind.PROMPT, p.name(), caller));
            // declared by the extension to everyone while any exists; each is authorized on use (FeatureGate)
            case "completions" -> any(PromptCompletionManager.class, c -> true)
                    || any(ResourceTemplateCompletionManager.class, c -> true);
            default -> true;
        };
    }

    private static <I extends FeatureInfo> boolean any(Class<? extends FeatureManager<I>> type, Predicate<I> visible) {
        FeatureManager<I> manager = FeatureAccess.manager(type);
        if (manager != null) {
            for (I info : manager) {
                if (visible.test(info)) {
                    return true;
                }
            }
        }
        return false;
    }
}
