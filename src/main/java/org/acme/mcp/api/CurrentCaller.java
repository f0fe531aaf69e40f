package org.acme.mcp.api;

/** The caller of the tool call being served. Inject it into a tool; tools are singletons, callers are not. */
public interface CurrentCaller {

    /** The authenticated caller; a tool call always has one (the pipeline refuses anonymous requests). */
    Caller get();
}
