package org.acme.mcp.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The caps and their start-up check, with the configuration mapping as the server builds it; no server needed. */
class ConcurrencyLimitsTest {

    private static LimitsConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withMapping(LimitsConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus' "1M", "30S"
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build()
                .getConfigMapping(LimitsConfig.class);
    }

    private static ConcurrencyLimits limits(Map<String, String> properties) {
        return new ConcurrencyLimits(config(properties));
    }

    @Test
    void aToolOutsideTheServerCapRunsWhileAFloodHoldsItAndIsBoundByItsOwnCap() {
        ConcurrencyLimits limits = limits(Map.of("mcp.limits.max-concurrent-calls", "2",
                "mcp.limits.tools.\"kill-switch-engage\".outside-server-cap", "true",
                "mcp.limits.tools.\"kill-switch-engage\".max-concurrent-calls", "1"));
        String[] refusedBy = new String[1];
        assertNotNull(limits.tryAcquire("text-stats", "flood-1", refusedBy));
        assertNotNull(limits.tryAcquire("text-stats", "flood-2", refusedBy));
        assertNull(limits.tryAcquire("text-stats", "flood-3", refusedBy));
        assertEquals("server", refusedBy[0]);

        ConcurrencyLimits.Permit admin = limits.tryAcquire("kill-switch-engage", "admin", refusedBy);
        assertNotNull(admin, "the incident tool runs although the server cap is held");
        assertNull(limits.tryAcquire("kill-switch-engage", "admin-2", refusedBy));
        assertEquals("tool", refusedBy[0]);
        admin.release();
        assertEquals(2, limits.running(), "its permit never touched the server-wide count");
        assertNotNull(limits.tryAcquire("kill-switch-engage", "admin-2", refusedBy));
    }

    /** Checked at start-up, with the other limit checks. */
    @Test
    void outsideTheServerCapNeedsAToolCap() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ToolLimitsCheck.check(
                config(Map.of("mcp.limits.tools.whoami.outside-server-cap", "true")), Set.of("whoami")));
        assertTrue(e.getMessage().contains("max-concurrent-calls"), e.getMessage());
    }
}
