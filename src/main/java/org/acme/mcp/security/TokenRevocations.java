package org.acme.mcp.security;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import org.acme.mcp.identity.CallerIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Revocation hook for self-contained tokens: after {@link #revokeCaller(String)}, every token of that caller issued
 * at or before that moment is refused with 401 {@code invalid_token}, cached or not, until it has expired. The
 * caller's next token (a new login or refresh) works. In memory: a restarted server forgets revocations, so revoke at
 * the identity provider too (end the user's sessions there, or disable the user).
 */
@Singleton
public class TokenRevocations {

    private static final Logger LOG = Logger.getLogger(TokenRevocations.class);

    private final Cache<String, Instant> revokedAt;
    private final VerifiedTokenCache cache;

    TokenRevocations(SecurityConfig config, VerifiedTokenCache cache) {
        this.cache = cache;
        this.revokedAt = Caffeine.newBuilder()
                .expireAfterWrite(config.token().revocationRetention().toNanos(), TimeUnit.NANOSECONDS)
                .executor(Runnable::run) // as in VerifiedTokenCache
                .build();
    }

    /** Refuses the caller's (issuer + subject key) tokens issued until now. */
    public void revokeCaller(String callerKey) {
        revokedAt.put(callerKey, Instant.now());
        cache.invalidateCaller(callerKey);
        LOG.infof("Tokens issued until now revoked for a caller");
    }

    /** Whether the identity's token was issued at or before a revocation of its caller. */
    public boolean isRevoked(SecurityIdentity identity) {
        if (revokedAt.asMap().isEmpty() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return false; // the usual case, checked on every request: nothing revoked
        }
        String key = CallerIdentity.key(identity);
        Instant revoked = key == null ? null : revokedAt.getIfPresent(key);
        return revoked != null && jwt.getIssuedAtTime() <= revoked.getEpochSecond();
    }
}
