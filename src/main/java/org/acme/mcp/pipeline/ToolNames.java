package org.acme.mcp.pipeline;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.quarkiverse.mcp.server.Tool;

/** The MCP name of a tool method: what policies, limits, guards and records are keyed by. */
public final class ToolNames {

    private ToolNames() {
    }

    /**
     * The tool name of a method, or {@code null} for a method that is not a tool; read once per method, as
     * interceptors ask on every call.
     */
    public static String toolNameOrNull(Method m) {
        Optional<String> known = TOOL_NAMES.get(m);
        if (known == null) {
            known = Optional.ofNullable(m.isAnnotationPresent(Tool.class) ? toolName(m) : null);
            TOOL_NAMES.put(m, known);
        }
        return known.orElse(null);
    }

    private static final Map<Method, Optional<String>> TOOL_NAMES = new ConcurrentHashMap<>();

    /** The MCP name a {@code @Tool} method declares (its Java name when the annotation names none). */
    public static String toolName(Method m) {
        String name = m.getAnnotation(Tool.class).name();
        return name.equals(Tool.ELEMENT_NAME) ? m.getName() : name;
    }
}
