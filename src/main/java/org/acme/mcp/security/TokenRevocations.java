package org.acme.mcp.security;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.acme.mcp.fleet.FleetStore;
import org.acme.mcp.fleet.FleetUnavailableException;
import org.acme.mcp.identity.CallerIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Revocation hook for self-contained tokens: after {@link #revokeCaller(String)}, every token of that caller issued
 * at or before that moment is refused with 401 {@code invalid_token}, cached or not, until it has expired. The
 * caller's next token (a new login or refresh) works.
 * <p>
 * One replica keeps revocations in memory: a restart forgets them, so revoke at the identity provider too. A fleet
 * ({@link FleetStore#shared()}) keeps them in Redis: every replica refuses the tokens within a second, a restarted
 * replica reads them back, and a revocation is refused while Redis cannot be reached rather than made on one
 * replica. Either way a revocation is kept {@code mcp.security.token.revocation-retention}.
 */
@Singleton
public class TokenRevocations {

    private static final Logger LOG = Logger.getLogger(TokenRevocations.class);
    static final String SHARED_MAP = "revocations";

    private final Cache<String, Instant> revokedAt;
    private final VerifiedTokenCache cache;
    private final Duration retention;
    private final FleetStore fleet;

    @Inject
    TokenRevocations(SecurityConfig config, VerifiedTokenCache cache, FleetStore fleet) {
        this.cache = cache;
        this.retention = config.token().revocationRetention();
        this.revokedAt = Caffeine.newBuilder()
                .expireAfterWrite(retention.toNanos(), TimeUnit.NANOSECONDS)
                .executor(Runnable::run) // as in VerifiedTokenCache
                .build();
        this.fleet = fleet.shared() ? fleet : null;
        if (this.fleet != null) {
            this.fleet.share(SHARED_MAP, this::lastKnown, this::applyShared);
        }
    }

    /**
     * Refuses the caller's (issuer + subject key) tokens issued until now.
     *
     * @throws FleetUnavailableException in a fleet whose Redis cannot be reached: nothing was revoked
     */
    public void revokeCaller(String callerKey) {
        Instant now = Instant.now();
        if (fleet != null) {
            Map<String, String> changes = new HashMap<>();
            Instant forgotten = now.minus(retention); // the fleet's map forgets as this cache does
            revokedAt.asMap().forEach((key, at) -> {
                if (at.isBefore(forgotten)) {
                    changes.put(key, null);
                }
            });
            changes.put(callerKey, String.valueOf(now.getEpochSecond()));
            fleet.write(SHARED_MAP, changes);
        }
        revokedAt.put(callerKey, now);
        cache.invalidateCaller(callerKey);
        LOG.infof("Tokens issued until now revoked for a caller%s", fleet != null ? ", on every replica" : "");
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

    private Map<String, String> lastKnown() {
        Map<String, String> known = new HashMap<>();
        revokedAt.asMap().forEach((key, at) -> known.put(key, String.valueOf(at.getEpochSecond())));
        return known;
    }

    /** Revocations read from the fleet: added, never removed here (each one expires on its own). */
    private void applyShared(Map<String, String> entries) {
        Instant forgotten = Instant.now().minus(retention);
        entries.forEach((key, epoch) -> {
            Instant at;
            try {
                at = Instant.ofEpochSecond(Long.parseLong(epoch));
            } catch (RuntimeException e) {
                at = Instant.now(); // unreadable: revoke everything issued until now, rather than nothing
            }
            Instant known = revokedAt.getIfPresent(key);
            if (at.isAfter(forgotten) && (known == null || known.isBefore(at))) {
                revokedAt.put(key, at);
                cache.invalidateCaller(key);
            }
        });
    }
}
