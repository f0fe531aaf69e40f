package org.acme.mcp.support;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.acme.mcp.api.AnyAuthenticatedCaller;
import org.acme.mcp.api.RequiresRecentAuthentication;
import org.acme.mcp.api.RequiresRoles;
import org.acme.mcp.api.RequiresScopes;

import io.quarkiverse.mcp.server.Tool;
import io.vertx.core.json.JsonObject;

/**
 * Every tool the application ships, with the policy its annotations declare, read here from the compiled classes on
 * their own (not through the server's policy code): what tests expect of a tool they were never told about.
 */
public final class ToolDeclarations {

    /** One {@code @Tool} method and the policy on it (or on its class). */
    public record Declared(String name, Set<String> roles, Set<String> scopes, Optional<Long> maxAuthAgeSeconds) {

        /** A caller that holds exactly what the tool asks for: one of its roles, its scopes, a recent login. */
        public Tokens allowedCaller(String subject) {
            Tokens token = Tokens.keycloak().subject(subject).scope(String.join(" ", scopes)).authenticatedAgo(5);
            return roles.isEmpty() ? token.without("realm_access") : token.roles(roles.iterator().next());
        }
    }

    private ToolDeclarations() {
    }

    /** The shipped tools, by name. */
    public static List<Declared> all() {
        List<Declared> tools = new ArrayList<>();
        for (String name : MainClasses.names()) {
            Class<?> type = MainClasses.load(name);
            for (Method method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(Tool.class)) {
                    tools.add(declared(method, type));
                }
            }
        }
        tools.sort(Comparator.comparing(Declared::name));
        return tools;
    }

    private static Declared declared(Method method, Class<?> type) {
        String name = method.getAnnotation(Tool.class).name();
        RequiresRoles roles = find(method, type, RequiresRoles.class);
        RequiresScopes scopes = find(method, type, RequiresScopes.class);
        RequiresRecentAuthentication recent = find(method, type, RequiresRecentAuthentication.class);
        if (roles == null && scopes == null && find(method, type, AnyAuthenticatedCaller.class) == null) {
            throw new IllegalStateException(name + " declares no policy");
        }
        return new Declared(name.equals(Tool.ELEMENT_NAME) ? method.getName() : name,
                roles == null ? Set.of() : Set.of(roles.value()), scopes == null ? Set.of() : Set.of(scopes.value()),
                recent == null || recent.maxAgeSeconds() <= 0 ? Optional.empty() : Optional.of(recent.maxAgeSeconds()));
    }

    private static <A extends Annotation> A find(Method method, Class<?> type, Class<A> kind) {
        A onMethod = method.getAnnotation(kind);
        return onMethod != null ? onMethod : type.getAnnotation(kind);
    }

    /**
     * Arguments a tool's input schema accepts, made up from it: each required property gets a value of its type
     * ({@code "x"}, {@code 1}, {@code false}, an empty array or object). Enough to pass the gates; what the tool
     * makes of it may be its own error.
     */
    public static JsonObject argumentsFor(JsonObject inputSchema) {
        JsonObject arguments = new JsonObject();
        JsonObject properties = inputSchema.getJsonObject("properties", new JsonObject());
        for (Object required : inputSchema.getJsonArray("required", new io.vertx.core.json.JsonArray())) {
            JsonObject property = properties.getJsonObject((String) required, new JsonObject());
            Object enumValues = property.getValue("enum");
            Object value = enumValues instanceof io.vertx.core.json.JsonArray values && !values.isEmpty() ? values.getValue(0)
                    : switch (property.getString("type", "string")) {
                        case "integer", "number" -> 1;
                        case "boolean" -> false;
                        case "array" -> new io.vertx.core.json.JsonArray();
                        case "object" -> new JsonObject();
                        default -> "x";
                    };
            arguments.put((String) required, value);
        }
        return arguments;
    }

    /** The shipped tools by name. */
    public static Map<String, Declared> byName() {
        Map<String, Declared> byName = new java.util.TreeMap<>();
        all().forEach(t -> byName.put(t.name(), t));
        return byName;
    }
}
