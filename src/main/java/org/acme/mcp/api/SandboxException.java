package org.acme.mcp.api;

/** A sandboxed run was refused before starting: unknown profile, program not allowed, or isolation unavailable. */
public class SandboxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SandboxException(String message) {
        super(message);
    }
}
