package org.acme.mcp.identity;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.acme.mcp.api.Caller;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Reads what authorization needs from a caller's access token, using the claim names of {@link ClaimsConfig}, so the
 * same code serves Keycloak ({@code scope}, {@code realm_access.roles}) and Entra ID ({@code scp}, {@code roles}).
 */
@ApplicationScoped
public class CallerClaims {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final ClaimsConfig config;

    public CallerClaims(ClaimsConfig config) {
        this.config = config;
    }

    /** Empty for anonymous or non-JWT identities: such a caller is granted nothing. */
    public Optional<Caller> of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Optional.empty();
        }
        return Optional.of(Caller.of(identity).orElseGet(() -> of(jwt)));
    }

    public Caller of(JsonWebToken jwt) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String claim : config.scopeClaims()) {
            String value = string(jwt, claim);
            if (value != null) {
                for (String scope : WHITESPACE.split(value.trim())) {
                    if (!scope.isEmpty()) {
                        scopes.add(scope);
                    }
                }
            }
        }
        implied(scopes);
        Set<String> roles = new LinkedHashSet<>();
        config.roleClaims().forEach(path -> roles.addAll(strings(jwt, path)));
        config.groupClaims().ifPresent(paths -> paths.forEach(path -> roles.addAll(strings(jwt, path))));
        Object authTime = jwt.getClaim("auth_time");
        // smallrye-jwt answers 0 for a missing standard numeric claim: that is "never", not 1970
        Optional<Long> auth = (authTime instanceof JsonNumber n ? Optional.of(n.longValue())
                : authTime instanceof Number n ? Optional.of(n.longValue()) : Optional.<Long> empty())
                .filter(t -> t > 0);
        return new Caller(jwt.getIssuer(), jwt.getSubject(), Set.copyOf(scopes), Set.copyOf(roles), auth,
                Optional.ofNullable(string(jwt, "acr")), clientId(jwt));
    }

    /** Adds to {@code scopes} every scope they imply ({@link ClaimsConfig#scopeImplies()}), transitively. */
    private void implied(Set<String> scopes) {
        if (config.scopeImplies().isEmpty()) {
            return;
        }
        Deque<String> pending = new ArrayDeque<>(scopes);
        while (!pending.isEmpty()) {
            for (String narrower : config.scopeImplies().getOrDefault(pending.pop(), List.of())) {
                if (scopes.add(narrower)) {
                    pending.push(narrower);
                }
            }
        }
    }

    /**
     * The OAuth client the token was issued to: the first of {@link ClaimsConfig#clientClaims()} present. The one place
     * that reads it, so that rate limits, audit records, whoami and client blocks agree on who the client is.
     */
    public Optional<String> clientId(JsonWebToken jwt) {
        for (String claim : config.clientClaims()) {
            String value = string(jwt, claim);
            if (value != null && !value.isEmpty()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /**
     * The client of an authenticated identity, as read once when its token was verified ({@link CallerAugmentor});
     * empty for anonymous identities. For code without access to this bean, such as audit attribute builders.
     */
    public static Optional<String> clientOf(SecurityIdentity identity) {
        return Caller.of(identity).flatMap(Caller::client);
    }

    /** A string claim, or {@code null}. */
    public static String string(JsonWebToken jwt, String claim) {
        Object value = jwt.getClaim(claim);
        return value instanceof JsonString s ? s.getString() : value instanceof String s ? s : null;
    }

    private static List<String> strings(JsonWebToken jwt, String path) {
        String[] segments = path.split("/");
        Object value = jwt.getClaim(segments[0]);
        for (int i = 1; i < segments.length && value != null; i++) {
            value = value instanceof JsonObject object ? object.get(segments[i]) : null;
        }
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
