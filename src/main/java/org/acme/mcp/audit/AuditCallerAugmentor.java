package org.acme.mcp.audit;

import java.util.Collections;
import java.util.Map;

import jakarta.inject.Singleton;

import org.acme.mcp.rbac.CallerClaims;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Names the caller for audit records once, when its token is verified: every record of every later request with the
 * same (cached) token copies it instead of reading claims and hashing the {@code jti} again.
 */
@Singleton
public class AuditCallerAugmentor implements SecurityIdentityAugmentor {

    private final CallerClaims claims;

    AuditCallerAugmentor(CallerClaims claims) {
        this.claims = claims;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        Map<String, String> caller = Collections.unmodifiableSortedMap(AuditAttributes.caller(jwt, claims.clientId(jwt)));
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity)
                .addAttribute(AuditAttributes.CALLER, caller).build());
    }
}
