package org.acme.mcp.audit;

import io.quarkiverse.mcp.server.runtime.McpRequest;

/**
 * A request of the extension's that belongs to no session, though the extension gives it a connection of its own
 * (2026-07-28): the extension's spans would report that connection's id as {@code mcp.session.id}, which the
 * OpenTelemetry MCP conventions reserve for sessions, and the audit records too. {@link AuditingMcpTracing} hands
 * both this view instead.
 */
public interface SessionlessRequest {

    /** The same request, with a connection that has no id. */
    McpRequest withoutSession();

    /** What the pipeline knows of it: whether its answer was decided in place of the extension's, for one. */
    org.acme.mcp.pipeline.McpRequest http();
}
