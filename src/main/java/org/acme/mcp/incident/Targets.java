package org.acme.mcp.incident;

import java.util.regex.Pattern;

import org.acme.mcp.incident.IncidentState.Kind;

/**
 * What a kill-switch target and reason may look like; the same rules for the admin tools' arguments and the state
 * file, so that neither can smuggle control characters or huge values into the trail, the logs or the file.
 */
final class Targets {

    /** MCP 2025-11-25 tool names: 1-128 of A-Z a-z 0-9 _ - . */
    private static final Pattern TOOL = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    /** OIDC Core §2: sub is at most 255 ASCII characters; visible ones only (no spaces, no controls). */
    private static final Pattern IDENTIFIER = Pattern.compile("[\\x21-\\x7E]{1,255}");
    static final int MAX_REASON = 200;
    private static final Pattern REASON = Pattern.compile("[^\\p{Cntrl}]{1," + MAX_REASON + "}");

    private Targets() {
    }

    /** Why {@code value} is no valid target of {@code kind}, or {@code null} when it is. */
    static String problem(Kind kind, String value) {
        if (value == null || !(kind == Kind.TOOL ? TOOL : IDENTIFIER).matcher(value).matches()) {
            return kind == Kind.TOOL ? "tool must be a tool name (1-128 of A-Z a-z 0-9 _ - .)"
                    : kind.label + " must be 1-255 visible ASCII characters (no spaces)";
        }
        return null;
    }

    /** Why {@code reason} is not acceptable, or {@code null}. */
    static String reasonProblem(String reason) {
        if (reason == null || reason.isBlank() || !REASON.matcher(reason).matches()) {
            return "reason is required: 1-" + MAX_REASON + " characters, one line (e.g. a ticket number)";
        }
        return null;
    }
}
