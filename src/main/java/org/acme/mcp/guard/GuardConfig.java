package org.acme.mcp.guard;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.acme.mcp.api.UntrustedOutput;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Defences against prompt injection through tool calls. Keys: {@code mcp.guard.*}.
 * <p>
 * Every tool call's arguments pass the enabled {@link InputGuard}s before the tool runs; what a detection does is
 * decided per tool ({@link #action()}, {@code tools."<tool>".action}). Results of tools that carry untrusted content
 * are wrapped between random boundaries, data-marked and stripped of invisible characters ({@link Spotlighting}).
 */
@ConfigMapping(prefix = "mcp.guard")
public interface GuardConfig {

    /** What a detection does to a call; per tool below. {@code block} by default: a detected injection never runs. */
    @WithDefault("block")
    GuardAction action();

    /**
     * When a guard cannot give a verdict (remote service down, slow, malformed answer): {@code fail-closed} refuses
     * calls of {@code block} tools with "input guard unavailable"; {@code fail-open} lets them run. Audited both ways.
     */
    @WithDefault("fail-closed")
    FailureMode failureMode();

    /** The local detector (phrases, invisible characters, encoded payloads, size). */
    Local local();

    /** Azure AI Content Safety Prompt Shields, off unless configured. */
    PromptShields promptShields();

    /** Marking of untrusted tool results. */
    Output output();

    /** Per-tool settings, keyed by tool name; a name that is no tool stops start-up. */
    Map<String, Tool> tools();

    interface Local {

        /** Runs on every call unless switched off here (other guards still run). */
        @WithDefault("true")
        boolean enabled();

        /** Characters of all text arguments of one call together; more is a detection ({@code too-large}). */
        @WithDefault("262144")
        int maxArgumentChars();

        /** A base64 run at least this long is a detection ({@code encoded-blob}) whatever it decodes to. */
        @WithDefault("4096")
        int maxEncodedRun();

        /**
         * Languages of the phrase rules, by the word lists in {@code guard/phrases/<lang>.txt}: English, German,
         * French, Spanish, Italian, Dutch and Portuguese by default. Fewer languages, fewer chances of a false alarm
         * on a word another language uses; a language without a word list stops start-up.
         */
        @WithDefault("en,de,fr,es,it,nl,pt")
        List<String> languages();

        /**
         * Also asks the statistical layer (a classifier trained in this repository, shipped in the jar) about each
         * text no phrase rule matched; its detections are named {@code classifier/<language>}. On by default: on the
         * held-out corpus it catches far more than the rules alone (see docs/prompt-injection.md).
         */
        @WithDefault("true")
        boolean classifier();
    }

    interface PromptShields {

        @WithDefault("false")
        boolean enabled();

        /** The Content Safety resource, e.g. {@code https://<name>.cognitiveservices.azure.com}; https outside dev/test. */
        Optional<String> endpoint();

        /** Subscription key (env {@code MCP_GUARD_PROMPT_SHIELDS_KEY}); never logged. */
        Optional<String> key();

        @WithDefault("2024-09-01")
        String apiVersion();

        /** Per request; a slower answer counts as unavailable. The call's own timeout bounds all requests together. */
        @WithDefault("2S")
        Duration timeout();

        /**
         * Text of one call sent at most (in requests of up to 5 documents and 10 000 characters, the service's limits);
         * a call with more text gets "unavailable" from this guard, so the failure mode decides.
         */
        @WithDefault("50000")
        int maxChars();
    }

    interface Output {

        /**
         * Spotlighting "datamarking": every space of untrusted text becomes {@link Spotlighting#MARKER} (U+02C6), so
         * that instructions inside it no longer read as prose addressed to the model. Off: delimiters and
         * neutralisation only.
         */
        @WithDefault("true")
        boolean datamarking();
    }

    interface Tool {

        /** This tool's action instead of {@link GuardConfig#action()}; {@code allow} skips the input guards. */
        Optional<GuardAction> action();

        /** Treats the tool's results as untrusted, like {@link UntrustedOutput} on its method. */
        @WithDefault("false")
        boolean untrustedOutput();
    }
}
