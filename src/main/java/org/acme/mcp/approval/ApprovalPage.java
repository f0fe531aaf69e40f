package org.acme.mcp.approval;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.acme.mcp.api.Caller;
import org.acme.mcp.approval.ApprovalPageRenderer.View;
import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.fleet.FleetUnavailableException;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.security.SecurityConfig;
import org.acme.mcp.transport.OriginPolicy;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;

/**
 * The page where a person approves or denies one tool call ({@link ApprovalGate} links to it): signed in through the
 * OIDC tenant {@code approval} (authorization code flow with PKCE), recently and, if configured, with an accepted
 * {@code acr}; only the user who made the call may see and decide it. It shows the tool, the OAuth client, the
 * arguments whole (secrets of sensitive names hidden, invisible characters made visible) and the expiry, and takes one
 * decision through
 * a form protected by a per-user token ({@link ApprovalCsrf}). Server-rendered, no JavaScript, a Content-Security-Policy
 * that allows nothing but the page and its form; in English or German as the browser prefers. Redirects go to this
 * page only.
 */
@Path(McpRequest.APPROVAL_PAGE)
@Authenticated
public class ApprovalPage {

    /** Nothing but the page itself: no scripts, styles, frames, plugins; the form posts only here. */
    static final String CSP = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    @Inject
    SecurityIdentity identity;
    @Inject
    Approvals approvals;
    @Inject
    ApprovalCsrf csrf;
    @Inject
    ApprovalConfig config;
    @Inject
    AuditLog audit;
    @Inject
    SecurityConfig security;
    @Inject
    ApprovalPageRenderer renderer;

    /** The page's own origin, the resource URI's, compared as {@code transport.TransportGuard} compares origins. */
    private OriginPolicy pageOrigin;

    @PostConstruct
    void init() {
        pageOrigin = OriginPolicy.originOf(security.resource());
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> show(@PathParam("id") String id, @Context HttpHeaders headers) {
        String lang = language(headers);
        Caller approver = freshSignIn();
        if (approver == null) {
            return Uni.createFrom().item(signInAgain(id, lang));
        }
        return unavailableAs503(id, lang, approval(id).map(approval -> {
            if (approval == null || approval.expired()) {
                return page(404, view(id, "expired", lang));
            }
            if (!approval.madeBy(approver.issuer(), approver.subject())) {
                record(approval, AuditOutcome.DENIED, "approval page opened by another user");
                return page(403, view(id, "other-user", lang));
            }
            return page(200, view(approval, approver, lang));
        }));
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> decide(@PathParam("id") String id, @FormParam("decision") String decision,
            @FormParam("csrf") String token, @HeaderParam("Origin") String origin, @Context HttpHeaders headers) {
        String lang = language(headers);
        Caller approver = freshSignIn();
        if (approver == null) {
            return Uni.createFrom().item(signInAgain(id, lang));
        }
        return unavailableAs503(id, lang, approval(id).chain(approval -> {
            if (approval == null || approval.expired()) {
                return Uni.createFrom().item(page(404, view(id, "expired", lang)));
            }
            if (!approval.madeBy(approver.issuer(), approver.subject())) {
                record(approval, AuditOutcome.DENIED, "approval decided by another user");
                return Uni.createFrom().item(page(403, view(id, "other-user", lang)));
            }
            if (!sameOrigin(origin) || !csrf.valid(token, approval.id(), approver.issuer(), approver.subject())
                    || !("approve".equals(decision) || "deny".equals(decision))) {
                record(approval, AuditOutcome.DENIED, "approval form not from the approval page");
                return Uni.createFrom().item(page(403, view(id, "forged", lang)));
            }
            Approval.Status status = "approve".equals(decision) ? Approval.Status.APPROVED : Approval.Status.DENIED;
            return uni(approvals.decide(approval, status)).map(first -> {
                if (first) {
                    record(approval, status == Approval.Status.APPROVED ? AuditOutcome.APPROVED
                            : AuditOutcome.DENIED,
                            status == Approval.Status.APPROVED ? "approved by the user"
                                    : "denied by the user");
                }
                // post/redirect/get, to this page only: what it shows now is what was decided
                return secured(Response.seeOther(URI.create(McpRequest.APPROVAL_PAGE + approval.id())));
            });
        }));
    }

    /** While approvals cannot be read or kept (the fleet's Redis): 503, on the page, nothing decided. */
    private Uni<Response> unavailableAs503(String id, String lang, Uni<Response> answer) {
        return answer.onFailure(FleetUnavailableException.class).recoverWithItem(() -> page(503, view(id,
                "unavailable", lang)));
    }

    private Uni<Approval> approval(String id) {
        return ID.matcher(id).matches() ? uni(approvals.find(id)) : Uni.createFrom().nullItem();
    }

    /**
     * The person signed in on this page (the code flow's ID token, never a bearer token a client could hold), recently
     * enough ({@code auth_time}) and, if required, with an accepted {@code acr}; {@code null} otherwise.
     */
    private Caller freshSignIn() {
        if (identity.getCredential(IdTokenCredential.class) == null
                || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return null;
        }
        Caller caller = Caller.of(identity).orElse(null);
        if (caller == null) {
            return null;
        }
        // auth_time, which OIDC requires when max_age is asked for; a provider that still sends none (the dev-mode
        // one) is taken at its word that the ID token it just issued follows a sign-in
        long signedIn = caller.authTime().orElse(token.getIssuedAtTime());
        if (Instant.ofEpochSecond(signedIn).plus(config.maxLoginAge()).isBefore(Instant.now())) {
            return null;
        }
        boolean strongEnough = config.acr().map(accepted -> caller.acr().filter(accepted::contains).isPresent())
                .orElse(true);
        return strongEnough ? caller : null;
    }

    /** The sign-in is dropped (the session cookie of the {@code approval} tenant), so opening the page signs in anew. */
    private Response signInAgain(String id, String lang) {
        return secured(Response.status(401).entity(renderer.render(view(id, "sign-in", lang))).type(MediaType.TEXT_HTML)
                .cookie(new NewCookie.Builder("q_session_approval").path("/").maxAge(0).httpOnly(true)
                        .secure("https".equals(security.resource().getScheme())).build()));
    }

    /** A browser names the page's own origin when it posts the form; another origin is a forgery. */
    private boolean sameOrigin(String origin) {
        return origin == null || pageOrigin.originAllowed(origin);
    }

    private View view(Approval approval, Caller approver, String lang) {
        String state = approval.status() == Approval.Status.PENDING ? "pending"
                : approval.status() == Approval.Status.APPROVED ? "approved" : "denied";
        return new View(approval.id(), state, approver.subject(),
                approval.client().isEmpty() ? "(unnamed)" : approval.client(), approval.tool(),
                approval.arguments(), TIME.format(Instant.ofEpochMilli(approval.expiresAtMillis())),
                csrf.token(approval.id(), approver.issuer(), approver.subject()), lang);
    }

    private static View view(String id, String state, String lang) {
        return new View(id, state, "", "", "", "", "", "", lang);
    }

    private Response page(int status, View view) {
        return secured(Response.status(status).entity(renderer.render(view)).type(MediaType.TEXT_HTML));
    }

    private static Response secured(Response.ResponseBuilder response) {
        return response.header("Content-Security-Policy", CSP)
                .header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                // not no-referrer: with it browsers post the form with "Origin: null", which the origin check refuses
                .header("Referrer-Policy", "same-origin")
                .build();
    }

    /** The browser's preferred language among those the page speaks; English otherwise. */
    private static String language(HttpHeaders headers) {
        for (Locale locale : headers.getAcceptableLanguages()) {
            if (ApprovalPageRenderer.LANGUAGES.contains(locale.getLanguage())) {
                return locale.getLanguage();
            }
        }
        return "en";
    }

    private void record(Approval approval, AuditOutcome outcome, String reason) {
        Map<String, String> attrs = AuditAttributes.caller(identity);
        attrs.put("gen_ai.tool.name", approval.tool());
        attrs.put("approval.id", approval.id());
        attrs.put("approval.requested_by", approval.subject());
        attrs.put("audit.reason", reason);
        audit.record(AuditType.APPROVAL, outcome, attrs);
    }

    private static <T> Uni<T> uni(Future<T> future) {
        return Uni.createFrom().completionStage(future.toCompletionStage());
    }
}
