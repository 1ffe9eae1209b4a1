package dev.keyhaven.server.platform.db;

import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.config.OwnerOnlyFiles;
import dev.keyhaven.server.platform.config.StartupException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gets the SQLite database's directory and files ready before the driver opens them: the data
 * directory {@code 0700}, the database file created empty as {@code 0600} (SQLite then creates its
 * {@code -wal} and {@code -shm} files with the database file's mode), existing files narrowed to
 * {@code 0600}. A directory or file the server cannot write stops start-up with a line naming it.
 */
final class SqliteFiles {
    private SqliteFiles() {}

    static void prepare(KeyhavenProperties props) {
        Path dataDir = props.dataDir().toAbsolutePath();
        createDirectory(dataDir, "data directory", true);
        Path db = databaseFile(props.effectiveDbUrl());
        if (db == null) {
            return;
        }
        Path dir = db.getParent();
        String what = dir.equals(dataDir) ? "data directory" : "database directory";
        if (!dir.equals(dataDir)) {
            // a database elsewhere (KEYHAVEN_DB_URL) may sit in a directory shared with others: created
            // owner-only if missing, never narrowed
            createDirectory(dir, what, false);
        }
        if (!Files.isWritable(dir)) {
            throw new StartupException("the " + what + " " + dir + " is read-only for this user: SQLite must write "
                    + db.getFileName() + " and its -wal and -shm files there (make it writable by the user running "
                    + "Keyhaven, or set KEYHAVEN_DATA_DIR to a writable directory)");
        }
        if (Files.exists(db) && !Files.isWritable(db)) {
            throw new StartupException("the database file " + db + " is read-only for this user (make it writable by "
                    + "the user running Keyhaven)");
        }
        try {
            OwnerOnlyFiles.createFile(db);
        } catch (FileAlreadyExistsException e) {
            // an existing database
        } catch (IOException e) {
            throw new StartupException("cannot create the database file " + db + ": " + e.getMessage()
                    + " (set KEYHAVEN_DATA_DIR to a writable directory)");
        }
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            OwnerOnlyFiles.restrict(db.resolveSibling(db.getFileName() + suffix));
        }
    }

    private static void createDirectory(Path dir, String what, boolean narrowExisting) {
        try {
            OwnerOnlyFiles.createDirectory(dir, narrowExisting);
        } catch (IOException e) {
            throw new StartupException("cannot create the " + what + " " + dir
                    + " (set KEYHAVEN_DATA_DIR to a writable directory): " + e.getMessage());
        }
    }

    /** The database file of a {@code jdbc:sqlite:} URL, or null for an in-memory database. */
    static Path databaseFile(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        if (rest.isEmpty() || rest.contains(":memory:") || jdbcUrl.contains("mode=memory")) {
            return null;
        }
        return Path.of(rest).toAbsolutePath();
    }
}
