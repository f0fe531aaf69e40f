package org.acme.mcp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code deploy/keycloak/mcp-realm.json} enforces what MCP expects of its authorization server: PKCE S256 for public
 * clients, exact redirect URIs, consent for dynamically registered clients, the audience of this server and one
 * client scope per tool scope. Plain JUnit; the Keycloak integration test imports the same file.
 */
class KeycloakRealmFileTest {

    static final Path REALM = Path.of("deploy", "keycloak", "mcp-realm.json");
    static final Set<String> TOOL_SCOPES = Set.of("mcp.read", "mcp.write", "mcp.admin");
    static final String REGISTRATION_POLICY = "org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy";
    static JsonNode realm;

    @BeforeAll
    static void load() throws IOException {
        realm = new ObjectMapper().readTree(REALM.toFile());
    }

    @Test
    void publicClientsUsePkceS256AndNoImplicitOrPasswordGrant() {
        List<JsonNode> publicClients = clients().stream().filter(c -> c.path("publicClient").asBoolean()).toList();
        assertFalse(publicClients.isEmpty(), "the realm should ship a public (MCP Inspector) client");
        for (JsonNode c : publicClients) {
            String id = c.path("clientId").asText();
            assertEquals("S256", c.path("attributes").path("pkce.code.challenge.method").asText(), id + ": PKCE");
            assertFalse(c.path("implicitFlowEnabled").asBoolean(), id + ": implicit flow");
            assertFalse(c.path("directAccessGrantsEnabled").asBoolean(), id + ": password grant on a public client");
        }
        // ... and every public client registered later: a client policy with the PKCE enforcer
        JsonNode profile = stream(realm.path("clientProfiles").path("profiles"))
                .filter(p -> stream(p.path("executors")).anyMatch(e -> e.path("executor").asText().equals("pkce-enforcer")
                        && e.path("configuration").path("auto-configure").asText().equals("true")))
                .findFirst().orElseThrow(() -> new AssertionError("no client profile with pkce-enforcer"));
        assertTrue(stream(realm.path("clientPolicies").path("policies")).anyMatch(p -> p.path("enabled").asBoolean()
                && stream(p.path("profiles")).anyMatch(n -> n.asText().equals(profile.path("name").asText()))
                && stream(p.path("conditions")).anyMatch(c -> c.path("condition").asText().equals("client-access-type")
                        && stream(c.path("configuration").path("type")).anyMatch(t -> t.asText().equals("public")))),
                "no enabled policy applying the PKCE profile to public clients");
    }

    @Test
    void redirectUrisAreExact() {
        for (JsonNode c : clients()) {
            for (JsonNode uri : c.path("redirectUris")) {
                String u = uri.asText();
                assertFalse(u.contains("*"), c.path("clientId").asText() + ": wildcard redirect URI " + u);
                assertTrue(u.startsWith("https://") || u.startsWith("http://localhost:") || u.startsWith("http://127.0.0.1"),
                        c.path("clientId").asText() + ": redirect URI must be https or loopback: " + u);
            }
            for (JsonNode origin : c.path("webOrigins")) {
                assertFalse(origin.asText().contains("*") || origin.asText().equals("+"),
                        c.path("clientId").asText() + ": wildcard web origin " + origin.asText());
            }
        }
    }

    @Test
    void dynamicallyRegisteredClientsNeedConsentAndLoopbackRedirects() {
        List<JsonNode> policies = stream(realm.path("components").path(REGISTRATION_POLICY)).toList();
        for (String subType : List.of("anonymous", "authenticated")) {
            assertTrue(policies.stream().anyMatch(p -> p.path("providerId").asText().equals("consent-required")
                    && p.path("subType").asText().equals(subType)),
                    "no consent-required policy for " + subType + " registration");
        }
        JsonNode trusted = policies.stream().filter(p -> p.path("providerId").asText().equals("trusted-hosts")
                && p.path("subType").asText().equals("anonymous")).findFirst()
                .orElseThrow(() -> new AssertionError("no trusted-hosts policy for anonymous registration"));
        assertEquals("true", trusted.path("config").path("client-uris-must-match").path(0).asText());
        stream(trusted.path("config").path("trusted-hosts"))
                .forEach(h -> assertTrue(Set.of("localhost", "127.0.0.1").contains(h.asText()),
                        "anonymous registration trusts " + h.asText()));
        assertTrue(policies.stream().anyMatch(p -> p.path("providerId").asText().equals("scope")
                && p.path("subType").asText().equals("anonymous")), "anonymous clients must not get full scope");
        assertTrue(policies.stream().anyMatch(p -> p.path("providerId").asText().equals("max-clients")));
    }

    @Test
    void audienceMapperNamesThisServerAndClientsThatCallItUseIt() {
        JsonNode audience = scope("mcp-audience");
        List<String> audiences = new ArrayList<>();
        for (JsonNode m : audience.path("protocolMappers")) {
            assertEquals("oidc-audience-mapper", m.path("protocolMapper").asText());
            assertEquals("true", m.path("config").path("access.token.claim").asText(), "audience must be in the access token");
            audiences.add(m.path("config").path("included.client.audience").asText(""));
            audiences.add(m.path("config").path("included.custom.audience").asText(""));
        }
        assertTrue(audiences.containsAll(List.of("mcp-server", "http://localhost:8080/mcp")), "audiences " + audiences);
        // Every client that may call the server gets the audience; the negative test client on purpose does not, nor
        // does the approval page's: its tokens sign a person in on the page and must never be a bearer token at /mcp
        for (JsonNode c : clients()) {
            boolean has = stream(c.path("defaultClientScopes")).anyMatch(s -> s.asText().equals("mcp-audience"));
            boolean negative = List.of("no-audience-client", "mcp-approval").contains(c.path("clientId").asText());
            assertEquals(!negative, has, c.path("clientId").asText() + ": mcp-audience");
        }
        assertTrue(stream(realm.path("defaultDefaultClientScopes")).anyMatch(s -> s.asText().equals("mcp-audience")),
                "clients registered later must get the audience too");
    }

    @Test
    void oneClientScopePerToolScopeTiedToItsRoles() {
        for (String name : TOOL_SCOPES) {
            JsonNode s = scope(name);
            assertEquals("true", s.path("attributes").path("include.in.token.scope").asText(), name + " must appear in scope");
            assertEquals("true", s.path("attributes").path("display.on.consent.screen").asText(), name + " shown on consent");
            assertTrue(stream(realm.path("scopeMappings")).anyMatch(m -> m.path("clientScope").asText().equals(name)
                    && m.path("roles").size() > 0), name + " has no role scope mapping");
            assertTrue(stream(realm.path("defaultOptionalClientScopes")).anyMatch(o -> o.asText().equals(name)),
                    name + " must be requestable by clients registered later");
        }
    }

    static List<JsonNode> clients() {
        return stream(realm.path("clients")).toList();
    }

    static JsonNode scope(String name) {
        return stream(realm.path("clientScopes")).filter(s -> s.path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("client scope " + name + " missing"));
    }

    static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
