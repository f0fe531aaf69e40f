package org.acme.mcp.validation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import io.quarkiverse.mcp.server.ToolManager;
import io.vertx.core.json.JsonObject;

/**
 * Refuses a tool call with an argument its tool does not declare. The extension would drop it in silence; a client
 * that sends one is confused or probing, and a model that reads "ok" learns nothing. The names come from the
 * extension's tool registry (what {@code tools/list} shows), once per tool: the registry's lookup by name scans every
 * tool, and this check only runs in an interceptor, i.e. for annotated tools, which are fixed at build time.
 */
@Singleton
public class DeclaredArguments {

    private static final Pattern PRINTABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final ToolManager tools;
    private final Map<String, List<String>> declared = new ConcurrentHashMap<>();

    DeclaredArguments(ToolManager tools) {
        this.tools = tools;
    }

    /** Why the call must not run, for its caller, or {@code null} when every argument is declared. */
    public String refusal(String tool, JsonObject arguments) {
        if (arguments.isEmpty()) {
            return null;
        }
        List<String> names = declared.computeIfAbsent(tool, this::lookUp);
        for (String name : arguments.fieldNames()) {
            if (!names.contains(name)) {
                // the name is the caller's text: echoed only when it is a plain identifier
                String shown = PRINTABLE_NAME.matcher(name).matches() ? "Unknown argument \"" + name + "\""
                        : "An unknown argument";
                String takes = names.isEmpty() ? "no arguments" : String.join(", ", names);
                return shown + ": " + tool + " takes " + takes + ". The tool was not run.";
            }
        }
        return null;
    }

    private List<String> lookUp(String tool) {
        ToolManager.ToolInfo info = tools.getTool(tool);
        return info == null ? List.of() : info.arguments().stream().map(ToolManager.ToolArgument::name).toList();
    }
}
