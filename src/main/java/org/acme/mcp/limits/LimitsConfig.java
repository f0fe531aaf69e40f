package org.acme.mcp.limits;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Limits that keep one caller, one client or one slow tool from exhausting the server. Keys: {@code mcp.limits.*}.
 * <p>
 * Rates are token buckets (Bucket4j): {@code limit} calls per {@code period}, refilled continuously, so a caller
 * may burst up to {@code limit} and then gets one call per {@code period / limit}. Over a rate: HTTP 429 with
 * {@code Retry-After}. Over a concurrency cap: the call is refused at once with a tool error (no queue, so slow tools
 * cannot pile up waiting requests). Past its timeout: the caller gets a tool error and the tool's thread is
 * interrupted (a sandboxed program is killed).
 */
@ConfigMapping(prefix = "mcp.limits")
public interface LimitsConfig {

    /**
     * Requests to the MCP endpoint per caller, of any kind (tool calls, lists, gets, pings, streams, refused ones
     * too): bounds the work and the audit records one caller can cause, beyond the tool-call budget below.
     */
    @WithDefault("600")
    int requestLimit();

    @WithDefault("1M")
    Duration requestPeriod();

    /** Tool calls per caller (issuer + subject), across all its sessions and clients. */
    @WithDefault("120")
    int callerLimit();

    @WithDefault("1M")
    Duration callerPeriod();

    /**
     * Tool calls per OAuth client ({@code mcp.rbac.client-claims}), across all its users: bounds one misbehaving
     * client application. Set it above the largest expected user count times the caller rate.
     */
    @WithDefault("1200")
    int clientLimit();

    @WithDefault("1M")
    Duration clientPeriod();

    /** Tool calls running at once in the whole server. */
    @WithDefault("64")
    int maxConcurrentCalls();

    /** Tool calls one caller may have running at once. */
    @WithDefault("8")
    int maxConcurrentCallsPerCaller();

    /** Longest a tool call may run; per-tool overrides below. Sandbox profiles have their own, usually shorter, timeouts. */
    @WithDefault("30S")
    Duration toolTimeout();

    /**
     * Callers and clients whose buckets are kept (least recently used beyond this are dropped, which resets their
     * budget): bounds the memory of the limiter. A bucket is also dropped once a full period passed without calls.
     */
    @WithDefault("20000")
    int maxTrackedCallers();

    /** Per-tool limits, keyed by tool name. */
    Map<String, Tool> tools();

    interface Tool {

        /** Calls of this tool per caller per {@link #period()}; unset: only the caller and client rates apply. */
        OptionalInt limit();

        @WithDefault("1M")
        Duration period();

        /** Calls of this tool running at once, server-wide. */
        OptionalInt maxConcurrentCalls();

        /** Timeout of this tool, instead of {@link LimitsConfig#toolTimeout()}. */
        Optional<Duration> timeout();

        /**
         * Calls of this tool do not count against {@link LimitsConfig#maxConcurrentCalls()}, so a flood that holds the
         * server-wide cap cannot lock them out (incident tools); requires {@link #maxConcurrentCalls()} as their bound.
         */
        @WithDefault("false")
        boolean outsideServerCap();

        /**
         * A blocking call runs on a thread of its own while the MCP worker waits at most the timeout, so its caller
         * is answered at the deadline even by a tool that ignores interruption. {@code false} runs it on the MCP
         * worker: two thread hand-offs fewer per call (measurable for tools that take microseconds); the deadline
         * then interrupts it, and a call that ignores interruption gets its timeout error only when it ends. For
         * short, bounded computations.
         */
        @WithDefault("true")
        boolean ownThread();
    }
}
