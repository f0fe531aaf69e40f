package org.acme.mcp.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The fleet's shared control plane: small maps every replica mirrors (the kill switch, revocations, session ends) and
 * token buckets every replica leases from, kept in Redis ({@link FleetConfig}). Off ({@code mcp.fleet.enabled=false}):
 * {@link #shared()} is false and the features keep their state on this replica.
 * <p>
 * Reads never wait for Redis: each feature keeps a local copy of its map, refreshed by one script call per
 * {@code sync-interval} that returns only maps whose version moved. A write is one atomic script (change the map,
 * bump its version); the writing replica applies its change to its own copy at once, every other replica within one
 * interval.
 * <p>
 * When Redis is lost, the copies stay as they were (a block is never lifted by an outage), writes fail with
 * {@link FleetUnavailableException}, and the transition is audited ({@code fleet.state}) and shown by readiness. When
 * Redis comes back without its data (restarted without persistence), the replicas write their last known maps back
 * before anyone can write a new version over them.
 */
@Startup
@Singleton
public class FleetStore {

    private static final Logger LOG = Logger.getLogger(FleetStore.class);

    /** What readiness reports. */
    public enum Mode {
        /** One replica on its own: nothing shared. */
        EMBEDDED,
        /** Redis reachable: every control is shared. */
        SHARED,
        /** Redis unreachable: last known state, changes refused, per-replica budgets. */
        DEGRADED
    }

    /** Tokens a replica may spend, and when the bucket has one again if it gave fewer than asked. */
    public record Grant(int tokens, long retryAfterMillis) {
    }

    /** A map a feature shares: {@code lastKnown} seeds a Redis that lost it, {@code listener} gets each new version. */
    private record SharedMap(String name, Supplier<Map<String, String>> lastKnown,
            Consumer<Map<String, String>> listener, long[] version) {
    }

    // KEYS: map, version pairs; ARGV: the versions this replica has. Per map: {'none'} when its version key is gone
    // (never written, or Redis lost its data), {v} when unchanged, {v, HGETALL} when it moved.
    private static final String SYNC = """
            local out = {}
            for i = 1, #KEYS, 2 do
              local v = redis.call('GET', KEYS[i + 1])
              if not v then out[#out + 1] = {'none'}
              elseif v == ARGV[(i + 1) / 2] then out[#out + 1] = {v}
              else out[#out + 1] = {v, redis.call('HGETALL', KEYS[i])} end
            end
            return out""";

    // KEYS: map, version; ARGV: field, value pairs. Writes back a lost map (union with what a faster replica seeded:
    // a block survives). Nothing when the version exists. The new version is Redis' clock in microseconds, never a
    // number a replica saw before the loss, so every replica reads the map again.
    private static final String SEED = """
            if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
            for i = 1, #ARGV, 2 do redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) end
            local t = redis.call('TIME')
            redis.call('SET', KEYS[2], t[1] .. string.format('%06d', tonumber(t[2])))
            return 1""";

    // KEYS: map, version; ARGV: op ('set'/'del'), field, value triples. -1 when the map is lost (seed it first:
    // a new version over a lost map would lift every block it had).
    private static final String WRITE = """
            if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
            for i = 1, #ARGV, 3 do
              if ARGV[i] == 'set' then redis.call('HSET', KEYS[1], ARGV[i + 1], ARGV[i + 2])
              else redis.call('HDEL', KEYS[1], ARGV[i + 1]) end
            end
            return redis.call('INCR', KEYS[2])""";

    // KEYS: bucket; ARGV: capacity, period (ms), wanted. A token bucket refilled continuously, on Redis' clock.
    private static final String LEASE = """
            local t = redis.call('TIME')
            local now = t[1] * 1000 + math.floor(t[2] / 1000)
            local cap, period, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
            local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
            local tokens, ts = tonumber(b[1]), tonumber(b[2])
            if not tokens then tokens, ts = cap, now end
            if now > ts then tokens = math.min(cap, tokens + (now - ts) * cap / period); ts = now end
            local grant = math.min(want, math.floor(tokens))
            tokens = tokens - grant
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(ts))
            redis.call('PEXPIRE', KEYS[1], period * 2)
            local wait = 0
            if grant == 0 then wait = math.ceil((1 - tokens) * period / cap) end
            return {grant, wait}""";

    private final FleetConfig config;
    private final Vertx vertx;
    private final AuditLog audit;
    private final Redis redis;
    private final String prefix;
    private final long timeoutMillis;
    private final List<SharedMap> maps = new CopyOnWriteArrayList<>();
    private final Object syncLock = new Object();
    private volatile Mode mode;
    private volatile Instant lastSync;
    private volatile String lastError;
    private volatile Thread syncThread;

    FleetStore(FleetConfig config, Vertx vertx, AuditLog audit) {
        this.config = config;
        this.vertx = vertx;
        this.audit = audit;
        this.prefix = config.redis().keyPrefix();
        this.timeoutMillis = config.redis().timeout().toMillis();
        if (!config.enabled()) {
            this.redis = null;
            this.mode = Mode.EMBEDDED;
            return;
        }
        this.redis = Redis.createClient(vertx, options(config));
        try {
            await(send(Request.cmd(Command.PING)));
        } catch (RuntimeException e) {
            redis.close();
            throw new IllegalStateException("mcp.fleet.enabled=true but Redis at " + config.redis().url().get()
                    + " cannot be used (" + rootMessage(e) + "). Refusing to start: a replica that cannot share the"
                    + " kill switch, revocations and budgets would enforce only its own. Check mcp.fleet.redis.url"
                    + " and mcp.fleet.redis.password (MCP_FLEET_REDIS_URL, MCP_FLEET_REDIS_PASSWORD).", e);
        }
        this.mode = Mode.SHARED;
        this.lastSync = Instant.now();
        LOG.infof("Fleet control plane: Redis at %s, %d replica(s) expected, changes read every %d ms",
                config.redis().url().get(), config.replicas(), config.syncInterval().toMillis());
    }

    private static RedisOptions options(FleetConfig config) {
        String url = config.redis().url().filter(u -> !u.isBlank()).orElseThrow(() -> new IllegalStateException(
                "mcp.fleet.enabled=true needs mcp.fleet.redis.url (MCP_FLEET_REDIS_URL). Refusing to start."));
        String password = config.redis().password().filter(p -> !p.isBlank()).orElseThrow(
                () -> new IllegalStateException("mcp.fleet.enabled=true needs mcp.fleet.redis.password"
                        + " (MCP_FLEET_REDIS_PASSWORD): a Redis without one lets anyone who reaches it lift a block"
                        + " or grant budgets. Refusing to start."));
        if (url.matches("(?i)rediss?://[^/@]*:[^/@]*@.*")) {
            throw new IllegalStateException("mcp.fleet.redis.url must not contain a password (it ends up in logs):"
                    + " set mcp.fleet.redis.password. Refusing to start.");
        }
        if (config.replicas() < 1) {
            throw new IllegalStateException("mcp.fleet.replicas must be at least 1. Refusing to start.");
        }
        RedisOptions options = new RedisOptions().setConnectionString(url).setPassword(password)
                .setMaxPoolSize(8).setMaxPoolWaiting(1024).setMaxWaitingHandlers(4096);
        // rediss://: the certificate must name the host (the client's default checks only the chain)
        options.getNetClientOptions().setConnectTimeout((int) config.redis().timeout().toMillis())
                .setHostnameVerificationAlgorithm("HTTPS");
        return options;
    }

    /** Whether this replica is part of a fleet (shares through Redis), reachable or not. */
    public boolean shared() {
        return redis != null;
    }

    /** Whether a lease or write can be tried now: shared, and the last sync reached Redis. */
    public boolean reachable() {
        return mode == Mode.SHARED;
    }

    public Mode mode() {
        return mode;
    }

    public int replicas() {
        return config.replicas();
    }

    public Instant lastSync() {
        return lastSync;
    }

    public String lastError() {
        return lastError;
    }

    /**
     * Shares the map {@code name}: reads it now (seeding it from {@code lastKnown} if Redis has none), hands every
     * version to {@code listener} (on the sync thread, one at a time), and keeps reading it. Fleet mode only; refuses
     * to start the server when Redis cannot be read.
     */
    public void share(String name, Supplier<Map<String, String>> lastKnown, Consumer<Map<String, String>> listener) {
        if (!shared()) {
            throw new IllegalStateException("not in fleet mode");
        }
        SharedMap map = new SharedMap(name, lastKnown, listener, new long[] { 0 });
        maps.add(map);
        try {
            sync(List.of(map));
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot read the fleet's " + name + " from Redis (" + rootMessage(e)
                    + "). Refusing to start.", e);
        }
        startSyncThread();
    }

    /**
     * Sets ({@code value}) or removes ({@code null}) fields of a shared map atomically. The caller applies the change
     * to its own copy; the next sync brings it (and anything written meanwhile) to every replica, this one included.
     * Blocking: never call it on an event loop.
     *
     * @throws FleetUnavailableException Redis cannot be reached; nothing changed
     */
    public void write(String name, Map<String, String> changes) {
        SharedMap map = maps.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not shared: " + name));
        Request write = Request.cmd(Command.EVAL).arg(WRITE).arg(2).arg(key(name)).arg(versionKey(name));
        changes.forEach((field, value) -> {
            write.arg(value == null ? "del" : "set").arg(field).arg(value == null ? "" : value);
        });
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                if (await(send(write)).toLong() >= 0) {
                    return;
                }
                seed(map); // the map was lost: write back the last known one, then the change
            }
            throw new IllegalStateException("the map could not be restored");
        } catch (RuntimeException e) {
            throw unavailable(e, "nothing was changed on any replica. What was in force stays in force;"
                    + " repeat the change when Redis is back.");
        }
    }

    /**
     * Takes up to {@code want} tokens from the fleet's bucket {@code bucket} ({@code capacity} per {@code period}).
     * Completes on a Redis thread; fails when Redis does not answer within the timeout.
     */
    public Future<Grant> lease(String bucket, int capacity, Duration period, int want) {
        Request lease = Request.cmd(Command.EVAL).arg(LEASE).arg(1).arg(prefix + "bucket:" + bucket).arg(capacity)
                .arg(Math.max(1, period.toMillis())).arg(want);
        return send(lease).map(r -> new Grant(r.get(0).toInteger(), r.get(1).toLong()));
    }

    /**
     * Sets {@code key} to {@code value} for {@code ttl}; with {@code onlyIfAbsent}, only when it has no value: true
     * when it was set (the first caller in the whole fleet). Fails with {@link FleetUnavailableException}, whose
     * message ends with {@code consequence}: the caller must fail closed.
     */
    Future<Boolean> set(String key, String value, Duration ttl, boolean onlyIfAbsent, String consequence) {
        Request set = Request.cmd(Command.SET).arg(prefix + key).arg(value).arg("PX").arg(Math.max(1, ttl.toMillis()));
        if (onlyIfAbsent) {
            set.arg("NX");
        }
        return send(set).<Boolean> map(answer -> answer != null && "OK".equals(answer.toString()))
                .recover(e -> unavailableFuture(e, consequence));
    }

    /** The value of {@code key}, or {@code null}. Fails with {@link FleetUnavailableException}. */
    Future<String> get(String key) {
        return send(Request.cmd(Command.GET).arg(prefix + key))
                .<String> map(answer -> answer == null ? null : answer.toString())
                .recover(e -> unavailableFuture(e, "a shared value cannot be read, so it is treated as unknown."));
    }

    private <T> Future<T> unavailableFuture(Throwable e, String consequence) {
        return Future.failedFuture(unavailable(new IllegalStateException(rootMessage(e), e), consequence));
    }

    private void sync(List<SharedMap> which) {
        synchronized (syncLock) {
            Request sync = Request.cmd(Command.EVAL).arg(SYNC).arg(which.size() * 2);
            which.forEach(m -> sync.arg(key(m.name())).arg(versionKey(m.name())));
            which.forEach(m -> sync.arg(m.version()[0]));
            Response answer = await(send(sync));
            for (int i = 0; i < which.size(); i++) {
                SharedMap map = which.get(i);
                Response entry = answer.get(i);
                if ("none".equals(entry.get(0).toString())) {
                    seed(map);
                    sync(List.of(map));
                } else if (entry.size() > 1) {
                    Map<String, String> entries = new LinkedHashMap<>();
                    Response flat = entry.get(1);
                    for (int f = 0; f + 1 < flat.size(); f += 2) {
                        entries.put(flat.get(f).toString(), flat.get(f + 1).toString());
                    }
                    try {
                        map.listener().accept(entries);
                        map.version()[0] = entry.get(0).toLong();
                    } catch (RuntimeException e) { // Redis answered: not an outage; read it again next time
                        LOG.errorf(e, "Applying the fleet's %s failed", map.name());
                    }
                }
            }
            lastSync = Instant.now();
        }
    }

    private void seed(SharedMap map) {
        Map<String, String> known = map.lastKnown().get();
        Request seed = Request.cmd(Command.EVAL).arg(SEED).arg(2).arg(key(map.name())).arg(versionKey(map.name()));
        known.forEach((field, value) -> seed.arg(field).arg(value));
        if (await(send(seed)).toLong() == 1) {
            LOG.warnf("The fleet's %s was missing in Redis: written back from this replica's last known copy"
                    + " (%d entries)", map.name(), known.size());
        }
        map.version()[0] = 0; // read it whatever it holds now
    }

    private synchronized void startSyncThread() {
        if (syncThread != null) {
            return;
        }
        syncThread = new Thread(this::syncLoop, "mcp-fleet-sync");
        syncThread.setDaemon(true);
        syncThread.start();
    }

    private void syncLoop() {
        long interval = config.syncInterval().toMillis();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                sync(new ArrayList<>(maps));
                noteReachable();
            } catch (RuntimeException e) {
                noteUnreachable(e);
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void noteReachable() {
        if (mode == Mode.DEGRADED) {
            mode = Mode.SHARED;
            lastError = null;
            LOG.warnf("Fleet control plane reachable again: shared controls and budgets restored");
            audit.recordUnattributed(AuditType.FLEET_STATE, AuditOutcome.OK,
                    new HashMap<>(Map.of("audit.fleet.mode", "shared")));
        }
    }

    private void noteUnreachable(RuntimeException e) {
        lastError = rootMessage(e);
        if (mode == Mode.SHARED) {
            mode = Mode.DEGRADED;
            LOG.errorf("Fleet control plane (Redis) unreachable (%s): last known blocks stay in force, kill-switch"
                    + " and revocation changes are refused, rate budgets are per replica (1/%d)", lastError,
                    config.replicas());
            audit.recordUnattributed(AuditType.FLEET_STATE, AuditOutcome.ERROR,
                    new HashMap<>(Map.of("audit.fleet.mode", "degraded", "audit.reason", lastError)));
        }
    }

    /** Notes the outage and says what it means for the operation that met it. */
    private FleetUnavailableException unavailable(RuntimeException e, String consequence) {
        noteUnreachable(e);
        return new FleetUnavailableException("The fleet's control plane (Redis) cannot be reached (" + rootMessage(e)
                + "): " + consequence, e);
    }

    private String key(String map) {
        return prefix + map;
    }

    private String versionKey(String map) {
        return prefix + map + ":version";
    }

    /** A command that fails after the configured timeout instead of waiting for a Redis that does not answer. */
    private Future<Response> send(Request request) {
        Promise<Response> promise = Promise.promise();
        long timer = vertx.setTimer(timeoutMillis,
                t -> promise.tryFail(new IllegalStateException("no answer within " + timeoutMillis + " ms")));
        redis.send(request).onComplete(answer -> {
            vertx.cancelTimer(timer);
            if (answer.succeeded()) {
                promise.tryComplete(answer.result());
            } else {
                promise.tryFail(answer.cause());
            }
        });
        return promise.future();
    }

    private <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeoutMillis + 500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException(rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    @PreDestroy
    void close() {
        Thread thread = syncThread;
        if (thread != null) {
            thread.interrupt();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
