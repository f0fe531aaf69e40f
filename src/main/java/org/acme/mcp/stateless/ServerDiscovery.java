package org.acme.mcp.stateless;

import java.util.Optional;

import jakarta.inject.Singleton;

import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.transport.DeclaredCapabilities;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkiverse.mcp.server.McpServer;
import io.quarkiverse.mcp.server.runtime.config.McpServerRuntimeConfig;
import io.quarkiverse.mcp.server.runtime.config.McpServersRuntimeConfig;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a 2026-07-28 client learns from {@code server/discover}, and the {@code serverInfo} every result carries.
 * Capabilities are the ones {@code initialize} declares to the same caller (a kind of feature is declared while the
 * caller may see one of it), without {@code listChanged} or {@code subscribe}: this server opens no
 * {@code subscriptions/listen} stream, and says so consistently (the method is not found).
 */
@Singleton
class ServerDiscovery {

    /** The {@code _meta} key of the server's name and version on every 2026-07-28 result. */
    static final String SERVER_INFO_META = "io.modelcontextprotocol/serverInfo";

    private final DeclaredCapabilities declared;
    private final JsonObject serverInfo;
    private final Optional<String> instructions;

    ServerDiscovery(DeclaredCapabilities declared, McpServersRuntimeConfig config,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "N/A") String applicationName,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "N/A") String applicationVersion) {
        this.declared = declared;
        McpServerRuntimeConfig.ServerInfo info = config.servers().get(McpServer.DEFAULT).serverInfo();
        String name = info.name().orElse(applicationName);
        // the same name and version initialize gives a 2025-11-25 client
        this.serverInfo = new JsonObject().put("name", name).put("version", info.version().orElse(applicationVersion))
                .put("title", info.title().orElse(name));
        this.instructions = info.instructions();
    }

    /** Shared by every result; callers copy it into their own {@code _meta}, never change it. */
    JsonObject serverInfo() {
        return serverInfo;
    }

    /** The result of {@code server/discover} for {@code caller}, before the caching hints. */
    JsonObject discover(SecurityIdentity caller) {
        JsonObject capabilities = new JsonObject().put("tools", new JsonObject());
        for (String optional : new String[] { "prompts", "resources", "completions" }) {
            if (declared.declares(optional, caller)) {
                capabilities.put(optional, new JsonObject());
            }
        }
        JsonObject result = new JsonObject()
                .put("supportedVersions", new JsonArray(McpRequest.Era.STATELESS.versions))
                .put("capabilities", capabilities);
        instructions.ifPresent(text -> result.put("instructions", text));
        return result;
    }
}
