package org.acme.mcp.incident;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.acme.mcp.fleet.FleetStore;
import org.acme.mcp.fleet.FleetUnavailableException;
import org.acme.mcp.identity.CallerClaims;
import org.acme.mcp.incident.IncidentState.Entry;
import org.acme.mcp.incident.IncidentState.Kind;
import org.acme.mcp.rbac.RuntimeToolSwitch;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The kill switch's state: which tools are switched off and which subjects and OAuth clients are blocked, from the
 * state file and from configuration ({@link IncidentConfig}). Reads are lock-free (one immutable snapshot); changes
 * are serialized, written to the file, and take effect for the very next request.
 * <p>
 * In a fleet ({@link FleetStore#shared()}) the state lives in Redis and the file keeps this replica's last known
 * copy: a change is written to Redis first (refused, {@link FleetUnavailableException}, when Redis cannot be reached:
 * never applied to one replica only), every replica applies what it reads from there, and an outage keeps the last
 * known state in force. Every applied change, local or read from the fleet, is announced as an {@link IncidentChange}.
 * <p>
 * Fail closed at start-up: an unreadable or corrupt state file, or a state directory that cannot be written, stops
 * the server with a message naming the file.
 */
@Startup
@Singleton
public class KillSwitch implements RuntimeToolSwitch {

    private static final Logger LOG = Logger.getLogger(KillSwitch.class);

    /**
     * What a change did: {@code changed} is false when the target already was in the requested state;
     * {@code sessionsEnded} counts the sessions it ended on this replica.
     */
    public record Outcome(boolean changed, boolean persisted, String persistenceError, int sessionsEnded) {
    }

    /** Name of the shared map in the fleet: one field per target ({@code kind:target}), its entry as JSON. */
    static final String SHARED_MAP = "incident";

    private final IncidentStateFile file;
    private final FleetStore fleet;
    private final Event<IncidentChange> changes;
    private final Set<String> configuredSubjects;
    private final Set<String> configuredClients;
    private volatile IncidentState state;
    /** Off while constructing: nothing to follow up yet (no sessions), and observers need this bean. */
    private volatile boolean announcing;
    /** The last write failed: memory is ahead of the file until a later change (or a repeated one) writes it. */
    private boolean unsaved;

    @Inject
    KillSwitch(IncidentConfig config, FleetStore fleet, Event<IncidentChange> changes) {
        this(new IncidentStateFile(config.stateFile()), config.blockedSubjects().orElse(Set.of()),
                config.blockedClients().orElse(Set.of()), fleet.shared() ? fleet : null, changes);
    }

    /** For tests: a given file, no CDI, no fleet. */
    KillSwitch(IncidentStateFile file, Set<String> configuredSubjects, Set<String> configuredClients) {
        this(file, configuredSubjects, configuredClients, null, null);
    }

    private KillSwitch(IncidentStateFile file, Set<String> configuredSubjects, Set<String> configuredClients,
            FleetStore fleet, Event<IncidentChange> changes) {
        this.file = file;
        this.fleet = fleet;
        this.changes = changes;
        this.configuredSubjects = Set.copyOf(configuredSubjects);
        this.configuredClients = Set.copyOf(configuredClients);
        requireWritableDirectory(file.path());
        this.state = file.load();
        LOG.infof("Kill switch state in %s: %d tool(s) disabled, %d subject(s) and %d client(s) blocked at runtime,"
                + " %d subject(s) and %d client(s) by configuration", file.path(), state.disabledTools().size(),
                state.blockedSubjects().size(), state.blockedClients().size(), this.configuredSubjects.size(),
                this.configuredClients.size());
        if (fleet != null) { // Redis' state wins; it gets this file's when it has none
            fleet.share(SHARED_MAP, () -> SharedIncidentState.encode(state), this::applyShared);
        }
        announcing = true;
    }

    private static void requireWritableDirectory(Path path) {
        Path dir = path.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(unwritable(dir, e.toString()), e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException(unwritable(dir, "not writable"));
        }
    }

    private static String unwritable(Path dir, String why) {
        return "Incident state directory " + dir + " cannot be written (" + why + "). Refusing to start: kill switch"
                + " changes would be lost at restart. Point mcp.incident.state-file (MCP_INCIDENT_STATE_FILE) at a"
                + " writable volume.";
    }

    @Override
    public boolean disabled(String tool) {
        return state.disabledTools().containsKey(tool);
    }

    /** Why this caller is blocked ({@link Kind#SUBJECT} before {@link Kind#CLIENT}), or empty when it is not. */
    public Optional<Kind> blockOf(SecurityIdentity identity) {
        if (identity == null || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Optional.empty();
        }
        IncidentState current = state;
        if (current.blockedSubjects().isEmpty() && current.blockedClients().isEmpty() && configuredSubjects.isEmpty()
                && configuredClients.isEmpty()) {
            return Optional.empty(); // the usual case, checked on every request: nobody blocked, no claims to read
        }
        String subject = jwt.getSubject();
        if (subject != null && (current.blockedSubjects().containsKey(subject) || configuredSubjects.contains(subject))) {
            return Optional.of(Kind.SUBJECT);
        }
        Optional<String> client = CallerClaims.clientOf(identity);
        if (client.isPresent()
                && (current.blockedClients().containsKey(client.get()) || configuredClients.contains(client.get()))) {
            return Optional.of(Kind.CLIENT);
        }
        return Optional.empty();
    }

    public IncidentState state() {
        return state;
    }

    /** Blocked by {@code mcp.incident.blocked-*}: not removable at runtime. */
    public boolean configured(Kind kind, String target) {
        return kind == Kind.SUBJECT ? configuredSubjects.contains(target)
                : kind == Kind.CLIENT && configuredClients.contains(target);
    }

    public Set<String> configured(Kind kind) {
        return kind == Kind.SUBJECT ? configuredSubjects : kind == Kind.CLIENT ? configuredClients : Set.of();
    }

    public Path stateFile() {
        return file.path();
    }

    /**
     * Switches {@code target} off ({@code entry}) or back on ({@code null}). The change applies in memory at once
     * even when the file cannot be written: an incident block must not wait for a disk, and a lost release only
     * re-blocks at restart. The outcome then says it was not persisted. In a fleet it is written to Redis first.
     *
     * @throws FleetUnavailableException in a fleet whose Redis cannot be reached: nothing changed anywhere
     */
    public synchronized Outcome set(Kind kind, String target, Entry entry) {
        IncidentState current = state;
        boolean changed = (entry == null) == current.of(kind).containsKey(target);
        if (!changed && (fleet != null || !unsaved)) {
            return new Outcome(false, true, null, 0); // already so and stored: nothing to write
        }
        IncidentState next = changed ? current.with(kind, target, entry) : current;
        if (fleet != null) {
            fleet.write(SHARED_MAP, Collections.singletonMap(SharedIncidentState.field(kind, target),
                    entry == null ? null : SharedIncidentState.encode(entry)));
        }
        int ended = apply(next);
        try {
            file.save(next);
            unsaved = false;
            return new Outcome(changed, true, null, ended);
        } catch (IOException | RuntimeException e) {
            unsaved = true;
            LOG.errorf("Kill switch change applied in memory but not written to %s: %s", file.path(), e.toString());
            if (fleet != null) { // Redis has it: only this replica's copy for a restart without Redis is behind
                return new Outcome(changed, true, null, ended);
            }
            return new Outcome(changed, false, e.getClass().getSimpleName() + ": " + e.getMessage(), ended);
        }
    }

    /** Swaps in {@code next} and announces what changed; returns the sessions its follow-ups ended here. */
    private int apply(IncidentState next) {
        IncidentState before = state;
        state = next;
        if (changes == null || !announcing || before.equals(next)) {
            return 0;
        }
        IncidentChange change = new IncidentChange(before, next);
        try {
            changes.fire(change);
        } catch (RuntimeException e) { // the change is in force (and audited) whatever its follow-ups did
            LOG.errorf(e, "Following up a kill-switch change failed; the change itself is in force");
        }
        return change.sessionsEnded();
    }

    /** A version read from the fleet: applied and kept in the file as this replica's last known copy. */
    private void applyShared(Map<String, String> entries) {
        IncidentState next = SharedIncidentState.decode(entries, state);
        synchronized (this) {
            if (next.equals(state)) {
                return;
            }
            apply(next);
            try {
                file.save(next);
                unsaved = false;
            } catch (IOException | RuntimeException e) {
                unsaved = true;
                LOG.errorf("Fleet kill switch state applied but not written to %s: %s", file.path(), e.toString());
            }
        }
        LOG.infof("Kill switch state from the fleet: %d tool(s) disabled, %d subject(s) and %d client(s) blocked",
                next.disabledTools().size(), next.blockedSubjects().size(), next.blockedClients().size());
    }

    /** Whether changes go to the whole fleet (through Redis) rather than this replica only. */
    public boolean fleetWide() {
        return fleet != null;
    }
}
