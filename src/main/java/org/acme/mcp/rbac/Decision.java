package org.acme.mcp.rbac;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** The outcome of checking one caller against one {@link ToolPolicy}. */
public sealed interface Decision {

    /** The caller may call the tool. */
    record Allowed() implements Decision {
    }

    /** Role missing or tool disabled: the tool is hidden, a call is answered like one to an unknown tool. */
    record Hidden() implements Decision {
    }

    /** Role present but scopes missing: 403 {@code insufficient_scope}, the client can ask for them. */
    record MissingScopes(Set<String> required) implements Decision {
    }

    /** Authorized, but the authentication is too old or too weak: 401 {@code insufficient_user_authentication}. */
    record StepUpRequired(Optional<Duration> maxAge, Set<String> acr) implements Decision {
    }

    Decision ALLOWED = new Allowed();
    Decision HIDDEN = new Hidden();
}
