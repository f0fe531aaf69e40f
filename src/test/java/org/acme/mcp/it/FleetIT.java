package org.acme.mcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.acme.mcp.audit.AuditChainVerifier;
import org.acme.mcp.support.AuditRecords;
import org.acme.mcp.support.KeycloakServer;
import org.acme.mcp.support.KeycloakTokens;
import org.acme.mcp.support.McpHttp;
import org.acme.mcp.support.Poll;
import org.acme.mcp.support.ProdJar;
import org.acme.mcp.support.RedisServer;
import org.acme.mcp.support.StatelessHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * One fleet, one set of controls: three packaged replicas on loopback sharing one real Redis, with real Keycloak
 * tokens. A kill switch engaged, a subject blocked or a user's tokens revoked on one replica is enforced by the others
 * within a second; a tool budget spent across the three holds for the fleet; a restarted replica still refuses a
 * revoked token. Then Redis is killed mid-run: the blocks stay, changes are refused with a clear error, budgets fall
 * back to a third per replica, readiness and the audit trail say so, and when an empty Redis comes back the replicas
 * write back what they knew before anything can be lifted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetIT {

    static final Path WORK = Path.of("target", "fleet-it");
    static final String AUDIT_KEY = "fleet-it-audit-key-0123456789";
    /** One key for the fleet: a requestState sealed by one replica opens on every other. */
    static final String STATE_KEY = "fleet-it-request-state-key-0123456789";
    static final String REDIS_PASSWORD = "fleet-it-redis-password";
    /** Per caller, per tool, per hour: spent across the fleet in one test, per replica during the outage. */
    static final int TOOL_BUDGET = 12;
    /** Requests per caller per hour: large enough for the tests' polling, spent by one service in one test. */
    static final int REQUEST_BUDGET = 1000;
    static final int REPLICAS = 3;

    static KeycloakServer keycloak;
    static Map<String, String> oidc;
    static RedisServer redis;
    static final ProdJar[] servers = new ProdJar[REPLICAS];
    static final int[] ports = new int[REPLICAS];
    static String admin;
    static String adminSession;

    @BeforeAll
    static void start() throws Exception {
        deleteRecursively(WORK);
        keycloak = new KeycloakServer();
        oidc = keycloak.start();
        redis = new RedisServer(REDIS_PASSWORD).start();
        for (int i = 0; i < REPLICAS; i++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                ports[i] = socket.getLocalPort();
            }
        }
        for (int i = 0; i < REPLICAS; i++) {
            servers[i] = launch(i);
        }
        for (int i = 0; i < REPLICAS; i++) {
            assertTrue(servers[i].awaitStartedOrExit(), servers[i].output());
        }
        // carol is the realm's administrator; a fresh interactive login satisfies the kill switch's max auth age
        admin = KeycloakTokens.authorizationCode(realm(), "mcp-inspector", "http://127.0.0.1/callback", "carol",
                "carol", "mcp.admin");
    }

    static ProdJar launch(int replica) throws Exception {
        Map<String, String> config = new HashMap<>(replicaConfig(replica));
        config.put("mcp.fleet.enabled", "true");
        config.put("mcp.fleet.replicas", String.valueOf(REPLICAS));
        config.put("mcp.fleet.redis.url", redis.url());
        config.put("mcp.fleet.redis.password", REDIS_PASSWORD);
        return ProdJar.launch(config);
    }

    /** What every replica gets besides the fleet settings: its port, Keycloak, its own trail and state file. */
    static Map<String, String> replicaConfig(int replica) {
        String base = base(replica);
        Map<String, String> config = new HashMap<>(Map.of(
                "quarkus.http.host", "127.0.0.1",
                "quarkus.http.port", String.valueOf(ports[replica]),
                "quarkus.otel.sdk.disabled", "true",
                "mcp.security.resource", base + "/mcp",
                "quarkus.oidc.token.audience", "mcp-server",
                "mcp.security.transport.tls-termination", "proxy",
                "mcp.audit.trail.directory", WORK.resolve("audit").toString(),
                "mcp.audit.replica-id", "replica-" + replica,
                "mcp.audit.trail.hmac-key", AUDIT_KEY,
                "mcp.incident.state-file", WORK.resolve("replica-" + replica).resolve("incident.json").toString()));
        config.put("mcp.round-trip.state-key", STATE_KEY);
        // a tool that waits for a person's approval: its sealed state and its approval travel between replicas
        config.put("mcp.rbac.tools.\"session-stats\".approval", "true");
        config.put("quarkus.oidc.approval.tenant-enabled", "true");
        config.put("quarkus.oidc.approval.client-id", "mcp-approval");
        config.put("quarkus.oidc.approval.credentials.secret", "approval-secret");
        config.put(KeycloakServer.OIDC_AUTH_SERVER_URL, oidc.get(KeycloakServer.OIDC_AUTH_SERVER_URL));
        config.put("quarkus.oidc.token.issuer", oidc.get("quarkus.oidc.token.issuer"));
        config.put("mcp.limits.tools.\"time-in-zone\".limit", String.valueOf(TOOL_BUDGET));
        config.put("mcp.limits.tools.\"time-in-zone\".period", "1H");
        config.put("mcp.limits.tools.\"sort-lines\".limit", String.valueOf(TOOL_BUDGET));
        config.put("mcp.limits.tools.\"sort-lines\".period", "1H");
        config.put("mcp.limits.request-limit", String.valueOf(REQUEST_BUDGET));
        config.put("mcp.limits.request-period", "1H");
        return config;
    }

    @AfterAll
    static void stop() throws Exception {
        for (ProdJar server : servers) {
            if (server != null) {
                server.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
        if (keycloak != null) {
            keycloak.stop();
        }
    }

    @Test
    @Order(1)
    void aToolSwitchedOffOnOneReplicaIsRefusedByTheOthersWithinASecond() throws Exception {
        String alice = user("alice");
        for (int i = 0; i < REPLICAS; i++) {
            assertTrue(succeeded(call(i, alice, "text-stats", new JsonObject().put("text", "a b"))), "replica " + i);
        }
        JsonObject engaged = killSwitch(0, "kill-switch-engage", "tool", "text-stats");
        assertTrue(engaged.getString("message").contains("every replica"), engaged.encode());
        long started = System.nanoTime();
        for (int i = 1; i < REPLICAS; i++) {
            int replica = i;
            Duration took = Poll.until(() -> !succeeded(call(replica, alice, "text-stats",
                    new JsonObject().put("text", "a b"))), started);
            assertTrue(took.toMillis() <= 1000, "replica " + i + " refused the tool after " + took.toMillis() + " ms");
        }
        // released on the third replica: back on the first within a second
        killSwitch(2, "kill-switch-release", "tool", "text-stats");
        Duration back = Poll.until(() -> succeeded(call(0, alice, "text-stats", new JsonObject().put("text", "a"))),
                System.nanoTime());
        assertTrue(back.toMillis() <= 1000, "took " + back.toMillis() + " ms");
    }

    @Test
    @Order(2)
    void aSubjectBlockedOnOneReplicaGets403OnAnotherWithinASecond() throws Exception {
        String bob = user("bob");
        String subject = KeycloakTokens.claims(bob).get("sub").asText();
        assertEquals(200, list(2, bob).statusCode());
        killSwitch(1, "kill-switch-engage", "subject", subject);
        long started = System.nanoTime();
        for (int replica : new int[] { 2, 0 }) {
            Duration took = Poll.until(() -> list(replica, bob).statusCode() == 403, started);
            assertTrue(took.toMillis() <= 1000, "replica " + replica + " took " + took.toMillis() + " ms");
        }
        killSwitch(0, "kill-switch-release", "subject", subject);
        Poll.until(() -> list(1, bob).statusCode() == 200 && list(2, bob).statusCode() == 200, System.nanoTime());
    }

    @Test
    @Order(3)
    void aCallersToolBudgetSpentAcrossTheFleetHoldsForTheFleet() throws Exception {
        String bob = user("bob");
        // three times the budget at once, from six threads, on all three replicas: the races a shared budget must win
        ExecutorService threads = Executors.newFixedThreadPool(6);
        List<Future<Response>> answers = new ArrayList<>();
        for (int n = 0; n < 3 * TOOL_BUDGET; n++) {
            int replica = n % REPLICAS;
            answers.add(threads.submit(() -> call(replica, bob, "time-in-zone", new JsonObject().put("zone", "UTC"))));
        }
        int granted = 0;
        int refused = 0;
        for (Future<Response> answer : answers) {
            Response response = answer.get(30, TimeUnit.SECONDS);
            if (response.statusCode() == 429) {
                refused++;
            } else if (succeeded(response)) {
                granted++;
            }
        }
        threads.shutdown();
        assertEquals(TOOL_BUDGET, granted, "the fleet granted " + granted + " of a budget of " + TOOL_BUDGET);
        assertEquals(2 * TOOL_BUDGET, refused);
    }

    @Test
    @Order(4)
    void aCallersRequestBudgetSpentAcrossTheFleetHoldsForTheFleet() throws Exception {
        String service = KeycloakTokens.clientCredentials(realm(), "mcp-service", "service-secret", null);
        ExecutorService threads = Executors.newFixedThreadPool(6);
        long started = System.nanoTime();
        List<Future<Integer>> answers = new ArrayList<>();
        for (int n = 0; n < REQUEST_BUDGET * 3 / 2; n++) {
            int replica = n % REPLICAS;
            answers.add(threads.submit(() -> list(replica, service).statusCode()));
        }
        int granted = 0;
        for (Future<Integer> answer : answers) {
            int status = answer.get(60, TimeUnit.SECONDS);
            assertTrue(status == 200 || status == 429, "status " + status);
            granted += status == 200 ? 1 : 0;
        }
        threads.shutdown();
        // the bucket refills continuously: what it gained while the test ran may be granted too
        double refilled = (System.nanoTime() - started) / 3.6e12 * REQUEST_BUDGET;
        assertTrue(granted >= REQUEST_BUDGET && granted <= REQUEST_BUDGET + Math.ceil(refilled),
                "the fleet granted " + granted + " requests of a budget of " + REQUEST_BUDGET + " (+" + refilled
                        + " refilled)");
    }

    @Test
    @Order(5)
    void revokedTokensAreRefusedByEveryReplicaAndAfterARestart() throws Exception {
        String alice = user("alice");
        String subject = KeycloakTokens.claims(alice).get("sub").asText();
        assertEquals(200, list(1, alice).statusCode());
        JsonObject ended = adminCall(0, "end-user-sessions", new JsonObject().put("subject", subject));
        assertEquals(Boolean.TRUE, ended.getBoolean("tokensRevoked"), ended.encode());
        assertEquals(Boolean.TRUE, ended.getBoolean("fleetWide"), ended.encode());
        Duration took = Poll.until(() -> list(1, alice).statusCode() == 401 && list(2, alice).statusCode() == 401,
                System.nanoTime());
        assertTrue(took.toMillis() <= 1000, "took " + took.toMillis() + " ms");

        servers[2].close();
        servers[2] = launch(2);
        assertTrue(servers[2].awaitStartedOrExit(), servers[2].output());
        assertEquals(401, list(2, alice).statusCode(), "a restarted replica forgot the revocation");
        Thread.sleep(1100); // revocations cover tokens issued up to their second
        assertEquals(200, list(2, user("alice")).statusCode(), "a new login must work");
    }

    @Test
    @Order(6)
    void whenRedisDiesTheLastKnownBlocksHoldChangesAreRefusedAndNothingIsLostWhenItReturns() throws Exception {
        String alice = user("alice");
        String reader = user("bob");
        killSwitch(0, "kill-switch-engage", "tool", "whoami");
        for (int i = 1; i < REPLICAS; i++) {
            int replica = i;
            Poll.until(() -> !succeeded(call(replica, alice, "whoami", new JsonObject())), System.nanoTime());
        }

        // load on every replica throughout: requests in flight when Redis dies, and while it is away and back
        Load load = new Load(user("carol"));
        Thread.sleep(500);
        redis.kill();
        for (int i = 0; i < REPLICAS; i++) {
            int replica = i;
            Poll.until(() -> "degraded".equals(fleetMode(replica)), System.nanoTime());
        }
        // the last known state stays in force everywhere
        for (int i = 0; i < REPLICAS; i++) {
            assertFalse(succeeded(call(i, alice, "whoami", new JsonObject())), "replica " + i + " lifted the block");
        }
        // changes are refused with a clear error, not applied to one replica
        Response release = adminToolCall(1, "kill-switch-release", killSwitchArgs("tool", "whoami"));
        assertTrue(release.asString().contains("cannot be reached"), release.asString());
        assertTrue(release.jsonPath().getBoolean("result.isError"), release.asString());
        assertFalse(succeeded(call(1, alice, "whoami", new JsonObject())));
        Response revoke = adminToolCall(0, "end-user-sessions", new JsonObject().put("subject", "someone"));
        assertTrue(revoke.jsonPath().getBoolean("result.isError"), revoke.asString());
        // budgets: a third of the tool budget per replica
        int granted = 0;
        for (int n = 0; n < TOOL_BUDGET; n++) {
            if (succeeded(call(0, reader, "sort-lines", new JsonObject().put("text", "b\na")))) {
                granted++;
            }
        }
        assertEquals(TOOL_BUDGET / REPLICAS, granted, "per-replica budget while Redis is down");

        redis.start(); // empty: it lost everything
        for (int i = 0; i < REPLICAS; i++) {
            int replica = i;
            Poll.until(() -> "shared".equals(fleetMode(replica)), System.nanoTime());
        }
        Thread.sleep(500);
        load.stop();
        // served throughout (429 would be a budget, also an answer); never an error, never stuck on the dead Redis
        assertTrue(load.answers.stream().filter(status -> status == 200).count() > 30, "load: " + load.answers);
        assertTrue(Set.of(200, 429).containsAll(Set.copyOf(load.answers)), "answers under load: " + load.answers);
        assertTrue(load.slowest < 3000, "a request waited " + load.slowest + " ms for the dead Redis");
        assertFalse(redis.cli("HGET", "mcp:incident", "tool:whoami").isEmpty(), "the block was not written back");
        assertFalse(succeeded(call(2, alice, "whoami", new JsonObject())), "the block was lost with Redis");
        killSwitch(1, "kill-switch-release", "tool", "whoami");
        Poll.until(() -> succeeded(call(2, alice, "whoami", new JsonObject())), System.nanoTime());

        for (int i = 0; i < REPLICAS; i++) {
            int replica = i;
            List<JsonObject> states = awaitRecords(replica, r -> "fleet.state".equals(r.getString("type")), 2);
            assertEquals("error", states.get(0).getString("outcome"), states.toString());
            assertEquals("ok", states.get(1).getString("outcome"), states.toString());
        }
        List<JsonObject> refusedChanges = AuditRecords.in(trail(1)).stream()
                .filter(r -> "incident.change".equals(r.getString("type")) && "error".equals(r.getString("outcome")))
                .toList();
        assertEquals(1, refusedChanges.size(), refusedChanges.toString());
        // the verifier checks the fleet's directory chain by chain (replica 2's chain spans its restart)
        Map<String, AuditChainVerifier.Result> chains = AuditChainVerifier.verifyAll(WORK.resolve("audit"),
                AUDIT_KEY.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("replica-0", "replica-1", "replica-2"), List.copyOf(chains.keySet()));
        chains.forEach((chain, result) -> assertTrue(result.intact(), chain + ": " + result));
    }

    @Test
    @Order(7)
    void aFleetReplicaRefusesToStartWithoutAReachableAuthenticatedRedis() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> unreachable = new HashMap<>(replicaConfig(0));
        unreachable.put("quarkus.http.port", String.valueOf(port));
        unreachable.put("mcp.audit.replica-id", "refused");
        unreachable.put("mcp.fleet.enabled", "true");
        unreachable.put("mcp.fleet.redis.url", "redis://127.0.0.1:9");
        unreachable.put("mcp.fleet.redis.password", REDIS_PASSWORD);
        assertRefused(unreachable, "cannot be used");

        Map<String, String> noPassword = new HashMap<>(unreachable);
        noPassword.put("mcp.fleet.redis.url", redis.url());
        noPassword.remove("mcp.fleet.redis.password");
        assertRefused(noPassword, "needs mcp.fleet.redis.password");

        Map<String, String> wrongPassword = new HashMap<>(noPassword);
        wrongPassword.put("mcp.fleet.redis.password", "not-the-password");
        assertRefused(wrongPassword, "cannot be used");
    }

    static void assertRefused(Map<String, String> config, String expected) throws Exception {
        try (ProdJar server = ProdJar.launch(config)) {
            assertFalse(server.awaitStartedOrExit(), "started: " + server.output());
            assertTrue(server.output().contains(expected), server.output());
        }
    }

    /** Two threads listing tools on every replica in turn, as one caller, until stopped. */
    static final class Load {
        final List<Integer> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile long slowest;
        private volatile boolean running = true;
        private final List<Thread> threads = new ArrayList<>();

        Load(String token) {
            for (int t = 0; t < 2; t++) {
                int first = t;
                Thread thread = new Thread(() -> {
                    for (int n = first; running; n++) {
                        long started = System.nanoTime();
                        answers.add(list(n % REPLICAS, token).statusCode());
                        slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                threads.add(thread);
                thread.start();
            }
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    @Test
    @Order(8)
    void aSealedStateOpensOnEveryReplicaAndIsUsedOnceInTheFleet() throws Exception {
        JsonObject capabilities = new JsonObject().put("elicitation", new JsonObject().put("url", new JsonObject()));
        JsonObject params = new JsonObject().put("name", "session-stats").put("arguments", new JsonObject())
                .put("_meta", StatelessHttp.meta().put("io.modelcontextprotocol/clientCapabilities", capabilities));
        Response first = stateless(0, admin, "tools/call", params, "session-stats");
        JsonObject asked = new JsonObject(first.asString()).getJsonObject("result");
        assertEquals("input_required", asked.getString("resultType"), first.asString());
        String url = asked.getJsonObject("inputRequests").getJsonObject("approval").getJsonObject("params")
                .getString("url");
        JsonObject retry = params.copy().put("requestState", asked.getString("requestState")).put("inputResponses",
                new JsonObject().put("approval", new JsonObject().put("action", "accept")));

        // replica 1 opens replica 0's state and finds replica 0's approval, still pending: asked again, same approval
        // (each replica here names itself by its own port; a real fleet shares one resource URI)
        Response elsewhere = stateless(1, admin, "tools/call", retry, "session-stats");
        JsonObject pending = new JsonObject(elsewhere.asString()).getJsonObject("result");
        assertEquals("input_required", pending.getString("resultType"), elsewhere.asString());
        String again = pending.getJsonObject("inputRequests").getJsonObject("approval").getJsonObject("params")
                .getString("url");
        assertEquals(url.substring(url.lastIndexOf('/')), again.substring(again.lastIndexOf('/')));
        // the same state once more, on the third replica: used already in the fleet
        Response replay = stateless(2, admin, "tools/call", retry, "session-stats");
        assertEquals(400, replay.statusCode(), replay.asString());
        assertEquals(-32602, new JsonObject(replay.asString()).getJsonObject("error").getInteger("code"));
        awaitRecords(2, r -> "request.state".equals(r.getString("type"))
                && "requestState used already (replayed)".equals(r.getJsonObject("attrs").getString("audit.reason")), 1);
    }

    static String realm() {
        return KeycloakServer.realmUrl();
    }

    static String user(String name) {
        return KeycloakTokens.password(realm(), "mcp-test-cli", "test-cli-secret", name, name, null);
    }

    static String base(int replica) {
        return "http://localhost:" + ports[replica];
    }

    /** Every replica writes its own chain, named by its replica id, into one directory. */
    static Path trail(int replica) {
        return WORK.resolve("audit").resolve("replica-" + replica);
    }

    /** A 2026-07-28 request: no session, so any replica can take it. */
    static Response stateless(int replica, String token, String method, JsonObject params, String name) {
        var spec = StatelessHttp.request(token, method).baseUri(base(replica));
        if (name != null) {
            spec.header("Mcp-Name", name);
        }
        return spec.body(StatelessHttp.body(7, method, params)).post("/mcp");
    }

    static Response call(int replica, String token, String tool, JsonObject arguments) {
        return stateless(replica, token, "tools/call", new JsonObject().put("name", tool).put("arguments", arguments),
                tool);
    }

    static Response list(int replica, String token) {
        return stateless(replica, token, "tools/list", new JsonObject(), null);
    }

    static boolean succeeded(Response answer) {
        if (answer.statusCode() != 200) {
            return false;
        }
        JsonObject body = new JsonObject(answer.asString().startsWith("{") ? answer.asString()
                : answer.asString().lines().filter(l -> l.startsWith("data:")).reduce((a, b) -> b).orElse("data:{}")
                        .substring(5));
        return body.containsKey("result") && !body.getJsonObject("result").getBoolean("isError", false);
    }

    /** A tools/call of the administrator on a session of its own (a 2025-11-25 client, as consoles are today). */
    static Response adminToolCall(int replica, String tool, JsonObject arguments) {
        String session = McpHttp.request(admin).baseUri(base(replica)).body(McpHttp.initializeBody()).post("/mcp")
                .header("Mcp-Session-Id");
        McpHttp.request(admin).baseUri(base(replica)).header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", McpHttp.PROTOCOL)
                .body("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").post("/mcp")
                .then().statusCode(202);
        String params = new JsonObject().put("name", tool).put("arguments", arguments).encode();
        return McpHttp.request(admin).baseUri(base(replica)).header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", McpHttp.PROTOCOL)
                .body("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":" + params + "}")
                .post("/mcp");
    }

    static JsonObject adminCall(int replica, String tool, JsonObject arguments) {
        Response answer = adminToolCall(replica, tool, arguments);
        assertEquals(200, answer.statusCode(), answer.asString());
        assertFalse(answer.jsonPath().getBoolean("result.isError"), answer.asString());
        return new JsonObject(answer.asString()).getJsonObject("result").getJsonObject("structuredContent");
    }

    static JsonObject killSwitchArgs(String kind, String target) {
        return new JsonObject().put("kind", kind).put("target", target).put("reason", "FLEET-IT");
    }

    static JsonObject killSwitch(int replica, String tool, String kind, String target) {
        return adminCall(replica, tool, killSwitchArgs(kind, target));
    }

    static String fleetMode(int replica) {
        String health = McpHttp.request(null).baseUri(base(replica)).get("/q/health/ready").asString();
        JsonObject ready = new JsonObject(health);
        return ready.getJsonArray("checks").stream().map(JsonObject.class::cast)
                .filter(c -> "fleet".equals(c.getString("name"))).findFirst()
                .map(c -> c.getJsonObject("data").getString("mode")).orElse("none");
    }

    static List<JsonObject> awaitRecords(int replica, Predicate<JsonObject> which, int count) throws Exception {
        List<JsonObject> found = new ArrayList<>();
        Poll.until(() -> {
            found.clear();
            found.addAll(AuditRecords.in(trail(replica)).stream().filter(which).toList());
            return found.size() >= count;
        }, System.nanoTime());
        return found;
    }

    static void deleteRecursively(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
