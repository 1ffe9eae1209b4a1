package dev.keyhaven.server.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServers;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keyhaven-server backup} under write load, then {@code kill -9}, then {@code restore}: the
 * restored database equals the backup's table by table, the server serves it, a write acknowledged
 * after the backup is gone, and a restore with another root key is refused before anything is
 * written. The manifest names the key but holds none of it.
 */
class BackupRestoreTest {
    @TempDir
    Path temp;

    @Test
    void backupUnderLoadKillRestoreGivesExactlyTheBackup() throws Exception {
        Path data = temp.resolve("data");
        Path backup = temp.resolve("backups/keyhaven-backup.zip");
        int port = freePort();
        Process server = startServer(data, port);
        String token;
        String project;
        List<String> acknowledgedAfterBackup = new CopyOnWriteArrayList<>();
        try {
            Api anon = awaitUp(server, port);
            Res boot = anon.post(
                    "/api/v1/admin/bootstrap",
                    Map.of(
                            "email",
                            TestServers.ADMIN_EMAIL,
                            "password",
                            TestServers.ADMIN_PASSWORD,
                            "organization",
                            "B"));
            assertThat(boot.status()).as(boot.toString()).isEqualTo(200);
            token = boot.body()
                    .path("identity")
                    .path("credentials")
                    .path("token")
                    .asString();
            Api admin = anon.as(token);
            project = admin.post("/api/v2/workspace", Map.of("projectName", "backup"))
                    .body()
                    .path("project")
                    .path("id")
                    .asString();
            assertThat(write(admin, project, "KEPT").status()).isEqualTo(200);

            AtomicBoolean backupDone = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            List<String> acknowledged = new CopyOnWriteArrayList<>();
            Thread writer = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String key = "LOAD_" + i;
                    boolean after = backupDone.get();
                    if (write(admin, project, key).status() == 200) {
                        acknowledged.add(key);
                        if (after) {
                            acknowledgedAfterBackup.add(key);
                        }
                    }
                }
            });
            writer.start();
            await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= 10);
            Command made = command(data, null, "backup", "--to", backup.toString());
            assertThat(made.exit()).as(made.output()).isZero();
            backupDone.set(true);
            await().atMost(Duration.ofMinutes(2)).until(() -> acknowledgedAfterBackup.size() >= 10);
            server.destroyForcibly().waitFor(); // kill -9, mid-load
            stop.set(true);
            writer.join(60_000);
        } finally {
            server.destroyForcibly().waitFor();
        }

        Map<String, byte[]> zip = unzip(backup);
        String manifest = new String(zip.get("manifest.json"));
        assertThat(manifest).contains("\"schemaVersion\"", "\"rootKeyId\"", "\"rootKeyProvider\"");
        assertThat(manifest)
                .doesNotContain(Files.readString(data.resolve("root.key")).strip());
        Path expected = Files.write(temp.resolve("expected.db"), zip.get("keyhaven.db"));

        // another root key: refused, and the data directory is exactly as before
        Map<String, String> before = digests(data);
        String otherKey = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
        Command refused = command(data, otherKey, "restore", "--from", backup.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.output()).contains("does not match the backup").contains("nothing was restored");
        assertThat(digests(data)).isEqualTo(before);

        Command restored = command(data, null, "restore", "--from", backup.toString());
        assertThat(restored.exit()).as(restored.output()).isZero();
        assertThat(data.resolve("keyhaven.db-wal")).doesNotExist();
        assertThat(dump(data.resolve("keyhaven.db"))).isEqualTo(dump(expected));

        Process second = startServer(data, port);
        try {
            Api admin = awaitUp(second, port).as(token);
            assertThat(read(admin, project, "KEPT").status()).isEqualTo(200);
            String lost = acknowledgedAfterBackup.get(acknowledgedAfterBackup.size() - 1);
            assertThat(read(admin, project, lost).status())
                    .as("a write acknowledged after the backup is not in it")
                    .isEqualTo(404);
        } finally {
            second.destroy();
            second.waitFor(60, TimeUnit.SECONDS);
        }
    }

    record Command(int exit, String output) {}

    private Command command(Path data, String rootKey, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                java(), "-cp", System.getProperty("java.class.path"), "dev.keyhaven.server.KeyhavenApplication"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("KEYHAVEN_"));
        pb.environment().put("KEYHAVEN_DATA_DIR", data.toString());
        if (rootKey != null) {
            pb.environment().put("KEYHAVEN_ROOT_KEY", rootKey);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Command(p.exitValue(), out);
    }

    private Process startServer(Path data, int port) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        java(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.keyhaven.server.KeyhavenApplication",
                        "--logging.level.root=WARN"))
                .redirectErrorStream(true)
                .redirectOutput(
                        temp.resolve("server-" + System.nanoTime() + ".log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("KEYHAVEN_"));
        pb.environment().put("KEYHAVEN_DATA_DIR", data.toString());
        pb.environment().put("KEYHAVEN_PORT", String.valueOf(port));
        pb.environment().put("KEYHAVEN_BIND", "127.0.0.1");
        pb.environment().put("KEYHAVEN_MANAGEMENT_PORT", "-1");
        pb.environment().put("KEYHAVEN_RATE_WRITES_PER_MINUTE", "0");
        pb.environment().put("KEYHAVEN_RATE_READS_PER_MINUTE", "0");
        return pb.start();
    }

    private static Api awaitUp(Process p, int port) {
        Api api = new Api("http://127.0.0.1:" + port, null);
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .failFast("the server stopped", () -> !p.isAlive())
                .ignoreExceptions()
                .until(() -> api.get("/api/status").status() == 200);
        return api;
    }

    private static Res write(Api api, String project, String key) {
        return api.send(
                "POST",
                "/api/v3/secrets/raw/" + key,
                Map.of("workspaceId", project, "environment", "dev", "secretPath", "/", "secretValue", "v-" + key),
                Map.of());
    }

    private static Res read(Api api, String project, String key) {
        return api.get("/api/v3/secrets/raw/" + key, "workspaceId", project, "environment", "dev");
    }

    /** Every table's rows, in a fixed order, as text. */
    private static List<String> dump(Path db) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("secrets", "instance_meta");
            for (String t : tables) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\"")) {
                    ResultSetMetaData md = rs.getMetaData();
                    List<String> rows = new ArrayList<>();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder(t).append(':');
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            row.append(rs.getString(i)).append('|');
                        }
                        rows.add(row.toString());
                    }
                    rows.sort(null);
                    out.addAll(rows);
                }
            }
        }
        return out;
    }

    private static Map<String, String> digests(Path dir) throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(
                        f.getFileName().toString(),
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        }
        return out;
    }

    private static Map<String, byte[]> unzip(Path zip) throws Exception {
        Map<String, byte[]> out = new java.util.HashMap<>();
        try (InputStream in = Files.newInputStream(zip);
                ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                out.put(e.getName(), z.readAllBytes());
            }
        }
        return out;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
