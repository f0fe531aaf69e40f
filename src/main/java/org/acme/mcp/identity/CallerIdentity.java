package org.acme.mcp.identity;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.arc.Arc;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who a request comes from, as a stable key: the token's issuer and subject. Display names such as
 * {@code preferred_username} can be reassigned; {@code iss}+{@code sub} cannot (OIDC Core §5.7).
 */
public final class CallerIdentity {

    private CallerIdentity() {
    }

    /**
     * The identity of the request being served, or {@code null} outside a request context (e.g. on a thread a tool
     * call was handed to).
     */
    public static SecurityIdentity current(CurrentIdentityAssociation identities) {
        return Arc.container().requestContext().isActive() ? identities.getIdentity() : null;
    }

    /** Identity attribute holding {@link #key(SecurityIdentity)}, set once per verified token. */
    public static final String KEY = CallerIdentity.class.getName() + ".key";

    /** The issuer+subject key of an authenticated identity, or {@code null} for anonymous ones. */
    public static String key(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return null;
        }
        String known = identity.getAttribute(KEY);
        if (known != null) {
            return known; // the same string every request: its hash code is computed once, not per lookup
        }
        return identity.getPrincipal() instanceof JsonWebToken jwt ? key(jwt) : null;
    }

    /** The issuer+subject key of a token, or {@code null} when it names no subject. */
    public static String key(JsonWebToken jwt) {
        return jwt.getSubject() == null ? null : jwt.getIssuer() + " " + jwt.getSubject();
    }
}
