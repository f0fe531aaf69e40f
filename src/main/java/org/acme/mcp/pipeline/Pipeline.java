package org.acme.mcp.pipeline;

import java.lang.annotation.Annotation;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.arc.All;
import io.quarkus.arc.ClientProxy;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;

/**
 * What happens to a request to the MCP endpoint, in order. This file is the one list: every HTTP stage and every
 * interceptor around a tool call is named here with its purpose, and takes its place from here, never from a number
 * of its own.
 * <p>
 * A request passes the {@link Stage}s top to bottom; a stage either answers (and the request ends there) or calls
 * {@code ctx.next()}. The platform's own steps sit between {@link Stage#TRANSPORT} and the rest. Stages share what
 * they learn through the typed {@link McpRequest}, never through string keys. Both protocol eras pass the same stages
 * ({@link McpRequest#era()}); what passes them all is served by the extension (quarkus-mcp-server): through its own
 * route for a 2025-11-25 session, through {@link Stage#STATELESS_DISPATCH} for a 2026-07-28 request. Either way the
 * extension runs the {@link FeatureFilters} and then the tool method inside the {@link ToolCall} interceptors.
 * <p>
 * To add a check: add a constant to {@link Stage} where it belongs, and a bean implementing {@link HttpStage} marked
 * {@code @Pipeline.At} that constant. The server refuses to start when a stage has no bean or two.
 */
public final class Pipeline {

    private Pipeline() {
    }

    /** The HTTP stages of a request, in the order they run. */
    public enum Stage {
        /**
         * Refuses what must never reach the application, whoever asks: a foreign {@code Origin} or {@code Host},
         * a token outside the Authorization header, an unsupported {@code MCP-Protocol-Version}, the legacy SSE paths.
         * {@code transport.TransportGuard}. The request's {@link McpRequest} is opened just before it.
         */
        TRANSPORT(Phase.BEFORE_AUTHENTICATION),

        // ---- the platform: CORS (300), bearer authentication (200, McpBearerAuthenticationMechanism: 401 with the
        // ---- RFC 9728 challenge), the path policy "authenticated" (100). Anonymous requests end here.

        /**
         * Refuses subjects and OAuth clients on the kill switch's block list (403).
         * {@code incident.BlockedCallerFilter}
         */
        BLOCKED_CALLER(Phase.AFTER_AUTHORIZATION),
        /**
         * Takes one token of the caller's request budget, before any work is done for it (429).
         * {@code limits.RequestBudgetFilter}
         */
        REQUEST_BUDGET(Phase.AFTER_AUTHORIZATION),
        /**
         * Binds a session to the caller that opened it; a foreign or unknown session gets 404; caps sessions.
         * 2026-07-28 requests have no session and skip it. {@code transport.SessionBinding}
         */
        SESSION_BINDING(Phase.AFTER_AUTHORIZATION),
        /** Caps the SSE streams ({@code GET}) open per session. {@code transport.StreamLimit} */
        STREAM_LIMIT(Phase.AFTER_AUTHORIZATION),
        /** Reads the body of a {@code POST}, within the platform's size limit. {@code transport.RequestBodyReader} */
        BODY_READ(Phase.AFTER_AUTHORIZATION),
        /**
         * Vets the body: UTF-8, depth, one JSON-RPC message, a session unless it is {@code initialize}, members'
         * types, declared capabilities; parses it once into {@link McpRequest#message()}.
         * {@code transport.RequestBodyGuard}
         */
        BODY_CHECK(Phase.AFTER_AUTHORIZATION),
        /**
         * For a 2026-07-28 request: {@code _meta}, the headers against the body, the revision and the method, each
         * refused with its own error and the request's id; answers {@code server/discover}.
         * {@code stateless.StatelessRequestCheck}
         */
        STATELESS_CHECK(Phase.AFTER_AUTHORIZATION),
        /**
         * Authorizes {@code tools/call}: 403 {@code insufficient_scope}, 401 step-up (RFC 9470), or "unknown tool"
         * for a tool the caller may not know; records the allowed tool in {@link McpRequest#allowedTool()}.
         * {@code rbac.ToolCallGate}
         */
        TOOL_CALL_GATE(Phase.AFTER_AUTHORIZATION),
        /**
         * Authorizes {@code prompts/get}, {@code resources/read|subscribe}, {@code completion/complete}.
         * {@code rbac.FeatureGate}
         */
        FEATURE_GATE(Phase.AFTER_AUTHORIZATION),
        /**
         * Takes from the caller's, the client's and the tool's call budgets (429), for allowed tool calls only.
         * {@code limits.RateLimitFilter}
         */
        TOOL_CALL_RATE(Phase.AFTER_AUTHORIZATION),
        /**
         * For a 2026-07-28 {@code tools/call}, {@code prompts/get} or {@code resources/read} that retries an
         * {@code input_required} answer: verifies its {@code requestState} (sealed by this server, for this caller,
         * client and request, unexpired, unused) and the shape of its {@code inputResponses}; -32602 otherwise, with
         * nothing executed. Records what it brought in {@link McpRequest#roundTrip()}. {@code roundtrip.RequestStateCheck}
         */
        REQUEST_STATE(Phase.AFTER_AUTHORIZATION),
        /**
         * For a tool that needs a person's approval ({@code api.RequiresApproval}): without one, opens it and answers
         * {@code input_required} with a link to the approval page; with one the user approved, uses it (once) and
         * goes on; denied, answers so. 2025-11-25 callers are told to use 2026-07-28. {@code approval.ApprovalGate}
         */
        APPROVAL(Phase.AFTER_AUTHORIZATION),
        /**
         * Serves a 2026-07-28 request through the extension's own handling, on a connection that lives for the
         * request alone, and answers it in that era's form. A 2025-11-25 request goes on to the extension's route.
         * {@code stateless.StatelessDispatch}
         */
        STATELESS_DISPATCH(Phase.AFTER_AUTHORIZATION);

        private final Phase phase;

        Stage(Phase phase) {
            this.phase = phase;
        }

        /** Vert.x filter priority (higher runs first), derived from the position in this list. */
        int priority() {
            return phase.first - ordinal();
        }
    }

    /** Where a stage sits relative to the platform's security handlers ({@code SecurityHandlerPriorities}). */
    private enum Phase {
        /** Above CORS (300) and authentication (200). */
        BEFORE_AUTHENTICATION(1_000),
        /** Below authorization (100). */
        AFTER_AUTHORIZATION(90);

        final int first;

        Phase(int first) {
            this.first = first;
        }
    }

    /**
     * The filters the extension asks for every {@code tools/list}, {@code tools/call}, {@code prompts/*} and
     * {@code resources/*}, higher {@code @Priority} first; the first "no" hides the feature. What the extension
     * executes is then audited with its outcome by {@code AuditingMcpTracing}, which wraps the extension's tracing.
     */
    public static final class FeatureFilters {
        /** {@code UnapprovedToolFilter}: hides and audits a tool registered at runtime that was never reviewed. */
        public static final int UNAPPROVED_TOOLS = 10;
        /**
         * {@code RbacToolFilter}, {@code RbacFeatureFilter}: what the caller may list and use; checked again for
         * what the gates let through.
         */
        public static final int RBAC = 0;

        private FeatureFilters() {
        }
    }

    /**
     * The interceptors around a tool method, outermost first (lower {@code @Priority} is outer), each bound by
     * {@link ToolCallPipeline}, which the policy annotations carry.
     */
    public static final class ToolCall {
        /** {@code ToolFailureInterceptor}: any failure becomes a tool error without internals, audited. */
        public static final int FAILURES = Interceptor.Priority.APPLICATION - 10;
        /** {@code ToolCallLimitsInterceptor}: concurrency caps (refused at once) and the call's deadline. */
        public static final int LIMITS = Interceptor.Priority.APPLICATION;
        /**
         * {@code ToolCallGuardInterceptor}: undeclared arguments, the input guards (injection, hidden characters), and
         * the marking of untrusted output.
         */
        public static final int GUARDS = Interceptor.Priority.APPLICATION + 10;
        /**
         * {@code InputRequiredInterceptor}: an {@code InputRequired} the method throws becomes the {@code input_required}
         * answer (2026-07-28) or an error naming that revision (2025-11-25). Innermost, so the layers outside pass it
         * on as the protocol answer it is; on prompt and resource methods too.
         */
        public static final int INPUT_REQUIRED = Interceptor.Priority.APPLICATION + 20;

        private ToolCall() {
        }
    }

    /** One HTTP stage: a bean, marked {@link At} its {@link Stage}, that handles the requests reaching it. */
    @FunctionalInterface
    public interface HttpStage {

        /** Answers the request, or passes it on with {@code ctx.next()}. */
        void handle(RoutingContext ctx);
    }

    /** The {@link Stage} an {@link HttpStage} bean runs at. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface At {
        Stage value();
    }

    /**
     * Registers every stage at its place, the first one opening the request's {@link McpRequest}; refuses to start
     * unless each {@link Stage} has exactly one bean.
     */
    @ApplicationScoped
    static class Registration {

        private final String mcpPath;

        Registration(@ConfigProperty(name = "quarkus.mcp.server.http.root-path", defaultValue = "/mcp") String mcpPath) {
            this.mcpPath = mcpPath;
        }

        void register(@Observes Filters filters, @All List<InstanceHandle<HttpStage>> beans) {
            Map<Stage, InstanceHandle<HttpStage>> stages = new EnumMap<>(Stage.class);
            for (InstanceHandle<HttpStage> bean : beans) {
                At at = bean.getBean().getBeanClass().getAnnotation(At.class);
                if (at == null) {
                    throw new IllegalStateException(name(bean) + " names no stage: annotate it @Pipeline.At(...)");
                }
                Class<? extends Annotation> scope = bean.getBean().getScope();
                if (scope != ApplicationScoped.class && scope != Singleton.class) {
                    // the router keeps the instance it was given: one that can be destroyed would be used after
                    throw new IllegalStateException(name(bean) + " must be @ApplicationScoped or @Singleton");
                }
                InstanceHandle<HttpStage> other = stages.put(at.value(), bean);
                if (other != null) {
                    throw new IllegalStateException("Pipeline stage " + at.value() + " claimed by " + name(bean)
                            + " and " + name(other));
                }
            }
            for (Stage stage : Stage.values()) {
                // the list's order is the run order: a stage listed out of its phase would run elsewhere unnoticed
                Stage before = stage.ordinal() == 0 ? null : Stage.values()[stage.ordinal() - 1];
                if ((before == null ? stage.phase != Phase.BEFORE_AUTHENTICATION : before.phase.compareTo(stage.phase) > 0)
                        || stage.priority() <= 0) {
                    throw new IllegalStateException("Pipeline stage " + stage + " is listed out of its phase");
                }
                InstanceHandle<HttpStage> bean = stages.get(stage);
                if (bean == null) {
                    throw new IllegalStateException("Pipeline stage " + stage + " has no bean: the server would run"
                            + " without it");
                }
                // the bean itself, not its client proxy: no proxy lookup per stage per request
                HttpStage handler = ClientProxy.unwrap(bean.get());
                filters.register(stage.ordinal() > 0 ? handler::handle : ctx -> {
                    McpRequest.open(ctx, mcpPath);
                    handler.handle(ctx);
                }, stage.priority());
            }
        }

        private static String name(InstanceHandle<HttpStage> bean) {
            return bean.getBean().getBeanClass().getName();
        }
    }
}
