package org.acme.mcp.approval;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

import jakarta.inject.Singleton;

import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.fleet.ExpiringValues;
import org.acme.mcp.fleet.SingleUse;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.roundtrip.RequestBinding;
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

    /** A new pending approval of the call {@code request} makes to {@code tool}. */
    Future<Approval> open(McpRequest request, String tool) {
        RequestBinding binding = RequestBinding.of(request);
        byte[] id = new byte[16];
        random.nextBytes(id);
        JsonObject params = request.message().getJsonObject("params");
        Object arguments = params.getValue("arguments");
        long now = System.currentTimeMillis();
        Approval approval = new Approval(Base64.getUrlEncoder().withoutPadding().encodeToString(id), binding.issuer(),
                binding.subject(), binding.client(), tool, binding.digest(),
                audit.redaction().summarize(arguments instanceof JsonObject a ? a : new JsonObject(), null).preview(),
                now, now + ttl.toMillis(), Approval.Status.PENDING, 0);
        return values.put(KEY + approval.id(), approval.encode(), ttl).map(approval);
    }

    /** The approval {@code id}, or {@code null} when there is none (never opened, or gone with its time). */
    Future<Approval> find(String id) {
        return values.get(KEY + id).map(json -> json == null ? null : Approval.decode(json));
    }

    /**
     * Records the one decision on {@code approval}: true when this was it, false when it had been decided already (on
     * any replica).
     */
    Future<Boolean> decide(Approval approval, Approval.Status decision) {
        Duration left = Duration.ofMillis(Math.max(1, approval.expiresAtMillis() - System.currentTimeMillis()));
        return singleUse.claim("approval-decision:" + approval.id(), left).compose(first -> !first
                ? Future.succeededFuture(false)
                : values.put(KEY + approval.id(), approval.decided(decision).encode(), left).map(true));
    }

    /** Uses an approved approval for the one call it approves: false when a call used it already. */
    Future<Boolean> use(Approval approval) {
        Duration left = Duration.ofMillis(Math.max(1, approval.expiresAtMillis() - System.currentTimeMillis()));
        return singleUse.claim("approval-use:" + approval.id(), left);
    }
}
