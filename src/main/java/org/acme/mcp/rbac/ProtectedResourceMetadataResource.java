package org.acme.mcp.rbac;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.acme.mcp.security.BearerChallenge;
import org.acme.mcp.security.SecurityConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * RFC 9728 OAuth 2.0 Protected Resource Metadata, the document MCP clients read to find the authorization server.
 * <p>
 * Served at the path-inserted URI derived from {@link SecurityConfig#resource()}
 * ({@code /.well-known/oauth-protected-resource/mcp})
 * and at the root form, both public. The {@code resource} value is exactly the canonical URI tokens must be issued for.
 */
@Path(BearerChallenge.WELL_KNOWN)
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class ProtectedResourceMetadataResource {

    private final Map<String, Object> document;
    private final String resourcePath;

    ProtectedResourceMetadataResource(SecurityConfig config, ToolPolicies tools,
            @ConfigProperty(name = "quarkus.oidc.token.issuer") Optional<String> issuer,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> authServerUrl) {
        List<String> servers = config.authorizationServers()
                .orElseGet(() -> issuer.or(() -> authServerUrl).map(List::of).orElse(List.of()));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("resource", config.resource().toString());
        doc.put("authorization_servers", servers);
        // Derived from the tool declarations, so it cannot drift from what the server enforces
        Set<String> scopes = new TreeSet<>(config.challengeScopes());
        scopes.addAll(tools.requiredScopes());
        config.scopesSupported().ifPresent(scopes::addAll);
        String prefix = config.scopePrefix().orElse("");
        // never offline_access (MCP 2026-07-28): refresh tokens are between the client and its authorization server
        doc.put("scopes_supported", scopes.stream().filter(s -> !"offline_access".equals(s)).map(s -> prefix + s)
                .toList());
        doc.put("bearer_methods_supported", List.of("header"));
        this.document = Collections.unmodifiableMap(doc);
        String path = config.resource().getRawPath();
        this.resourcePath = path == null ? "" : path.replaceAll("^/+", "");
    }

    @GET
    public Response root() {
        return ok();
    }

    @GET
    @Path("{path: .+}")
    public Response forPath(@PathParam("path") String path) {
        if (!path.equals(resourcePath)) {
            throw new NotFoundException();
        }
        return ok();
    }

    private Response ok() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(document).cacheControl(cache).build();
    }
}
