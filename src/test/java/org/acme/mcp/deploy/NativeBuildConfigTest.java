package org.acme.mcp.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.acme.mcp.integrity.ToolLockfile;
import org.junit.jupiter.api.Test;

/**
 * No native build runs here (no GraalVM), so what a native executable needs is checked where it is declared: a
 * classpath resource read at runtime must be listed for inclusion, or the native server would not find it.
 */
class NativeBuildConfigTest {

    @Test
    void resourcesReadAtRuntimeAreIncludedInTheNativeImage() throws IOException {
        Properties config = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            config.load(in);
        }
        Set<String> included = Arrays.stream(config.getProperty("quarkus.native.resources.includes", "").split(","))
                .map(String::trim).collect(Collectors.toSet());
        assertTrue(included.contains(ToolLockfile.RESOURCE), "native resources " + included + " lack "
                + ToolLockfile.RESOURCE + ": a native server would refuse to start without its reviewed tool definitions");
    }
}
