package org.acme.mcp.approval;

import java.net.URI;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.mcp.api.InputRequired;
import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.pipeline.ErrorResponses;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.pipeline.Pipeline;
import org.acme.mcp.pipeline.Resume;
import org.acme.mcp.rbac.ToolPolicies;
import org.acme.mcp.rbac.ToolPolicy;
import org.acme.mcp.roundtrip.RequestBinding;
import org.acme.mcp.roundtrip.RequestStates;
import org.acme.mcp.security.SecurityConfig;

import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Holds back the call of a tool that needs a person's approval until the user who made it approved it, on this
 * server's page, outside the client. The first call opens an {@link Approval} and answers {@code input_required} with
 * a URL-mode elicitation of the page and a sealed state naming it; the retry that brings the state back
 * ({@code roundtrip.RequestStateCheck} verified it is this caller's, for this tool and these arguments) finds the
 * approval: still pending, asked again; denied, answered so; approved, used once and the call goes on. A 2025-11-25
 * caller is told to use 2026-07-28 (this server sends clients no requests of its own). Every step is audited
 * ({@code approval}).
 */
@ApplicationScoped
@Pipeline.At(Pipeline.Stage.APPROVAL)
public class ApprovalGate implements Pipeline.HttpStage {

    /** What the gate asks a client to open: the kind of input request the client must be able to answer. */
    private static final InputRequired.Request PAGE_LINK = new InputRequired.Request(InputRequired.Kind.ELICITATION_URL,
            "elicitation/create", Map.of());

    private final ToolPolicies policies;
    private final Approvals approvals;
    private final RequestStates states;
    private final AuditLog audit;
    private final URI resource;

    ApprovalGate(ToolPolicies policies, Approvals approvals, RequestStates states, AuditLog audit,
            SecurityConfig security) {
        this.policies = policies;
        this.approvals = approvals;
        this.states = states;
        this.audit = audit;
        this.resource = security.resource();
    }

    @Override
    public void handle(RoutingContext ctx) {
        McpRequest request = McpRequest.of(ctx);
        String tool = request.allowedTool();
        ToolPolicy policy = tool == null ? null : policies.policy(tool);
        if (policy == null || !policy.approval() || request.roundTrip().approvalUsed()) {
            ctx.next(); // no approval needed, or this chain of round trips used its approval already
            return;
        }
        if (!request.stateless()) {
            record(request, tool, AuditOutcome.DENIED, "needs MCP 2026-07-28", null);
            ErrorResponses.reply(ctx, 200, request.id(), JsonRpcErrorCodes.INVALID_REQUEST, "Tool " + tool
                    + " needs a person's approval, which this server asks for the MCP 2026-07-28 way: call it with"
                    + " MCP-Protocol-Version: 2026-07-28.", null);
            return;
        }
        McpRequest.Answer cannotAsk = states.unsupported(request, PAGE_LINK);
        if (cannotAsk != null) {
            request.answerInstead(cannotAsk); // -32021: the client cannot open a page, so nothing is opened for it
            ctx.next();
            return;
        }
        String id = request.roundTrip().approval();
        if (id == null) {
            Resume.when(ctx, approvals.open(request, tool), opened -> {
                if (opened.failed() && opened.cause() instanceof IllegalArgumentException tooLong) {
                    record(request, tool, AuditOutcome.DENIED, tooLong.getMessage(), null);
                    ErrorResponses.reply(ctx, 400, request.id(), JsonRpcErrorCodes.INVALID_PARAMS,
                            "Invalid params: " + tooLong.getMessage(), null);
                } else if (opened.failed()) {
                    unavailable(ctx, request, tool);
                } else {
                    record(request, tool, AuditOutcome.INPUT_REQUIRED, "approval asked for", opened.result());
                    ask(ctx, request, opened.result());
                }
            });
            return;
        }
        Resume.when(ctx, approvals.find(id), found -> {
            if (found.failed()) {
                unavailable(ctx, request, tool);
                return;
            }
            Approval approval = found.result();
            RequestBinding binding = RequestBinding.of(request);
            if (approval == null || approval.expired()) {
                refuse(ctx, request, tool, "approval expired or unknown", approval);
            } else if (!approval.madeBy(binding.issuer(), binding.subject()) || !approval.tool().equals(tool)
                    || !approval.digest().equals(binding.digest())) {
                // the sealed state already binds all of this: only a forged state or a store changed behind our back
                refuse(ctx, request, tool, "approval of another call", approval);
            } else if (approval.status() == Approval.Status.PENDING) {
                ask(ctx, request, approval);
            } else if (approval.status() == Approval.Status.DENIED) {
                record(request, tool, AuditOutcome.DENIED, "denied by the user", approval);
                request.answerInstead(new McpRequest.Answer(200, new JsonObject().put("isError", true)
                        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text",
                                "The user denied this call of " + tool + " on the approval page; it did not run."))),
                        null));
                ctx.next();
            } else {
                use(ctx, request, tool, approval);
            }
        });
    }

    private void use(RoutingContext ctx, McpRequest request, String tool, Approval approval) {
        Resume.when(ctx, approvals.use(approval), used -> {
            if (used.failed()) {
                unavailable(ctx, request, tool);
            } else if (!used.result()) {
                refuse(ctx, request, tool, "approval used already", approval);
            } else {
                record(request, tool, AuditOutcome.OK, "approval used", approval);
                request.roundTrip(request.roundTrip().withApprovalUsed());
                ctx.next();
            }
        });
    }

    /** Answers {@code input_required} with the approval page; the dispatch stage sends it, nothing runs. */
    private void ask(RoutingContext ctx, McpRequest request, Approval approval) {
        InputRequired input = InputRequired.builder().elicitUrl("approval", "The call of " + approval.tool()
                + " needs your approval: open the page, sign in, check what will run and decide. Then let the client"
                + " retry.", resource.resolve(McpRequest.APPROVAL_PAGE + approval.id())).build();
        request.answerInstead(states.approvalRequired(request, input, approval.id()));
        ctx.next();
    }

    private void refuse(RoutingContext ctx, McpRequest request, String tool, String reason, Approval approval) {
        record(request, tool, AuditOutcome.DENIED, reason, approval);
        ErrorResponses.reply(ctx, 400, request.id(), JsonRpcErrorCodes.INVALID_PARAMS, "Invalid params: the approval"
                + " this retry names is not one for this call, has expired, or was used already: call again without"
                + " requestState", null);
    }

    private void unavailable(RoutingContext ctx, McpRequest request, String tool) {
        record(request, tool, AuditOutcome.ERROR, "approvals cannot be read or kept right now", null);
        // the request's state may be spent already: the next try starts over
        ErrorResponses.reply(ctx, 503, request.id(), JsonRpcErrorCodes.INTERNAL_ERROR,
                "Approvals cannot be checked right now: call again later, without requestState", null);
    }

    private void record(McpRequest request, String tool, AuditOutcome outcome, String reason, Approval approval) {
        Map<String, String> attrs = AuditAttributes.toolCall(request.caller(), tool, request);
        attrs.put("audit.reason", reason);
        if (approval != null) {
            attrs.put("approval.id", approval.id());
        }
        audit.record(AuditType.APPROVAL, outcome, attrs);
    }
}
