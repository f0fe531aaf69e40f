package org.acme.mcp.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.acme.mcp.incident.IncidentState;
import org.acme.mcp.incident.KillSwitch;
import org.acme.mcp.security.TokenRevocations;
import org.acme.mcp.support.Poll;
import org.acme.mcp.support.RedisResource;
import org.acme.mcp.support.RedisServer;
import org.acme.mcp.support.TestIssuer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The fleet's store against a real Redis, in process: what other replicas (played here by {@code redis-cli}) write is
 * applied, a damaged entry still switches its target off, a single-use value is won by exactly one of many concurrent
 * claims, and with Redis gone claims and changes fail closed; an empty Redis gets the last known state back.
 */
@QuarkusTest
@TestProfile(FleetStoreTest.Fleet.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetStoreTest {

    public static class Fleet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mcp.fleet.replicas", "2", "mcp.fleet.sync-interval", "100ms",
                    "mcp.incident.state-file", "target/fleet-store-test/state.json");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisResource.class), new TestResourceEntry(TestIssuer.class));
        }
    }

    @Inject
    FleetStore fleet;

    @Inject
    SingleUse singleUse;

    @Inject
    KillSwitch killSwitch;

    @Inject
    TokenRevocations revocations;

    static RedisServer redis() {
        return RedisResource.server();
    }

    @Test
    @Order(1)
    void aChangeAnotherReplicaWritesIsInForceHereWithinASecond() throws Exception {
        assertEquals(FleetStore.Mode.SHARED, fleet.mode());
        String entry = "{\"by\":\"https://idp other-admin\",\"reason\":\"INC-7\",\"since\":\"" + Instant.now() + "\"}";
        long started = System.nanoTime();
        redis().cli("HSET", "mcp:incident", "tool:time-in-zone", entry);
        redis().cli("INCR", "mcp:incident:version");
        Poll.until(() -> killSwitch.disabled("time-in-zone"));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 1000);
        assertEquals("INC-7", killSwitch.state().disabledTools().get("time-in-zone").reason());

        redis().cli("HDEL", "mcp:incident", "tool:time-in-zone");
        redis().cli("INCR", "mcp:incident:version");
        Poll.until(() -> !killSwitch.disabled("time-in-zone"));
    }

    @Test
    @Order(2)
    void anUnreadableEntryStillSwitchesItsTargetOff() throws Exception {
        redis().cli("HSET", "mcp:incident", "tool:sort-lines", "{not json");
        redis().cli("INCR", "mcp:incident:version");
        Poll.until(() -> killSwitch.disabled("sort-lines"));
        redis().cli("HDEL", "mcp:incident", "tool:sort-lines");
        redis().cli("INCR", "mcp:incident:version");
        Poll.until(() -> !killSwitch.disabled("sort-lines"));
    }

    @Test
    @Order(3)
    void aSingleUseValueIsWonByExactlyOneOfManyConcurrentClaims() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            claims.add(threads.submit(() -> {
                start.await();
                return claim("sealed-request-1");
            }));
        }
        start.countDown();
        int won = 0;
        for (Future<Boolean> claim : claims) {
            won += claim.get() ? 1 : 0;
        }
        threads.shutdown();
        assertEquals(1, won);
        assertFalse(redis().cli("GET", "mcp:once:sealed-request-1").isEmpty(), "claimed outside Redis");
        assertTrue(claim("sealed-request-2"));
    }

    @Test
    @Order(4)
    void withRedisGoneEverythingSingleUseOrChangingFailsClosedAndAnEmptyRedisGetsTheStateBack() throws Exception {
        killSwitch.set(IncidentState.Kind.SUBJECT, "compromised-subject",
                new IncidentState.Entry("https://idp admin", "INC-9", Instant.now()));
        revocations.revokeCaller("https://idp revoked-subject");

        redis().kill();
        ExecutionException refused = assertThrows(ExecutionException.class, () -> claim("sealed-request-3"));
        assertInstanceOf(FleetUnavailableException.class, refused.getCause());
        assertThrows(FleetUnavailableException.class, () -> killSwitch.set(IncidentState.Kind.SUBJECT,
                "compromised-subject", null));
        Poll.until(() -> fleet.mode() == FleetStore.Mode.DEGRADED);
        assertTrue(killSwitch.state().blockedSubjects().containsKey("compromised-subject"), "an outage lifted a block");

        redis().start(); // empty
        Poll.until(() -> fleet.mode() == FleetStore.Mode.SHARED);
        Poll.until(() -> !redis().cli("HGET", "mcp:incident", "subject:compromised-subject").isEmpty());
        Poll.until(() -> !redis().cli("HGET", "mcp:revocations", "https://idp revoked-subject").isEmpty());
        assertTrue(killSwitch.state().blockedSubjects().containsKey("compromised-subject"));
        assertTrue(claim("sealed-request-3"));
        killSwitch.set(IncidentState.Kind.SUBJECT, "compromised-subject", null);
    }

    private boolean claim(String id) throws Exception {
        return singleUse.claim(id, Duration.ofMinutes(1)).toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }
}
