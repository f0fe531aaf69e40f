package org.acme.mcp.validation;

import jakarta.inject.Singleton;

import io.quarkiverse.mcp.server.GlobalInputSchemaGenerator;
import io.quarkiverse.mcp.server.ToolManager.ToolInfo;
import io.quarkiverse.mcp.server.runtime.DefaultSchemaGenerator;
import io.vertx.core.json.JsonObject;

/**
 * Publishes every tool's input schema closed ({@code "additionalProperties": false}), the form MCP 2025-11-25
 * recommends: a client learns from {@code tools/list} that an argument the tool does not declare is refused
 * ({@link DeclaredArguments}). The schema itself is the MCP extension's ({@link DefaultSchemaGenerator}, its default
 * bean, an internal class of quarkus-mcp-server 1.13; re-check on upgrades). A tool with its own
 * {@code @Tool(inputSchema = ...)} generator publishes what that generator makes; its calls are refused all the same.
 */
@Singleton
public class ClosedInputSchemas implements GlobalInputSchemaGenerator {

    private final DefaultSchemaGenerator schemas;

    ClosedInputSchemas(DefaultSchemaGenerator schemas) {
        this.schemas = schemas;
    }

    @Override
    public InputSchema generate(ToolInfo tool) {
        // a copy through its JSON text: the generated object may hold Jackson nodes that JsonObject cannot copy
        JsonObject schema = new JsonObject(schemas.generate(tool).asJson());
        schema.put("additionalProperties", false);
        return new InputSchema() {
            @Override
            public Object value() {
                return schema;
            }

            @Override
            public String asJson() {
                return schema.encode();
            }
        };
    }
}
