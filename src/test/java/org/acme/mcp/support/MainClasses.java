package org.acme.mcp.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The classes the main build compiled ({@code target/classes}): the application as it ships, without test classes. */
public final class MainClasses {

    private MainClasses() {
    }

    /** Their binary names, nested classes included, sorted. */
    public static List<String> names() {
        Path classes = Path.of("target", "classes");
        try (Stream<Path> files = Files.walk(classes)) {
            return files.map(f -> classes.relativize(f).toString()).filter(f -> f.endsWith(".class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.')).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class of one of {@link #names()}, not initialized. */
    public static Class<?> load(String name) {
        try {
            return Class.forName(name, false, MainClasses.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
