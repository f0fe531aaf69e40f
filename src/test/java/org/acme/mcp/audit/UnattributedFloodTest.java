package org.acme.mcp.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.acme.mcp.support.AuditRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.json.JsonObject;

/**
 * Events a request can cause without a token are bounded in the trail (a flood of them would fill its disk), but
 * never silently: the trail says when a flood began and how many events of each type it left out. Events of
 * authenticated callers are not touched by this bound.
 */
class UnattributedFloodTest {

    @TempDir
    Path dir;

    @Test
    void aFloodIsCountedNotWrittenAndItsSizeReported() throws InterruptedException, IOException {
        AuditLog audit = new AuditLog(config(Map.of("mcp.audit.unattributed-limit", "3",
                "mcp.audit.unattributed-period", "1S")), OpenTelemetry.noop());
        for (int i = 0; i < 10; i++) {
            audit.recordUnattributed(AuditType.AUTH_FAILURE, AuditOutcome.DENIED, Map.of("audit.reason", "missing token " + i));
        }
        for (int i = 0; i < 50; i++) {
            audit.record(AuditType.TOOL_CALL, AuditOutcome.OK, Map.of("enduser.id", "alice", "n", String.valueOf(i)));
        }
        Thread.sleep(700); // two tokens back at 3 per second
        audit.recordUnattributed(AuditType.SECURITY_TRANSPORT, AuditOutcome.DENIED, Map.of("audit.reason", "foreign Origin"));
        audit.recordUnattributed(AuditType.AUTH_FAILURE, AuditOutcome.DENIED, Map.of("audit.reason", "missing token after"));
        assertTrue(audit.flush(Duration.ofSeconds(10)));

        List<JsonObject> records = AuditRecords.in(dir);
        assertEquals(List.of("missing token 0", "missing token 1", "missing token 2"), records.stream()
                .filter(r -> r.getString("type").equals("auth.failure")).limit(3)
                .map(r -> r.getJsonObject("attrs").getString("audit.reason")).toList());
        assertEquals(50, records.stream().filter(r -> r.getString("type").equals("tool.call")).count(),
                "events of authenticated callers are all kept");
        List<JsonObject> suppressed = records.stream().filter(r -> r.getString("type").equals("audit.suppressed"))
                .toList();
        assertEquals(2, suppressed.size(), suppressed.toString());
        assertEquals("flooding", suppressed.get(0).getString("outcome"));
        assertEquals("auth.failure", suppressed.get(0).getJsonObject("attrs").getString("audit.first_suppressed"));
        assertEquals("counted", suppressed.get(1).getString("outcome"));
        assertEquals("7", suppressed.get(1).getJsonObject("attrs").getString("audit.suppressed.auth.failure"));
        // the count comes first, then the events that found room again
        List<String> tail = records.subList(records.size() - 3, records.size()).stream()
                .map(r -> r.getString("type")).toList();
        assertEquals(List.of("audit.suppressed", "security.transport", "auth.failure"), tail);
        assertTrue(AuditChainVerifier.verify(dir, null).intact());
    }

    private AuditConfig config(Map<String, String> overrides) {
        Map<String, String> properties = new java.util.HashMap<>(overrides);
        properties.put("mcp.audit.trail.directory", dir.toString());
        return new SmallRyeConfigBuilder().withMapping(AuditConfig.class)
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build()
                .getConfigMapping(AuditConfig.class);
    }
}
