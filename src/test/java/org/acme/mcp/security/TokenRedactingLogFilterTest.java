package org.acme.mcp.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/** Tokens are scrubbed from messages, parameters and exception messages before any handler sees them. */
class TokenRedactingLogFilterTest {

    static final String JWS = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXBhcnQ";

    final TokenRedactingLogFilter filter = new TokenRedactingLogFilter();

    @Test
    void messagesAndParameters() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "verification failed for %s with Bearer %s",
                ExtLogRecord.FormatStyle.PRINTF, "x");
        record.setParameters(new Object[] { JWS, "opaque-token-value" });
        assertTrue(filter.isLoggable(record));
        String message = record.getFormattedMessage();
        assertFalse(message.contains("eyJ") || message.contains("opaque-token-value"), message);
        assertTrue(message.contains("[redacted-jwt]"), message);
    }

    @Test
    void exceptionMessages() {
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "failed", "x");
        record.setThrown(new IllegalStateException("wrapper", new RuntimeException("Invalid JWS " + JWS)));
        filter.isLoggable(record);
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("c2lnbmF0dXJl"), t.getMessage());
        }
    }

    @Test
    void harmlessRecordsAreUntouched() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "started in %s", ExtLogRecord.FormatStyle.PRINTF, "x");
        record.setParameters(new Object[] { "1.2s" });
        filter.isLoggable(record);
        assertEquals("started in 1.2s", record.getFormattedMessage());
    }
}
