package org.acme.mcp.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;

/**
 * Fail closed: a prod server whose configuration would leave a token check or transport protection off refuses to
 * start, with one message listing every problem. Dev and test profiles are not checked; their relaxations live in
 * {@code %dev}/{@code %test} properties only.
 */
@ApplicationScoped
public class ProdSecurityGuard {

    private static final Logger LOG = Logger.getLogger(ProdSecurityGuard.class);
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");

    void onStart(@Observes StartupEvent event, Config config, SecurityConfig security, TlsConfigurationRegistry tls) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        List<String> problems = problems(config, security, tls);
        if (!problems.isEmpty()) {
            throw new InsecureConfigurationException(problems);
        }
        LOG.infof("Resource server %s: issuer, audience and transport checks configured", security.resource());
    }

    static List<String> problems(Config config, SecurityConfig security, TlsConfigurationRegistry tls) {
        List<String> problems = new ArrayList<>();
        Optional<String> authServer = config.getOptionalValue("quarkus.oidc.auth-server-url", String.class);
        if (authServer.isEmpty()) {
            problems.add("quarkus.oidc.auth-server-url (OIDC_AUTH_SERVER_URL) is not set");
        }
        Optional<String> issuer = config.getOptionalValue("quarkus.oidc.token.issuer", String.class);
        if (issuer.isEmpty() || issuer.get().equals("any")) {
            problems.add("quarkus.oidc.token.issuer (OIDC_ISSUER) must name the one trusted issuer");
        }
        if (!security.allowPlainHttpIdentityProvider()) {
            authServer.filter(url -> !httpsOrLoopback(url)).ifPresent(url -> problems.add(
                    "quarkus.oidc.auth-server-url (OIDC_AUTH_SERVER_URL) must be https: the signing keys come from there,"
                            + " and whoever can change them in transit can mint tokens this server accepts; got " + url
                            + PLAIN_HTTP_OPT_OUT));
            List<String> advertised = new ArrayList<>(security.authorizationServers().orElse(List.of()));
            issuer.filter(i -> !i.equals("any")).ifPresent(advertised::add);
            advertised.stream().filter(url -> !httpsOrLoopback(url)).distinct().forEach(url -> problems.add(
                    "authorization server " + url + " (OIDC_ISSUER, mcp.security.authorization-servers) must be https:"
                            + " clients are sent there for tokens" + PLAIN_HTTP_OPT_OUT));
        }
        if (config.getOptionalValue("quarkus.oidc.tls.verification", String.class).orElse("").equalsIgnoreCase("none")) {
            problems.add("quarkus.oidc.tls.verification=none accepts any certificate from the identity provider");
        }
        Optional<TlsConfiguration> oidcTls = config.getOptionalValue("quarkus.oidc.tls.tls-configuration-name",
                String.class).map(tls::get).orElseGet(tls::getDefault);
        if (oidcTls.isPresent() && oidcTls.get().isTrustAll()) {
            problems.add("the TLS configuration used for the identity provider trusts all certificates"
                    + " (quarkus.tls.[<name>.]trust-all=true)");
        }
        List<String> audiences = config.getOptionalValues("quarkus.oidc.token.audience", String.class).orElse(List.of());
        if (audiences.isEmpty() || audiences.contains("any")) {
            problems.add("quarkus.oidc.token.audience must list this server's audiences");
        }
        if (!config.getOptionalValue("quarkus.oidc.application-type", String.class).orElse("").equals("service")) {
            problems.add("quarkus.oidc.application-type must be 'service' (bearer tokens only, no sessions)");
        }
        if (config.getOptionalValue("mcp.audit.trail.enabled", Boolean.class).orElse(true)
                && config.getOptionalValue("mcp.audit.trail.hmac-key", String.class).filter(k -> k.length() >= 16).isEmpty()) {
            problems.add("mcp.audit.trail.hmac-key (MCP_AUDIT_HMAC_KEY) must be set, 16+ characters: without it anyone who"
                    + " can write the audit directory can re-chain edited records");
        }
        URI resource = security.resource();
        if (!"https".equals(resource.getScheme()) && !isLoopback(resource)) {
            problems.add("mcp.security.resource (MCP_RESOURCE) must be an https URI, got " + resource);
        }
        if (resource.getRawFragment() != null || resource.getRawQuery() != null || resource.getRawPath().endsWith("/")) {
            problems.add("mcp.security.resource must have no query, fragment or trailing slash");
        }
        switch (security.transport().tlsTermination()) {
            case NONE -> problems.add("mcp.security.transport.tls-termination=none is for dev and test only;"
                    + " use 'app' (TLS in this server) or 'proxy' (behind a TLS-terminating proxy)");
            case APP -> {
                Optional<String> name = config.getOptionalValue("quarkus.http.tls-configuration-name", String.class);
                Optional<TlsConfiguration> tlsConfig = name.isPresent() ? tls.get(name.get()) : tls.getDefault();
                if (tlsConfig.isEmpty() || tlsConfig.get().getKeyStore() == null) {
                    problems.add("mcp.security.transport.tls-termination=app needs a key store in the TLS registry"
                            + " (quarkus.tls.key-store.*), or set it to 'proxy' behind a TLS-terminating proxy");
                }
                if (!config.getOptionalValue("quarkus.http.insecure-requests", String.class).orElse("enabled")
                        .equals("disabled")) {
                    problems.add("quarkus.http.insecure-requests must be 'disabled' when this server terminates TLS");
                }
            }
            case PROXY -> {
                // Plain HTTP is expected on the inside; nothing to check here
            }
        }
        return problems;
    }

    private static final String PLAIN_HTTP_OPT_OUT = " (a private network you control end to end:"
            + " mcp.security.allow-plain-http-identity-provider=true)";

    /** An {@code https} URL, or one on a literal loopback host; false for anything that is not a URL. */
    static boolean httpsOrLoopback(String url) {
        try {
            URI uri = new URI(url);
            return "https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()) && isLoopback(uri);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Literal loopback names only, no DNS lookup at start-up: {@code 127.evil.example} is a DNS name, not loopback. */
    static boolean isLoopback(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost();
        return host.equalsIgnoreCase("localhost") || LOOPBACK_V4.matcher(host).matches() || host.equals("[::1]");
    }

    /** Thrown at start-up; its message names each setting to fix. */
    public static class InsecureConfigurationException extends RuntimeException {
        InsecureConfigurationException(List<String> problems) {
            super("Refusing to start with an insecure configuration:\n - " + String.join("\n - ", problems));
        }
    }
}
