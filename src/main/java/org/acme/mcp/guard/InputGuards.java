package org.acme.mcp.guard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

/**
 * Runs every enabled {@link InputGuard} over a call's arguments and decides, with the tool's {@link GuardAction} and
 * the {@link FailureMode}, whether the call may run. Guards run in {@link InputGuard#order()}; for a {@code block}
 * tool the first detection ends the inspection (a cheap local hit spares the remote call).
 */
@Singleton
public class InputGuards {

    private static final Logger LOG = Logger.getLogger(InputGuards.class);

    private final List<InputGuard> guards;
    private final GuardConfig config;

    @Inject
    InputGuards(@Any Instance<InputGuard> guards, GuardConfig config) {
        this(guards.stream().toList(), config);
    }

    /** For tests: fixed guards. */
    public InputGuards(List<InputGuard> guards, GuardConfig config) {
        this.guards = guards.stream().filter(InputGuard::enabled).sorted(Comparator.comparingInt(InputGuard::order))
                .toList();
        this.config = config;
        LOG.infof("Input guards: %s", this.guards.stream().map(InputGuard::name).toList());
    }

    /** The action configured for a tool. */
    public GuardAction actionFor(String tool) {
        GuardConfig.Tool settings = config.tools().get(tool);
        return settings != null && settings.action().isPresent() ? settings.action().get() : config.action();
    }

    /** Whether some enabled guard waits for I/O. */
    public boolean anyBlocking() {
        return guards.stream().anyMatch(InputGuard::blocking);
    }

    /**
     * Inspects the arguments. {@code mayBlock=false} (a tool running on an event loop): blocking guards are not
     * called and count as unavailable.
     */
    public GuardDecision decide(ToolArguments arguments, boolean mayBlock) {
        GuardAction action = actionFor(arguments.tool());
        if (action == GuardAction.ALLOW) {
            return new GuardDecision(GuardDecision.Outcome.PASS, action, List.of(), List.of(), List.of(), List.of());
        }
        Set<String> reasons = new LinkedHashSet<>();
        Set<String> rules = new LinkedHashSet<>();
        List<String> detectedBy = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        for (InputGuard guard : guards) {
            if (guard.blocking() && !mayBlock) {
                unavailable.add(guard.name() + ": not run on an event loop");
                continue;
            }
            GuardVerdict verdict;
            try {
                verdict = guard.inspect(arguments);
            } catch (RuntimeException e) {
                LOG.warnf("Input guard %s failed: %s", guard.name(), e.getClass().getName());
                verdict = GuardVerdict.unavailable(guard.name() + ": error");
            } catch (StackOverflowError e) {
                // arguments shaped to exhaust the inspection are hostile: never "unavailable", which may let them run
                LOG.warnf("Input guard %s ran out of stack on a call's arguments", guard.name());
                verdict = GuardVerdict.detected(List.of("uninspectable"));
            }
            switch (verdict.status()) {
                case DETECTED -> {
                    reasons.addAll(verdict.reasons());
                    rules.addAll(verdict.rules());
                    detectedBy.add(guard.name());
                }
                case UNAVAILABLE -> unavailable.addAll(verdict.reasons());
                case CLEAN -> {
                }
            }
            if (action == GuardAction.BLOCK && !detectedBy.isEmpty()) {
                break;
            }
        }
        GuardDecision.Outcome outcome;
        if (!detectedBy.isEmpty()) {
            outcome = action == GuardAction.BLOCK ? GuardDecision.Outcome.BLOCKED : GuardDecision.Outcome.FLAGGED;
        } else if (unavailable.isEmpty()) {
            outcome = GuardDecision.Outcome.PASS;
        } else if (action == GuardAction.BLOCK && config.failureMode() == FailureMode.FAIL_CLOSED) {
            outcome = GuardDecision.Outcome.UNAVAILABLE_REFUSED;
        } else {
            outcome = GuardDecision.Outcome.UNAVAILABLE_PASSED; // a flag tool runs even on a detection
        }
        return new GuardDecision(outcome, action, new ArrayList<>(reasons), new ArrayList<>(rules), detectedBy,
                unavailable);
    }
}
