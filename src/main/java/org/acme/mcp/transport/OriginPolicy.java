package org.acme.mcp.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Exact-match allowlists for the {@code Origin} and {@code Host} headers (DNS-rebinding and cross-site protection,
 * MCP Streamable HTTP security warning). Values are compared after normalisation (lowercase, default port dropped),
 * never by prefix: {@code http://localhost.evil.example} is not {@code http://localhost}.
 */
public final class OriginPolicy {

    private final Set<String> origins;
    private final Set<String> hosts;

    public OriginPolicy(Set<String> allowedOrigins, Set<String> allowedHosts) {
        Set<String> o = new HashSet<>();
        for (String origin : allowedOrigins) {
            o.add(normalizeOrigin(origin).orElseThrow(
                    () -> new IllegalArgumentException("Not an origin (scheme://host[:port]): " + origin)));
        }
        Set<String> h = new HashSet<>();
        for (String host : allowedHosts) {
            h.add(normalizeHost(host).orElseThrow(() -> new IllegalArgumentException("Not a host[:port]: " + host)));
        }
        this.origins = Set.copyOf(o);
        this.hosts = Set.copyOf(h);
    }

    /** The policy that allows the one origin of {@code uri} (its scheme, host and port), and no host. */
    public static OriginPolicy originOf(URI uri) {
        return new OriginPolicy(Set.of(uri.getScheme() + "://" + uri.getRawAuthority()), Set.of());
    }

    /** {@code true} when an {@code Origin} header value is allowed. */
    public boolean originAllowed(String origin) {
        // an exact match of a normalized value needs no parsing
        return origins.contains(origin) || normalizeOrigin(origin).map(origins::contains).orElse(false);
    }

    /** {@code true} when a {@code Host} header value is allowed. */
    public boolean hostAllowed(String host) {
        return host != null && (hosts.contains(host) || normalizeHost(host).map(hosts::contains).orElse(false));
    }

    static Optional<String> normalizeOrigin(String origin) {
        try {
            URI uri = new URI(origin.strip());
            String scheme = uri.getScheme();
            if (scheme == null || uri.getHost() == null || uri.getRawUserInfo() != null
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return Optional.empty();
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80)
                    || ("https".equals(scheme) && port == 443);
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    static Optional<String> normalizeHost(String host) {
        // Reuse the URI parser for IPv6 literals and ports; reject anything that is more than an authority
        return normalizeOrigin("http://" + host.strip())
                .filter(o -> !host.contains("@") && !host.contains("/"))
                .map(o -> o.substring("http://".length()));
    }
}
