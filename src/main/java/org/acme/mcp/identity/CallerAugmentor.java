package org.acme.mcp.identity;

import jakarta.inject.Singleton;

import org.acme.mcp.api.Caller;
import org.acme.mcp.audit.AuditAttributes;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The one place that derives who a caller is, once, when its token is verified: the {@link Caller} (scopes, roles,
 * client, authentication time) for authorization and tools, the issuer+subject key for limits and session binding,
 * and the caller's audit attributes. Every later request with the same (cached) token reuses them.
 */
@Singleton
public class CallerAugmentor implements SecurityIdentityAugmentor {

    private final CallerClaims claims;

    CallerAugmentor(CallerClaims claims) {
        this.claims = claims;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        Caller caller = claims.of(jwt);
        QuarkusSecurityIdentity.Builder augmented = QuarkusSecurityIdentity.builder(identity)
                .addAttribute(Caller.ATTRIBUTE, caller);
        AuditAttributes.remember(augmented, jwt, caller.client());
        String key = CallerIdentity.key(jwt);
        if (key != null) {
            augmented.addAttribute(CallerIdentity.KEY, key);
        }
        return Uni.createFrom().item(augmented.build());
    }
}
