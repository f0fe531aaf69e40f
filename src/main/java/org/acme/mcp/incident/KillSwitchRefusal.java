package org.acme.mcp.incident;

/** A kill-switch request refused before anything changed; the message is meant for the administrator. */
public class KillSwitchRefusal extends RuntimeException {

    KillSwitchRefusal(String message) {
        super(message, null, false, false);
    }
}
