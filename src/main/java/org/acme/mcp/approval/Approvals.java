package org.acme.mcp.approval;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

import jakarta.inject.Singleton;

import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.fleet.ExpiringValues;
import org.acme.mcp.fleet.SingleUse;
import org.acme.mcp.guard.InvisibleCharacters;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.roundtrip.RequestBinding;
import org.acme.mcp.roundtrip.RequestStates;
import org.acme.mcp.roundtrip.RoundTripConfig;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The approvals of tool calls, shared by every replica ({@link ExpiringValues}): opened when a call needs one, decided
 * once by the user who made the call, used once by the call's retry. Each lives as long as a sealed request state, so
 * the retry that carries its id can always find it while the state is valid.
 */
@Singleton
public class Approvals {

    private static final String KEY = "approval:";
    private static final String DECISION = "approval-decision:";
    /** The most of the arguments a page shows; a call with more cannot be approved (nobody could read it all). */
    static final int MAX_SHOWN = 16 * 1024;

    private final ExpiringValues values;
    private final SingleUse singleUse;
    private final AuditLog audit;
    private final Duration ttl;
    private final SecureRandom random = new SecureRandom();

    Approvals(ExpiringValues values, SingleUse singleUse, AuditLog audit, RoundTripConfig config) {
        this.values = values;
        this.singleUse = singleUse;
        this.audit = audit;
        this.ttl = config.stateTtl();
    }

    /**
     * A new pending approval of the call {@code request} makes to {@code tool}. It keeps the arguments as the page
     * shows them: whole (what is approved is what runs), secrets of sensitive names hidden, invisible characters made
     * visible. Fails with {@link IllegalArgumentException} when they are too long to be read.
     */
    Future<Approval> open(McpRequest request, String tool) {
        RequestBinding binding = RequestBinding.of(request);
        Object arguments = request.message().getJsonObject("params").getValue("arguments");
        String shown = InvisibleCharacters.neutralise(audit.redaction()
                .hideSensitive(arguments instanceof JsonObject a ? a : new JsonObject()).encodePrettily());
        if (shown.length() > MAX_SHOWN) {
            return Future.failedFuture(new IllegalArgumentException("the arguments are too long to be shown for"
                    + " approval (" + shown.length() + " characters, at most " + MAX_SHOWN + ")"));
        }
        byte[] id = new byte[16];
        random.nextBytes(id);
        long now = System.currentTimeMillis();
        Approval approval = new Approval(Base64.getUrlEncoder().withoutPadding().encodeToString(id), binding.issuer(),
                binding.subject(), binding.client(), tool, binding.digest(), shown, now, now + ttl.toMillis(),
                Approval.Status.PENDING, 0);
        return values.put(KEY + approval.id(), approval.encode(), ttl).map(approval);
    }

    /**
     * The approval {@code id} with its decision, or {@code null} when there is none (never opened, or gone with its
     * time).
     */
    Future<Approval> find(String id) {
        return values.get(KEY + id).compose(json -> json == null ? Future.succeededFuture(null)
                : values.get(DECISION + id).map(decision -> {
                    Approval approval = Approval.decode(json);
                    if (decision == null) {
                        return approval;
                    }
                    int at = decision.indexOf(':');
                    return approval.decided(Approval.Status.valueOf(decision.substring(0, at)),
                            Long.parseLong(decision.substring(at + 1)));
                }));
    }

    /**
     * Records the one decision on {@code approval}, in one atomic write: true when this was it, false when it had been
     * decided already (on any replica).
     */
    Future<Boolean> decide(Approval approval, Approval.Status decision) {
        return values.putIfAbsent(DECISION + approval.id(), decision.name() + ":" + System.currentTimeMillis(),
                RequestStates.claimFor(approval.expiresAtMillis()));
    }

    /** Uses an approved approval for the one call it approves: false when a call used it already. */
    Future<Boolean> use(Approval approval) {
        return singleUse.claim("approval-use:" + approval.id(), RequestStates.claimFor(approval.expiresAtMillis()));
    }
}
