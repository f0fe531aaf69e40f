package org.acme.mcp.audit;

import java.util.List;

import io.quarkus.security.identity.SecurityIdentity;

/** Which tools a caller's {@code tools/list} shows, for its audit record; authorization answers it. */
public interface ToolListing {

    /** The names of the tools listed for this caller, sorted. */
    List<String> listedFor(SecurityIdentity caller);
}
