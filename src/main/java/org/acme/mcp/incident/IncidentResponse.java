package org.acme.mcp.incident;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.acme.mcp.audit.AuditAttributes;
import org.acme.mcp.audit.AuditLog;
import org.acme.mcp.audit.AuditOutcome;
import org.acme.mcp.audit.AuditType;
import org.acme.mcp.fleet.FleetStore;
import org.acme.mcp.fleet.FleetUnavailableException;
import org.acme.mcp.identity.CallerClaims;
import org.acme.mcp.identity.CallerIdentity;
import org.acme.mcp.incident.IncidentState.Entry;
import org.acme.mcp.incident.IncidentState.Kind;
import org.acme.mcp.rbac.ToolPolicies;
import org.acme.mcp.rbac.ToolPolicy;
import org.acme.mcp.transport.SessionBinding;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.quarkiverse.mcp.server.McpConnection;
import io.quarkiverse.mcp.server.runtime.ConnectionManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.json.JsonObject;

/**
 * What the kill-switch tools do: validate, refuse self-lockout, change the {@link KillSwitch}, audit every attempt
 * ({@code incident.change}) and make every change felt at once, whether made here or read from the fleet
 * ({@link IncidentChange}): a blocked caller's sessions end, connected clients hear
 * {@code notifications/tools/list_changed} when a tool goes or comes back.
 */
@Singleton
public class IncidentResponse {

    public static final String STATUS_TOOL = "kill-switch-status";
    public static final String ENGAGE_TOOL = "kill-switch-engage";
    public static final String RELEASE_TOOL = "kill-switch-release";
    /** Never disabled through themselves: they are how a responder undoes a block. */
    static final Set<String> OWN_TOOLS = Set.of(STATUS_TOOL, ENGAGE_TOOL, RELEASE_TOOL);

    private static final Logger LOG = Logger.getLogger(IncidentResponse.class);
    private static final JsonObject TOOLS_LIST_CHANGED = new JsonObject().put("jsonrpc", "2.0")
            .put("method", "notifications/tools/list_changed");

    /** What one engage or release did. */
    public record Result(String action, String kind, String target, boolean changed, boolean persisted,
            int sessionsEnded, String message) {
    }

    /** One thing switched off; {@code source} is {@code runtime} (this tool, in the state file) or {@code configuration}. */
    public record Item(String target, String source, String by, String reason, String since) {
    }

    /** {@code fleet}: {@code embedded} (this replica only), {@code shared} or {@code degraded} (Redis unreachable). */
    public record Status(String fleet, String stateFile, List<Item> disabledTools, List<Item> blockedSubjects,
            List<Item> blockedClients) {
    }

    private final KillSwitch killSwitch;
    private final ToolPolicies policies;
    private final SessionBinding sessions;
    private final ConnectionManager connections;
    private final FleetStore fleet;
    private final AuditLog audit;

    IncidentResponse(KillSwitch killSwitch, ToolPolicies policies, SessionBinding sessions,
            ConnectionManager connections, FleetStore fleet, AuditLog audit) {
        this.killSwitch = killSwitch;
        this.fleet = fleet;
        this.policies = policies;
        this.sessions = sessions;
        this.connections = connections;
        this.audit = audit;
    }

    /** Disables a tool or blocks a subject or client; refusals throw {@link KillSwitchRefusal}. */
    public Result engage(String kind, String target, String reason, SecurityIdentity admin) {
        return change(true, kind, target, reason, admin);
    }

    /** Re-enables a tool or unblocks a subject or client; refusals throw {@link KillSwitchRefusal}. */
    public Result release(String kind, String target, String reason, SecurityIdentity admin) {
        return change(false, kind, target, reason, admin);
    }

    private Result change(boolean engage, String kindName, String target, String reason, SecurityIdentity admin) {
        String action = engage ? "engage" : "release";
        Map<String, String> attrs = AuditAttributes.caller(admin);
        attrs.put("audit.incident.action", action);
        attrs.put("audit.incident.kind", AuditAttributes.untrusted(kindName));
        attrs.put("audit.incident.target", AuditAttributes.untrusted(target));
        attrs.put("audit.incident.reason", AuditAttributes.untrusted(reason));
        Kind kind;
        try {
            kind = kind(kindName);
            check(engage, kind, target, reason, admin);
        } catch (KillSwitchRefusal refusal) {
            attrs.put("audit.reason", refusal.getMessage());
            audit.record(AuditType.INCIDENT_CHANGE, AuditOutcome.DENIED, attrs);
            throw refusal;
        }
        Entry entry = engage ? new Entry(CallerIdentity.key(admin), reason, Instant.now()) : null;
        KillSwitch.Outcome outcome;
        try {
            outcome = killSwitch.set(kind, target, entry);
        } catch (FleetUnavailableException e) {
            attrs.put("audit.reason", e.getMessage());
            audit.record(AuditType.INCIDENT_CHANGE, AuditOutcome.ERROR, attrs);
            throw new KillSwitchRefusal(e.getMessage());
        }
        attrs.put("audit.incident.changed", String.valueOf(outcome.changed()));
        attrs.put("audit.incident.persisted", String.valueOf(outcome.persisted()));
        attrs.put("audit.incident.scope", killSwitch.fleetWide() ? "fleet" : "replica");
        attrs.put("audit.sessions", String.valueOf(outcome.sessionsEnded()));
        if (!outcome.persisted()) {
            attrs.put("audit.reason", "state file not written: " + outcome.persistenceError());
        }
        audit.record(AuditType.INCIDENT_CHANGE, outcome.persisted() ? AuditOutcome.OK : AuditOutcome.ERROR, attrs);
        LOG.warnf("Kill switch %s %s by an administrator (changed: %s, persisted: %s)", action, kind.label,
                outcome.changed(), outcome.persisted());
        return new Result(action, kind.label, target, outcome.changed(), outcome.persisted(), outcome.sessionsEnded(),
                message(engage, kind, outcome));
    }

    /**
     * Makes a change felt on this replica, whoever made it: the sessions of newly blocked subjects and clients end,
     * and connected clients re-list when tools went or came back.
     */
    void followUp(@Observes IncidentChange change) {
        for (String subject : change.after().blockedSubjects().keySet()) {
            if (!change.before().blockedSubjects().containsKey(subject)) {
                change.addSessionsEnded(sessions.endSessionsOf(subject));
            }
        }
        for (String client : change.after().blockedClients().keySet()) {
            if (!change.before().blockedClients().containsKey(client)) {
                change.addSessionsEnded(sessions.endSessionsOfClient(client));
            }
        }
        if (!change.after().disabledTools().keySet().equals(change.before().disabledTools().keySet())) {
            notifyToolsChanged();
        }
    }

    private void check(boolean engage, Kind kind, String target, String reason, SecurityIdentity admin) {
        refuseIf(Targets.problem(kind, target));
        refuseIf(Targets.reasonProblem(reason));
        if (kind == Kind.TOOL) {
            ToolPolicy policy = policies.policy(target);
            boolean runtimeDisabled = killSwitch.state().disabledTools().containsKey(target);
            if (policy == null && !runtimeDisabled) {
                throw new KillSwitchRefusal("Unknown tool: " + target);
            }
            if (engage && OWN_TOOLS.contains(target)) {
                throw new KillSwitchRefusal("The kill-switch tools cannot be disabled: they are how a block is undone");
            }
            if (!engage && !runtimeDisabled && policy != null && policy.disabled()) {
                throw new KillSwitchRefusal("Tool " + target + " is disabled by configuration (mcp.rbac.tools.\""
                        + target + "\"); change it there");
            }
            return;
        }
        if (!engage && killSwitch.configured(kind, target)) {
            throw new KillSwitchRefusal("This " + kind.label + " is blocked by configuration (mcp.incident.blocked-"
                    + kind.label + "s); remove it there");
        }
        if (engage && kind == Kind.SUBJECT && admin.getPrincipal() instanceof JsonWebToken jwt
                && target.equals(jwt.getSubject())) {
            throw new KillSwitchRefusal("You cannot block your own subject");
        }
        if (engage && kind == Kind.CLIENT && CallerClaims.clientOf(admin).filter(target::equals).isPresent()) {
            throw new KillSwitchRefusal("You cannot block the client you are calling from");
        }
    }

    private static void refuseIf(String problem) {
        if (problem != null) {
            throw new KillSwitchRefusal(problem);
        }
    }

    private static Kind kind(String name) {
        return Arrays.stream(Kind.values()).filter(k -> k.label.equals(name)).findFirst()
                .orElseThrow(() -> new KillSwitchRefusal("kind must be one of tool, subject, client"));
    }

    private String message(boolean engage, Kind kind, KillSwitch.Outcome outcome) {
        String what = switch (kind) {
            case TOOL -> engage ? "Tool disabled for everyone" : "Tool enabled again";
            case SUBJECT -> engage ? "Subject blocked: every request gets 403" : "Subject unblocked";
            case CLIENT -> engage ? "Client blocked: every request gets 403" : "Client unblocked";
        };
        if (!outcome.changed()) {
            what = engage ? "Already switched off; nothing changed" : "Was not switched off; nothing changed";
        }
        if (!outcome.persisted()) {
            return what + " on this replica, in memory only: NOT persisted, the state file " + killSwitch.stateFile()
                    + " could not be written (" + outcome.persistenceError() + "). It is lost at restart: fix the"
                    + " file system and repeat the call.";
        }
        if (killSwitch.fleetWide()) {
            return what + ". Applies to every replica of the fleet within a second (shared through Redis).";
        }
        return what + ". Applies to this replica only (state file " + killSwitch.stateFile() + ").";
    }

    /** Everything switched off, from the state file and from configuration. */
    public Status status() {
        IncidentState state = killSwitch.state();
        List<Item> tools = items(state.disabledTools());
        policies.all().values().stream().filter(ToolPolicy::disabled)
                .forEach(p -> tools.add(configured(p.tool())));
        List<Item> subjects = items(state.blockedSubjects());
        killSwitch.configured(Kind.SUBJECT).forEach(s -> subjects.add(configured(s)));
        List<Item> clients = items(state.blockedClients());
        killSwitch.configured(Kind.CLIENT).forEach(c -> clients.add(configured(c)));
        Comparator<Item> order = Comparator.comparing(Item::target).thenComparing(Item::source);
        tools.sort(order);
        subjects.sort(order);
        clients.sort(order);
        return new Status(fleet.mode().name().toLowerCase(Locale.ROOT), killSwitch.stateFile().toString(),
                tools, subjects, clients);
    }

    private static List<Item> items(Map<String, Entry> entries) {
        List<Item> items = new ArrayList<>();
        entries.forEach((target, e) -> items.add(new Item(target, "runtime", e.by(), e.reason(), e.since().toString())));
        return items;
    }

    private static Item configured(String target) {
        return new Item(target, "configuration", null, null, null);
    }

    /** Cheap: connections without an open SSE stream drop it. Clients re-list and no longer see the tool. */
    private void notifyToolsChanged() {
        connections.forEach(c -> {
            if (c.status() == McpConnection.Status.IN_OPERATION) {
                c.send(TOOLS_LIST_CHANGED.copy());
            }
        });
    }
}
