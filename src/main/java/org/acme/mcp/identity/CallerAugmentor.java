package org.acme.mcp.rbac;

import jakarta.inject.Singleton;

import org.acme.mcp.security.CallerIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Reads a caller's scopes and roles (and its issuer+subject key) once, when its token is verified, and keeps them on
 * the identity: every authorization check of every later request with the same (cached) token reuses them.
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
        QuarkusSecurityIdentity.Builder augmented = QuarkusSecurityIdentity.builder(identity)
                .addAttribute(CallerClaims.ATTRIBUTE, claims.of(jwt));
        String key = CallerIdentity.key(jwt);
        if (key != null) {
            augmented.addAttribute(CallerIdentity.KEY, key);
        }
        return Uni.createFrom().item(augmented.build());
    }
}
