package org.acme.mcp.rbac;

/**
 * Tools switched off at runtime, without a redeploy (the incident kill switch, {@code org.acme.mcp.incident}). A
 * switched-off tool is hidden from everyone exactly like one disabled by {@code mcp.rbac.tools."<tool>".disabled}.
 * <p>
 * Contract: called on every {@code tools/list} entry and every {@code tools/call}, so it must be cheap and must not
 * block; it must not throw (callers treat an exception as "hidden" anyway).
 */
public interface RuntimeToolSwitch {

    boolean disabled(String tool);
}
