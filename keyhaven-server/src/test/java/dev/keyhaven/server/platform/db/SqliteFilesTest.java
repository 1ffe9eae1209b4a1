package dev.keyhaven.server.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory and the files in it are for the server's user alone, however the umask is set. */
class SqliteFilesTest {
    @TempDir
    Path temp;

    @Test
    void aNewDataDirectoryIsOwnerOnlyAndSoAreTheDatabaseFilesAndTheRootKey() throws Exception {
        Path dataDir = temp.resolve("new").resolve("data");
        try (TestServer server = TestServers.start(Db.SQLITE, null, dataDir)) {
            TestServers.bootstrap(server); // a write, so the -wal and -shm files exist
            assertOwnerOnly(dataDir);
        }
    }

    @Test
    void existingFilesAreNarrowedAtStartUp() throws Exception {
        Path dataDir = temp.resolve("data");
        try (TestServer server = TestServers.start(Db.SQLITE, null, dataDir)) {
            TestServers.bootstrap(server);
        }
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (var files = Files.list(dataDir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        try (TestServer server = TestServers.start(Db.SQLITE, null, dataDir)) {
            assertThat(server.anonymous().get("/api/status").status()).isEqualTo(200);
            assertOwnerOnly(dataDir);
        }
    }

    private static void assertOwnerOnly(Path dataDir) throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                .isEqualTo("rwx------");
        for (String name : new String[] {"keyhaven.db", "keyhaven.db-wal", "keyhaven.db-shm", "root.key"}) {
            Path file = dataDir.resolve(name);
            assertThat(file).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .as(name)
                    .isEqualTo("rw-------");
        }
    }
}
