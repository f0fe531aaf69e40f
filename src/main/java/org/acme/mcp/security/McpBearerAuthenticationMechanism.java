package org.acme.mcp.security;

import java.util.Map;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.pipeline.ErrorResponses;
import org.acme.mcp.pipeline.McpRequest;
import org.acme.mcp.security.BearerTokenPrecheck.Result;
import org.acme.mcp.security.BearerTokenPrecheck.Verdict;
import org.jboss.logging.Logger;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.oidc.runtime.OidcAuthenticationMechanism;
import io.quarkus.runtime.Startup;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * The only authentication mechanism of the server: bearer tokens in the {@code Authorization} header.
 * <p>
 * It screens the header with {@link BearerTokenPrecheck}, hands well-formed JWTs to quarkus-oidc for full validation
 * (signature against the issuer's JWKS, {@code iss}, {@code aud}, {@code exp}/{@code nbf}/{@code iat}), and answers
 * every failure with the challenge MCP 2025-11-25 prescribes. It never forwards or stores the token.
 */
@Alternative
@Priority(1)
@ApplicationScoped
@Startup // created at start-up, so that a refused mcp.security.token setting stops the start, not the first request
public class McpBearerAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final Logger LOG = Logger.getLogger(McpBearerAuthenticationMechanism.class);
    private static final String RESULT_KEY = McpBearerAuthenticationMechanism.class.getName() + ".result";
    private static final String IDP_UNAVAILABLE_KEY = McpBearerAuthenticationMechanism.class.getName() + ".idp-unavailable";
    private static final String REVOKED_KEY = McpBearerAuthenticationMechanism.class.getName() + ".revoked";
    private static final String CACHED_KEY = McpBearerAuthenticationMechanism.class.getName() + ".cached-identity";

    private final OidcAuthenticationMechanism oidc;
    private final BearerTokenPrecheck precheck;
    private final BearerChallenge challenge;
    private final AuditLog audit;
    private final VerifiedTokenCache tokenCache;
    private final TokenRevocations revocations;

    McpBearerAuthenticationMechanism(OidcAuthenticationMechanism oidc, SecurityConfig config, BearerChallenge challenge,
            AuditLog audit, VerifiedTokenCache tokenCache, TokenRevocations revocations) {
        this.oidc = oidc;
        this.precheck = new BearerTokenPrecheck(config.token().maxLength(), config.token().allowedAlgorithms());
        this.challenge = challenge;
        this.audit = audit;
        this.tokenCache = tokenCache;
        this.revocations = revocations;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (approvalPage(context)) {
            // a person in a browser: the code flow of the OIDC tenant "approval", this path only
            return oidc.authenticate(context, identityProviderManager);
        }
        Result result = precheck(context);
        return switch (result.verdict()) {
            case ABSENT -> Uni.createFrom().nullItem(); // anonymous; the path policy decides (deny by default)
            case CANDIDATE -> {
                // the MCP challenge must win over the OIDC mechanism's, which registers itself when it runs
                context.put(HttpAuthenticationMechanism.class.getName(), this);
                SecurityIdentity cached = context.get(CACHED_KEY);
                // a cache hit is answered without a reactive pipeline: this is every request after a token's first
                yield cached != null ? notRevoked(cached, context)
                        : validate(result.token(), context,
                                identityProviderManager);
            }
            case INVALID_TOKEN, INVALID_REQUEST -> {
                LOG.debugf("Bearer credentials refused before validation: %s", result.reason());
                yield Uni.createFrom().failure(new AuthenticationFailedException(result.reason()));
            }
        };
    }

    /** Full validation by quarkus-oidc; the verified identity is cached and its verification audited. */
    private Uni<SecurityIdentity> validate(String token, RoutingContext context, IdentityProviderManager providers) {
        return oidc.authenticate(context, providers)
                .onTermination().invoke(() -> context.put(HttpAuthenticationMechanism.class.getName(), this))
                .onItem().transformToUni(identity -> {
                    Uni<SecurityIdentity> checked = notRevoked(identity, context);
                    tokenCache.put(token, identity);
                    // one record per token verified; later requests with it are in their own records
                    return checked.invoke(
                            id -> audit.record(AuditType.AUTH_SUCCESS, AuditOutcome.ALLOWED, AuditAttributes.caller(id)));
                })
                // anything but a verdict on the token (the IdP's keys cannot be fetched): refuse, and say why
                .onFailure(failure -> !(failure instanceof AuthenticationException)).transform(failure -> {
                    LOG.warnf("Token could not be verified, identity provider unavailable: %s",
                            failure.getClass().getSimpleName());
                    context.put(IDP_UNAVAILABLE_KEY, Boolean.TRUE);
                    return new AuthenticationFailedException("identity provider unavailable");
                })
                .onFailure().invoke(failure -> LOG.debugf("Bearer token rejected by the OIDC validator: %s",
                        failure.getClass().getSimpleName()));
    }

    /** Refuses a token issued before a revocation of its caller ({@link TokenRevocations}), cached or not. */
    private Uni<SecurityIdentity> notRevoked(SecurityIdentity identity, RoutingContext context) {
        if (revocations.isRevoked(identity)) {
            context.put(REVOKED_KEY, Boolean.TRUE);
            return Uni.createFrom().failure(new AuthenticationFailedException("token revoked"));
        }
        return Uni.createFrom().item(identity);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        if (approvalPage(context)) {
            return oidc.getChallenge(context); // the redirect to the identity provider's sign-in
        }
        Answer answer = answer(context);
        return Uni.createFrom().item(answer.challenge() == null
                ? new ChallengeData(answer.status(), HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS)
                : new ChallengeData(answer.status(), HttpHeaderNames.WWW_AUTHENTICATE, answer.challenge()));
    }

    /** Sends the whole answer (status, challenge, JSON-RPC body) so no later failure handler can add to it. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (approvalPage(context)) {
            return oidc.sendChallenge(context);
        }
        Answer answer = answer(context);
        Result result = precheck(context);
        if (answer.challenge() == null) {
            context.response().putHeader(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        audit.recordUnattributed(AuditType.AUTH_FAILURE, AuditOutcome.DENIED, Map.of(
                "audit.reason", answer.status() == 503 ? "identity provider unavailable"
                        : Boolean.TRUE.equals(context.get(REVOKED_KEY)) ? "token revoked"
                                : result.verdict() == Verdict.CANDIDATE ? "token refused by the validator" : result.reason(),
                "http.request.method", context.request().method().name(),
                "url.path", AuditAttributes.untrusted(context.normalizedPath())));
        ErrorResponses.rejectAuth(context, answer.status(), answer.message(), answer.challenge());
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return oidc.getCredentialTypes();
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        // one transport for the resource server; the approval page's own is the code flow's
        return approvalPage(context) ? oidc.getCredentialTransport(context) : BEARER_TRANSPORT;
    }

    /** The approval page, where a person signs in with the code flow. */
    static boolean approvalPage(RoutingContext context) {
        return context.normalizedPath().startsWith(McpRequest.APPROVAL_PAGE);
    }

    private static final Uni<HttpCredentialTransport> BEARER_TRANSPORT = Uni.createFrom()
            .item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));

    private static final String RETRY_AFTER_SECONDS = "5";

    private record Answer(int status, String challenge, String message) {
    }

    private Answer answer(RoutingContext context) {
        if (Boolean.TRUE.equals(context.get(IDP_UNAVAILABLE_KEY))) {
            // not the caller's fault: no invalid_token that would make a client drop a good token
            return new Answer(503, null, "Identity provider unavailable, retry later");
        }
        return switch (precheck(context).verdict()) {
            case ABSENT -> new Answer(401, challenge.missingToken(), "Authentication required");
            case INVALID_REQUEST -> new Answer(400, challenge.error(BearerChallenge.Error.INVALID_REQUEST),
                    "Malformed authorization request");
            // a well-formed token that the OIDC validator refused
            case INVALID_TOKEN, CANDIDATE -> new Answer(401, challenge.error(BearerChallenge.Error.INVALID_TOKEN),
                    "Invalid access token");
        };
    }

    private Result precheck(RoutingContext context) {
        Result result = context.get(RESULT_KEY);
        if (result == null) {
            result = precheck.check(context.request().headers().getAll(HttpHeaders.AUTHORIZATION), token -> {
                SecurityIdentity cached = tokenCache.get(token, context);
                if (cached != null) {
                    context.put(CACHED_KEY, cached);
                }
                return cached != null;
            });
            context.put(RESULT_KEY, result);
        }
        return result;
    }
}
