package dev.keyhaven.server.platform.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory and what Keyhaven keeps in it (the SQLite files, the root key) are for the
 * server's user alone: directories {@code 0700}, files {@code 0600}, whatever the umask. New ones are
 * created that way; existing ones lose any group and other permissions at start-up. No-ops where the
 * file system has no POSIX permissions.
 */
public final class OwnerOnlyFiles {
    private static final Logger log = LoggerFactory.getLogger(OwnerOnlyFiles.class);
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {}

    /** Creates the directory (and missing parents) as {@code 0700}, or narrows it to the owner if it exists. */
    public static void createDirectory(Path dir) throws IOException {
        createDirectory(dir, true);
    }

    /**
     * Creates the directory (and missing parents) as {@code 0700}; an existing one is narrowed only
     * when {@code narrowExisting} (a directory Keyhaven does not own alone is left as it is).
     */
    public static void createDirectory(Path dir, boolean narrowExisting) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (POSIX) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            } else {
                Files.createDirectories(dir);
            }
        } else if (!narrowExisting) {
            return;
        }
        narrow(dir, DIRECTORY);
    }

    /** Creates an empty file as {@code 0600}; throws {@code FileAlreadyExistsException} if it exists. */
    public static void createFile(Path file) throws IOException {
        FileAttribute<?>[] attrs =
                POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
        Files.createFile(file, attrs);
    }

    /** Narrows an existing file to (at most) {@code 0600}; does nothing if it does not exist. */
    public static void restrict(Path file) {
        if (Files.isRegularFile(file)) {
            narrow(file, FILE);
        }
    }

    /** Takes away what {@code mode} does not grant; never adds (a read-only directory stays read-only). */
    private static void narrow(Path path, Set<PosixFilePermission> mode) {
        if (!POSIX) {
            return;
        }
        try {
            Set<PosixFilePermission> current = Files.getPosixFilePermissions(path);
            Set<PosixFilePermission> narrowed = EnumSet.noneOf(PosixFilePermission.class);
            narrowed.addAll(current);
            narrowed.retainAll(mode);
            if (!narrowed.equals(current)) {
                Files.setPosixFilePermissions(path, narrowed);
            }
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("Could not make {} readable by its owner only ({}); check its owner and mode", path, e.toString());
        }
    }
}
