package org.acme.mcp.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Dev mode runs with an embedded identity provider and relaxed checks, so it must not be reachable from the network:
 * the prod profile binds to all interfaces (a container needs it), and only the {@code %dev} override keeps a
 * developer's laptop from serving the relaxed server to its Wi-Fi.
 */
class DevModeConfigTest {

    private static SmallRyeConfig profile(String name) throws IOException {
        Path properties = Path.of("src/main/resources/application.properties");
        return new SmallRyeConfigBuilder().withProfile(name)
                .withSources(new PropertiesConfigSource(properties.toUri().toURL())).build();
    }

    @Test
    void devModeListensOnLoopbackOnly() throws IOException {
        String host = profile("dev").getValue("quarkus.http.host", String.class);
        assertTrue(InetAddress.getByName(host).isLoopbackAddress(), "dev mode binds to " + host);
        for (String allowed : profile("dev").getValue("mcp.security.transport.allowed-hosts", String[].class)) {
            assertTrue(allowed.startsWith("localhost:") || allowed.startsWith("127.0.0.1:"), allowed);
        }
    }
}
