package org.acme.mcp.security;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Removes anything shaped like a JWT (or its signed part) from log messages before any handler writes them.
 * <p>
 * Defence in depth: our own code never logs tokens, but libraries do at DEBUG (quarkus-oidc prints the whole JWS of a
 * token whose signature fails). Attached to every log handler in application.properties; a handler added later must
 * name {@value #NAME} in its {@code filter} key too.
 */
@LoggingFilter(name = TokenRedactingLogFilter.NAME)
public final class TokenRedactingLogFilter implements Filter {

    public static final String NAME = "token-redaction";

    // base64url JSON header ("eyJ" = '{"') followed by one or more dot-separated base64url segments
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}(?:\\.[A-Za-z0-9_-]*){1,4}");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (message != null && (message.contains("eyJ") || message.toLowerCase().contains("bearer "))) {
            String redacted = redact(message);
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(redacted, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(redacted);
                record.setParameters(null);
            }
        }
        if (record.getThrown() != null && mentionsToken(record.getThrown())) {
            // exception messages (jose4j prints the compact JWS) cannot be edited: replace the throwable
            Throwable original = record.getThrown();
            RuntimeException sanitized = new RuntimeException(original.getClass().getName() + ": "
                    + redact(String.valueOf(original.getMessage())));
            sanitized.setStackTrace(original.getStackTrace());
            record.setThrown(sanitized);
        }
        return true;
    }

    private static boolean mentionsToken(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("eyJ") || message.toLowerCase().contains("bearer "))) {
                return true;
            }
        }
        return false;
    }

    private static String redact(String message) {
        return BEARER.matcher(JWT.matcher(message).replaceAll("[redacted-jwt]")).replaceAll("$1[redacted]");
    }
}
