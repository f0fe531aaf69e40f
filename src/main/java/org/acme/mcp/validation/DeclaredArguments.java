package org.acme.mcp.validation;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import io.quarkiverse.mcp.server.ToolManager;
import io.vertx.core.json.JsonObject;

/**
 * Refuses a tool call with an argument its tool does not declare. The extension would drop it in silence; a client
 * that sends one is confused or probing, and a model that reads "ok" learns nothing. The names come from the
 * extension's tool registry (what {@code tools/list} shows), so a tool registered at runtime is covered too.
 */
@Singleton
public class DeclaredArguments {

    private static final Pattern PRINTABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final ToolManager tools;

    DeclaredArguments(ToolManager tools) {
        this.tools = tools;
    }

    /** Why the call must not run, for its caller, or {@code null} when every argument is declared. */
    public String refusal(String tool, JsonObject arguments) {
        if (arguments.isEmpty()) {
            return null;
        }
        ToolManager.ToolInfo info = tools.getTool(tool);
        List<ToolManager.ToolArgument> declared = info == null ? List.of() : info.arguments();
        for (String name : arguments.fieldNames()) {
            if (!declares(declared, name)) {
                // the name is the caller's text: echoed only when it is a plain identifier
                String shown = PRINTABLE_NAME.matcher(name).matches() ? "Unknown argument \"" + name + "\""
                        : "An unknown argument";
                String takes = declared.isEmpty() ? "no arguments"
                        : String.join(", ", declared.stream().map(ToolManager.ToolArgument::name).toList());
                return shown + ": " + tool + " takes " + takes + ". The tool was not run.";
            }
        }
        return null;
    }

    private static boolean declares(List<ToolManager.ToolArgument> declared, String name) {
        for (ToolManager.ToolArgument argument : declared) {
            if (argument.name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
