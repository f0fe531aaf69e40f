package org.acme.mcp.tools;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.acme.mcp.api.RequiresScopes;
import org.acme.mcp.api.ToolError;

import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;

/** Tells the current time in an IANA time zone. Shows input validation answered as a tool error. */
public class TimeTool {

    public record ZonedTime(String zone, String isoTime, String utcOffset) {
    }

    Clock clock = Clock.systemUTC();

    @Tool(name = "time-in-zone", title = "Time in a time zone",
            description = "Returns the current date and time in an IANA time zone such as Europe/Paris or UTC.",
            structuredContent = true,
            annotations = @Tool.Annotations(title = "Time in a time zone", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = false, openWorldHint = false))
    @RequiresScopes("mcp.read")
    ZonedTime timeInZone(@ToolArg(description = "IANA time zone id, e.g. Europe/Paris") String zone) {
        ZoneId id;
        try {
            id = ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new ToolError("Unknown time zone. Use an IANA id such as Europe/Paris or UTC.");
        }
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(id));
        return new ZonedTime(id.getId(), now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), now.getOffset().getId());
    }
}
