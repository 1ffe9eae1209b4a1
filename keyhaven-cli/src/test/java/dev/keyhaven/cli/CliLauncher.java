package dev.keyhaven.cli;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * The CLI as a user runs it, for tests that go through {@code scripts/keyhaven}: the tests run
 * before the shaded jar is packaged, so {@link #jar} writes a jar whose manifest names this
 * build's classes and dependencies (what the shaded jar contains) and runs the real main class.
 */
final class CliLauncher {
    /** {@code scripts/keyhaven} of this checkout. */
    static final Path SCRIPT =
            Paths.get("..", "scripts", "keyhaven").toAbsolutePath().normalize();

    private CliLauncher() {}

    /** Writes the jar to {@code jar} and returns it. */
    static Path jar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, KeyhavenCli.class.getName());
        manifest.getMainAttributes()
                .put(
                        Attributes.Name.CLASS_PATH,
                        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                                .map(p -> Paths.get(p).toAbsolutePath().toUri().toString())
                                .collect(Collectors.joining(" ")));
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.flush(); // the manifest is all
        }
        return jar;
    }
}
