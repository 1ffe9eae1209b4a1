package dev.keyhaven.server.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServers;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite backup and restore procedure of docs/operations.md, followed after the server was
 * killed with {@code kill -9}: the restored server serves what the backup held, and nothing written
 * after the backup comes back from the stale {@code -wal} the killed server left behind.
 */
class SqliteRestoreTest {
    @TempDir
    Path temp;

    private final Map<Process, Integer> ports = new HashMap<>();

    @Test
    void restoringABackupAfterAKillServesTheBackupAndNothingNewer() throws Exception {
        Path dataDir = temp.resolve("data");
        Path db = dataDir.resolve("keyhaven.db");
        Path backup = temp.resolve("backup.db");
        String token;
        String project;

        Process first = start(dataDir);
        try {
            Api anon = awaitUp(first);
            Res boot = anon.post(
                    "/api/v1/admin/bootstrap",
                    Map.of(
                            "email",
                            TestServers.ADMIN_EMAIL,
                            "password",
                            TestServers.ADMIN_PASSWORD,
                            "organization",
                            "Restore Org"));
            assertThat(boot.status()).as(boot.toString()).isEqualTo(200);
            token = boot.body()
                    .path("identity")
                    .path("credentials")
                    .path("token")
                    .asString();
            Api admin = anon.as(token);
            project = admin.post("/api/v2/workspace", Map.of("projectName", "restore"))
                    .body()
                    .path("project")
                    .path("id")
                    .asString();
            assertThat(write(admin, "POST", project, "KEPT", "from-before-the-backup")
                            .status())
                    .isEqualTo(200);

            // online backup, as documented
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                    Statement s = c.createStatement()) {
                s.execute("VACUUM INTO '" + backup + "'");
            }

            assertThat(write(admin, "PATCH", project, "KEPT", "written-after-the-backup")
                            .status())
                    .isEqualTo(200);
            assertThat(write(admin, "POST", project, "NEWER", "written-after-the-backup")
                            .status())
                    .isEqualTo(200);
        } finally {
            first.destroyForcibly().waitFor(); // SIGKILL: no checkpoint, the -wal stays
        }
        Path wal = dataDir.resolve("keyhaven.db-wal");
        assertThat(wal).exists();
        assertThat(Files.size(wal))
                .as("the killed server left committed pages in the -wal")
                .isPositive();

        // the documented restore: server stopped; remove -wal and -shm; copy the backup; keep root.key
        Files.deleteIfExists(wal);
        Files.deleteIfExists(dataDir.resolve("keyhaven.db-shm"));
        Files.copy(backup, db, StandardCopyOption.REPLACE_EXISTING);

        Process second = start(dataDir);
        try {
            Api admin = awaitUp(second).as(token);
            Res kept = read(admin, project, "KEPT");
            assertThat(kept.status()).as(kept.toString()).isEqualTo(200);
            assertThat(kept.body().path("secret").path("secretValue").asString())
                    .isEqualTo("from-before-the-backup");
            assertThat(read(admin, project, "NEWER").status()).isEqualTo(404);
        } finally {
            second.destroy();
            second.waitFor();
        }
    }

    private static Res write(Api api, String method, String project, String key, String value) {
        return api.send(
                method,
                "/api/v3/secrets/raw/" + key,
                Map.of("workspaceId", project, "environment", "dev", "secretPath", "/", "secretValue", value),
                Map.of());
    }

    private static Res read(Api api, String project, String key) {
        return api.get("/api/v3/secrets/raw/" + key, "workspaceId", project, "environment", "dev");
    }

    private Process start(Path dataDir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.keyhaven.server.KeyhavenApplication",
                "--server.port=" + port,
                "--keyhaven.management-port=0",
                "--logging.level.root=WARN",
                "--keyhaven.rate-reads-per-minute=0",
                "--keyhaven.rate-writes-per-minute=0"));
        pb.environment().remove("KEYHAVEN_ROOT_KEY");
        pb.environment().remove("KEYHAVEN_DB_URL");
        pb.environment().put("KEYHAVEN_DATA_DIR", dataDir.toString());
        File log = temp.resolve("server-" + port + ".log").toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        Process p = pb.start();
        ports.put(p, port);
        return p;
    }

    private Api awaitUp(Process p) {
        Api api = new Api("http://127.0.0.1:" + ports.get(p), null);
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .failFast("the server stopped", () -> !p.isAlive())
                .ignoreExceptions()
                .until(() -> api.get("/api/status").status() == 200);
        return api;
    }
}
