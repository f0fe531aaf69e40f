package org.acme.mcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.acme.mcp.audit.AuditChainVerifier;
import org.acme.mcp.support.AuditRecords;
import org.acme.mcp.support.MainClasses;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.ProdJar;
import org.acme.mcp.support.RedisServer;
import org.acme.mcp.support.TestIssuer;
import org.acme.mcp.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigMappings.ConfigClass;
import io.vertx.core.json.JsonObject;

/**
 * The packaged prod server configured the way {@code deploy/} configures it: through environment variables only, with
 * every name the Kubernetes ConfigMap and Deployment and the compose file set (their commented examples included),
 * URLs and paths pointed at this test. The config system ignores a variable it cannot map, so a misspelt name would
 * silently leave its secure setting at the default (say, the audit trail not required). Each name must therefore
 * name a setting of this server, and those with an effect visible from outside are checked over HTTP.
 */
class DeployEnvironmentIT {

    static final Path DEPLOY = Path.of("deploy");
    static final Path WORK = Path.of("target", "deploy-environment-it");
    static final String HMAC_KEY = "deploy-it-audit-key-0123456789";
    static final Path APPLICATION_PROPERTIES = Path.of("src", "main", "resources", "application.properties");

    static final String REDIS_PASSWORD = "deploy-it-redis-password";
    static final String REPLICA = "mcp-server-7d9c-x2k4";

    static Map<String, String> environment;
    static RedisServer redis;
    static ProdJar server;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        TestIssuer.ensureStarted();
        deleteRecursively(WORK);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        base = "http://localhost:" + port;
        environment = deployEnvironment();
        // what only fits a cluster is pointed at this test; every other value stays as deploy/ sets it
        environment.put("OIDC_AUTH_SERVER_URL", TestIssuer.issuer());
        environment.put("OIDC_ISSUER", TestIssuer.issuer());
        environment.put("MCP_RESOURCE", base + "/mcp");
        environment.put("MCP_AUDIENCES", base + "/mcp,mcp-server");
        environment.put("MCP_AUDIT_DIR", WORK.resolve("audit").toString());
        environment.put("MCP_AUDIT_HMAC_KEY", HMAC_KEY);
        environment.put("MCP_REQUEST_STATE_KEY", "deploy-it-request-state-key-0123456789");
        environment.put("MCP_INCIDENT_STATE_FILE", WORK.resolve("incident/state.json").toString());
        environment.put("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9");
        // the fleet's Redis (the manifests enable the fleet): a real one, with the password the Secret would give
        redis = new RedisServer(REDIS_PASSWORD).start();
        environment.put("MCP_FLEET_REDIS_URL", redis.url());
        environment.put("MCP_FLEET_REDIS_PASSWORD", REDIS_PASSWORD);
        environment.put("MCP_REPLICA_ID", REPLICA);
        Files.createDirectories(WORK.resolve("incident"));
        server = ProdJar.launch(Map.of(
                "quarkus.http.host", "127.0.0.1",
                "quarkus.http.port", String.valueOf(port),
                "quarkus.otel.sdk.disabled", "true"), environment); // no collector here
        assertTrue(server.awaitStartedOrExit(), server.output());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** Names and values from the manifests; a name set in several keeps the ConfigMap's value. */
    static Map<String, String> deployEnvironment() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        Pattern entry = Pattern.compile("^\\s*#?\\s*((?:MCP|OIDC|QUARKUS)_[A-Z0-9_]+):\\s*\"?([^\"]*)\"?\\s*$");
        Pattern fromSecret = Pattern.compile("^\\s*- name:\\s*((?:MCP|OIDC|QUARKUS)_[A-Z0-9_]+)\\s*$");
        for (String file : List.of("kubernetes/configmap.yaml", "kubernetes/deployment.yaml", "compose/compose.yaml")) {
            for (String line : Files.readAllLines(DEPLOY.resolve(file))) {
                Matcher m = entry.matcher(line);
                if (m.matches()) {
                    env.putIfAbsent(m.group(1), m.group(2).trim());
                }
                Matcher secret = fromSecret.matcher(line);
                if (secret.matches()) {
                    env.putIfAbsent(secret.group(1), ""); // its value comes from a Secret: set by the test
                }
            }
        }
        assertTrue(env.size() >= 15, "expected the manifests' variables, found " + env.keySet());
        return env;
    }

    @Test
    void everyVariableOfTheManifestsNamesASetting() throws Exception {
        String properties = Files.readString(APPLICATION_PROPERTIES);
        // the lines prod reads: a variable referenced only on a %dev or %test line does nothing in a deployment
        String prod = properties.lines().filter(DeployEnvironmentIT::readInProd).collect(Collectors.joining("\n"));
        List<Pattern> settings = new ArrayList<>();
        for (String property : settingNames(properties)) {
            // a map key (mcp.limits.tools.*.timeout) is any run of characters in its environment form
            settings.add(Pattern.compile(Stream.of(property.split("\\*", -1)).map(part -> Pattern.quote(envName(part)))
                    .collect(Collectors.joining(".+"))));
        }
        List<String> ignored = environment.keySet().stream()
                .filter(name -> !prod.contains("${" + name + ":") && !prod.contains("${" + name + "}"))
                .filter(name -> settings.stream().noneMatch(setting -> setting.matcher(name).matches()))
                .toList();
        assertEquals(List.of(), ignored, "variables of deploy/ that name no setting of this server");
    }

    /**
     * The keys of application.properties (the prod ones) and every property of this template's {@code @ConfigMapping}
     * interfaces, as SmallRye Config names them.
     */
    static List<String> settingNames(String properties) throws Exception {
        List<String> names = new ArrayList<>();
        for (String line : properties.split("\n")) {
            Matcher key = Pattern.compile("^([a-z][^=%\\s]*)=").matcher(line);
            if (key.find()) {
                names.add(key.group(1).replace("\"", ""));
            }
        }
        for (String className : MainClasses.names()) {
            Class<?> type = MainClasses.load(className);
            ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
            if (mapping != null) {
                ConfigClass mapped = ConfigClass.configClass(type, mapping.prefix());
                names.addAll(ConfigMappings.getProperties(mapped).keySet());
            }
        }
        assertTrue(names.contains("mcp.sandbox.uid-base"), "the config mappings were not read: " + names);
        return names;
    }

    @Test
    void resourceIssuerAndAudiencesComeFromTheEnvironment() {
        JsonObject metadata = new JsonObject(McpHttp.request(null).baseUri(base)
                .get("/.well-known/oauth-protected-resource/mcp").then().statusCode(200).extract().asString());
        assertEquals(environment.get("MCP_RESOURCE"), metadata.getString("resource"));
        assertEquals(TestIssuer.issuer(), metadata.getJsonArray("authorization_servers").getString(0));

        // the second of MCP_AUDIENCES is accepted on its own; an audience it does not list is not
        initialize(Tokens.keycloak().claim("aud", List.of("mcp-server")).sign()).then().statusCode(200);
        Response foreign = initialize(Tokens.keycloak().claim("aud", List.of("another-api")).sign());
        assertEquals(401, foreign.statusCode());
        assertTrue(foreign.header("WWW-Authenticate").contains("invalid_token"), foreign.header("WWW-Authenticate"));
    }

    @Test
    void blockedSubjectsAndClientsFromTheEnvironmentGet403() {
        String subject = environment.get("MCP_INCIDENT_BLOCKED_SUBJECTS");
        String client = environment.get("MCP_INCIDENT_BLOCKED_CLIENTS");
        assertEquals(403, initialize(Tokens.keycloak().subject(subject).sign()).statusCode());
        String viaBlockedClient = Tokens.keycloak().subject("someone-else").claim("azp", client).sign();
        assertEquals(403, initialize(viaBlockedClient).statusCode());
        assertEquals(200, initialize(Tokens.keycloak().subject("someone-else").sign()).statusCode());
    }

    @Test
    void sessionsPerCallerAreCappedAtTheManifestsValue() {
        int max = Integer.parseInt(environment.get("MCP_MAX_SESSIONS_PER_CALLER"));
        String token = Tokens.keycloak().subject("session-collector").sign();
        for (int i = 0; i < max; i++) {
            initialize(token).then().statusCode(200);
        }
        assertEquals(429, initialize(token).statusCode());
    }

    @Test
    void killSwitchStateGoesToTheConfiguredFileAndTheTrailIsSealedWithTheSecretsKey() throws Exception {
        String admin = Tokens.keycloak().subject("deploy-admin").claim("azp", "admin-console")
                .roles("mcp-reader", "mcp-admin").scope("mcp.read mcp.admin").authenticatedAgo(10).sign();
        String session = initialize(admin).then().statusCode(200).extract().header("Mcp-Session-Id");
        spec(admin).header("Mcp-Session-Id", session)
                .body("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").post("/mcp")
                .then().statusCode(202);
        String args = new JsonObject().put("kind", "tool").put("target", "time-in-zone").put("reason", "INC-1")
                .encode();
        String answer = spec(admin).header("Mcp-Session-Id", session).body("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":"
                + "\"tools/call\",\"params\":{\"name\":\"kill-switch-engage\",\"arguments\":" + args + "}}")
                .post("/mcp").then().statusCode(200).extract().asString();
        assertFalse(answer.contains("\"isError\":true"), answer);
        assertTrue(answer.contains("every replica"), "the manifests run a fleet: " + answer);
        assertFalse(redis.cli("HGET", "mcp:incident", "tool:time-in-zone").isEmpty(), "not in the fleet's Redis");
        Path state = Path.of(environment.get("MCP_INCIDENT_STATE_FILE"));
        assertTrue(Files.readString(state).contains("time-in-zone"), Files.readString(state));

        // the replica's chain, named by the pod name the Deployment passes as MCP_REPLICA_ID
        Path trail = Path.of(environment.get("MCP_AUDIT_DIR")).resolve(REPLICA);
        AuditChainVerifier.Result sealed = verifiedOnceQuiet(trail, HMAC_KEY);
        assertTrue(sealed.intact(), sealed.toString());
        assertTrue(AuditRecords.in(trail).stream().anyMatch(r -> "incident.change".equals(r.getString("type"))));
        AuditChainVerifier.Result otherKey = AuditChainVerifier.verify(trail,
                "another-key-0123456789".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, otherKey.line(), "the trail's first record verified with a key other than MCP_AUDIT_HMAC_KEY: "
                + otherKey);
    }

    /**
     * The trail verified with {@code key} once the writer thread is quiet: a trail read while a batch is being
     * appended can end before the record its {@code HEAD} names.
     */
    static AuditChainVerifier.Result verifiedOnceQuiet(Path trail, String key) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        AuditChainVerifier.Result result;
        do {
            Thread.sleep(200);
            result = AuditChainVerifier.verify(trail, key.getBytes(StandardCharsets.UTF_8));
        } while (!result.intact() && System.nanoTime() < deadline);
        return result;
    }

    static Response initialize(String token) {
        return spec(token).body(McpHttp.initializeBody()).post("/mcp");
    }

    static RequestSpecification spec(String token) {
        return McpHttp.request(token).baseUri(base).header("MCP-Protocol-Version", McpHttp.PROTOCOL);
    }

    /** Unprefixed, or prefixed with profiles that include prod ({@code %prod.}, {@code %dev,prod.}). */
    static boolean readInProd(String line) {
        if (!line.startsWith("%")) {
            return true;
        }
        int dot = line.indexOf('.');
        return dot > 0 && List.of(line.substring(1, dot).split(",")).contains("prod");
    }

    /** SmallRye Config's environment form of a property name. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
