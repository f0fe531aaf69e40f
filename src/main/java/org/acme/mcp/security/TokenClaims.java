package org.acme.mcp.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Reads scopes and roles the way both supported identity providers put them in access tokens:
 * Keycloak ({@code scope}, {@code realm_access.roles}) and Microsoft Entra ID ({@code scp}, {@code roles}).
 */
public final class TokenClaims {

    private TokenClaims() {
    }

    /** OAuth scopes: the space-separated {@code scope} (RFC 9068, Keycloak) or {@code scp} (Entra ID) claim. */
    public static Set<String> scopes(JsonWebToken jwt) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String claim : List.of("scope", "scp")) {
            Object value = jwt.getClaim(claim);
            if (value instanceof JsonString s) {
                scopes.addAll(split(s.getString()));
            } else if (value instanceof String s) {
                scopes.addAll(split(s));
            }
        }
        return scopes;
    }

    /** Roles: Keycloak realm roles ({@code realm_access.roles}) and Entra ID app roles ({@code roles}). */
    public static Set<String> roles(JsonWebToken jwt) {
        Set<String> roles = new LinkedHashSet<>(strings(jwt.getClaim("roles")));
        Object realmAccess = jwt.getClaim("realm_access");
        if (realmAccess instanceof JsonObject object) {
            roles.addAll(strings(object.get("roles")));
        }
        return roles;
    }

    /** A string claim, or {@code null}. */
    public static String string(JsonWebToken jwt, String claim) {
        Object value = jwt.getClaim(claim);
        return value instanceof JsonString s ? s.getString() : value instanceof String s ? s : null;
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> strings(Object value) {
        List<String> result = new ArrayList<>();
        if (value instanceof JsonArray array) {
            for (JsonValue item : array) {
                if (item instanceof JsonString s) {
                    result.add(s.getString());
                }
            }
        } else if (value instanceof Iterable<?> items) {
            items.forEach(item -> result.add(String.valueOf(item)));
        }
        return result;
    }
}
