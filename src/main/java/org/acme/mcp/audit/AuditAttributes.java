package org.acme.mcp.audit;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.json.JsonString;

import org.acme.mcp.api.Caller;
import org.acme.mcp.pipeline.McpRequest;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.core.json.JsonArray;

/** Attribute builders shared by the emitters, so that every record names callers and sessions the same way. */
public final class AuditAttributes {

    private AuditAttributes() {
    }

    /** Identity attribute holding who the caller is, as records name it ({@link #remember}). */
    private static final String CALLER = AuditAttributes.class.getName() + ".caller";

    /**
     * Keeps the caller's attributes on its identity when its token is verified: every record of every later request
     * with the same (cached) token copies them instead of reading claims and hashing the {@code jti} again.
     */
    public static void remember(QuarkusSecurityIdentity.Builder identity, JsonWebToken jwt, Optional<String> client) {
        identity.addAttribute(CALLER, Collections.unmodifiableSortedMap(caller(jwt, client)));
    }

    /**
     * Who: issuer, subject, client ({@code mcp.rbac.client-claims}) and a hash of {@code jti}; never the token. A fresh map.
     */
    public static Map<String, String> caller(SecurityIdentity identity) {
        Map<String, String> known = identity == null ? null : identity.getAttribute(CALLER);
        if (known != null) {
            // computed once per verified token, not per record; sorted, as records are: copied without sorting
            return new TreeMap<>(known);
        }
        return identity != null && identity.getPrincipal() instanceof JsonWebToken jwt
                ? caller(jwt, Caller.of(identity).flatMap(Caller::client))
                : new TreeMap<>();
    }

    static SortedMap<String, String> caller(JsonWebToken jwt, Optional<String> client) {
        SortedMap<String, String> attrs = new TreeMap<>();
        putIfPresent(attrs, "enduser.issuer", jwt.getIssuer());
        putIfPresent(attrs, "enduser.id", jwt.getSubject());
        client.ifPresent(id -> attrs.put("client.id", id));
        // the claim as it is: getTokenID() casts, and a principal built without jose4j's checks may hold a non-string
        Object claim = jwt.getClaim("jti");
        String jti = claim instanceof JsonString s ? s.getString() : claim instanceof String s ? s : null;
        if (jti != null) {
            attrs.put("audit.token.jti_sha256", Redaction.sha256(jti).substring(0, 32));
        }
        return attrs;
    }

    /**
     * Who sent {@code request} ({@code null}: not known here), in which protocol revision and, for 2025-11-25, which
     * session: what every record of a request starts with. A fresh map the caller may add to.
     */
    public static Map<String, String> request(SecurityIdentity identity, McpRequest request) {
        Map<String, String> attrs = caller(identity);
        if (request != null) {
            String version = request.protocolVersion();
            if (version != null) {
                attrs.put("mcp.protocol.version", untrusted(version));
            }
            if (request.sessionId() != null) {
                attrs.put("mcp.session.id", session(request.sessionId()));
            }
        }
        return attrs;
    }

    /** {@link #request} and the tool called: what every tool-call record starts with. */
    public static Map<String, String> toolCall(SecurityIdentity identity, String tool, McpRequest request) {
        Map<String, String> attrs = request(identity, request);
        attrs.put("gen_ai.tool.name", untrusted(tool));
        return attrs;
    }

    /** A session id as records keep it: a hash prefix, enough to correlate, useless to replay. */
    public static String session(String sessionId) {
        if (sessionId == null) {
            return "";
        }
        String known = SESSIONS.get(sessionId);
        if (known != null) {
            return known;
        }
        if (SESSIONS.size() >= MAX_REMEMBERED_SESSIONS) {
            SESSIONS.clear(); // a bound, not an eviction policy: a forgotten hash is just computed again
        }
        String hashed = Redaction.sha256(sessionId).substring(0, 16);
        SESSIONS.put(sessionId, hashed);
        return hashed;
    }

    // every record of a session names it: hashed once per session, not once per record
    private static final int MAX_REMEMBERED_SESSIONS = 10_000;
    private static final Map<String, String> SESSIONS = new ConcurrentHashMap<>();

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    /** An untrusted header value, cut short and stripped of control characters. */
    public static String untrusted(String value) {
        if (value == null) {
            return "";
        }
        return Redaction.cut(CONTROL.matcher(value).replaceAll("?"), 128);
    }

    /**
     * What a JSON value that should have been a string is, e.g. {@code <array>}: recorded instead of the value, which
     * may hold anything (a URI with a token in it) and names no feature.
     */
    public static String jsonType(Object value) {
        return value instanceof Number ? "<number>"
                : value instanceof Boolean ? "<boolean>"
                        : value instanceof JsonArray ? "<array>" : "<object>";
    }

    private static void putIfPresent(Map<String, String> attrs, String key, String value) {
        if (value != null) {
            attrs.put(key, value);
        }
    }
}
