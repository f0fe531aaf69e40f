package org.acme.mcp.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Looks through /proc for processes a test left behind. */
public final class Processes {

    private Processes() {
    }

    /** Processes whose command line contains {@code marker}, and zombie children of this JVM. */
    public static List<String> withMarker(String marker) throws IOException {
        List<String> found = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(dir.resolve("cmdline"))).replace('\0', ' ');
                    String stat = Files.readString(dir.resolve("stat"));
                    boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")
                            && stat.contains(" " + ProcessHandle.current().pid() + " ");
                    if (cmdline.contains(marker) || zombie) {
                        found.add(dir.getFileName() + ": " + cmdline + (zombie ? " (zombie)" : ""));
                    }
                } catch (IOException e) {
                    // the process ended while we looked
                }
            }
        }
        return found;
    }
}
