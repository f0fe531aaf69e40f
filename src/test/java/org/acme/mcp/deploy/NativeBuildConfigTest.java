package org.acme.mcp.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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

    /** The runtime stage of Dockerfile.native: non-root by default, exec-form entrypoint, no shell left behind. */
    @Test
    void theRuntimeImageRunsAsNonRootWithoutAShell() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile.native"));
        String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        List<String> lines = runtime.lines().map(String::trim).toList();
        assertTrue(lines.contains("USER 1001"), runtime);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ENTRYPOINT [")), "exec-form entrypoint: " + runtime);
        for (String shell : List.of("/usr/bin/sh", "/usr/bin/dash", "/usr/bin/bash")) {
            assertTrue(runtime.contains(shell + " "), shell + " is not removed from the runtime image");
        }
        String afterRemoval = runtime.substring(runtime.indexOf("/usr/bin/sh "));
        assertFalse(afterRemoval.lines().map(String::trim).anyMatch(l -> l.startsWith("RUN ") || l.startsWith("SHELL")
                || (l.startsWith("CMD ") && !l.startsWith("CMD ["))), "nothing after the removal may need a shell");
    }
}
