package org.acme.mcp.fleet;

/** The shared control plane cannot be reached: a fleet-wide change was not made anywhere. */
public class FleetUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    FleetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
