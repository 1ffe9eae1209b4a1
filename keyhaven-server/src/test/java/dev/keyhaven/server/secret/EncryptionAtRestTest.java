package dev.keyhaven.server.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Secret values, comments, reminder notes and encrypted metadata never reach the database in plaintext, and a
 * ciphertext moved to another row does not open.
 */
class EncryptionAtRestTest {

    @Test
    void sqliteFileBytesNeverContainTheValue() throws Exception {
        TestServer server = TestServers.shared(Db.SQLITE);
        String marker = writeMarkedSecret(server);
        Path db = server.dataDir.resolve("keyhaven.db");
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        for (Path file : List.of(db, Path.of(db + "-wal"))) {
            if (Files.exists(file)) {
                assertThat(indexOf(Files.readAllBytes(file), needle))
                        .as(file.toString())
                        .isEqualTo(-1);
            }
        }
        assertThat(Files.size(db) + (Files.exists(Path.of(db + "-wal")) ? Files.size(Path.of(db + "-wal")) : 0))
                .isPositive();
    }

    @Test
    void postgresRowsNeverContainTheValue() throws Exception {
        TestServer server = TestServers.shared(Db.POSTGRESQL);
        String marker = writeMarkedSecret(server);
        int cells = 0;
        try (Connection c = DriverManager.getConnection(server.dbUrl, TestServers.pgUser(), null);
                Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("secrets", "secret_versions", "audit_logs");
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            String v = rs.getString(i);
                            cells++;
                            assertThat(v == null ? "" : v).as(table).doesNotContain(marker);
                        }
                    }
                }
            }
        }
        assertThat(cells).isGreaterThan(100);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aCiphertextCopiedToAnotherRowDoesNotOpen(Db db) throws Exception {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        f.createSecret(server.admin(), p, "dev", "/", "SOURCE", "source-plaintext");
        f.createSecret(server.admin(), p, "dev", "/", "TARGET", "target-plaintext");
        try (Connection c = connect(server);
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE secrets SET value_ct = (SELECT value_ct FROM secrets WHERE project_id = '" + p
                    + "' AND secret_key = 'SOURCE') WHERE project_id = '" + p + "' AND secret_key = 'TARGET'");
        }
        Res res = server.admin().get("/api/v3/secrets/raw/TARGET", "workspaceId", p, "environment", "dev");
        assertThat(res.status()).isEqualTo(500);
        assertThat(res.body().path("error").asString()).isEqualTo("IntegrityError");
        assertThat(res.raw()).doesNotContain("source-plaintext").doesNotContain("target-plaintext");
        Res untouched = server.admin().get("/api/v3/secrets/raw/SOURCE", "workspaceId", p, "environment", "dev");
        assertThat(untouched.body().path("secret").path("secretValue").asString())
                .isEqualTo("source-plaintext");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void reminderNotesStoredInClearBeforeSealingStillReadAndAreSealed(Db db) throws Exception {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        f.createSecret(server.admin(), p, "dev", "/", "OLD_NOTE", "v");
        f.createSecret(server.admin(), p, "dev", "/", "OTHER_NOTE", "v");
        try (Connection c = connect(server);
                Statement s = c.createStatement()) {
            // what the migration that introduced sealing leaves of notes written before it
            for (String table : List.of("secrets", "secret_versions")) {
                s.executeUpdate(
                        "UPDATE " + table + " SET reminder_note = 'clear:rotate me' WHERE project_id = '" + p + "'");
            }
        }
        for (String key : List.of("OLD_NOTE", "OTHER_NOTE")) {
            assertThat(note(server, p, key, null)).isEqualTo("rotate me");
        }
        // the next write of a secret seals its note
        server.admin()
                .patch(
                        "/api/v3/secrets/raw/OLD_NOTE",
                        Map.of("workspaceId", p, "environment", "dev", "secretValue", "v2"));
        assertThat(note(server, p, "OLD_NOTE", null)).isEqualTo("rotate me");
        assertThat(note(server, p, "OLD_NOTE", "1")).isEqualTo("rotate me");
        assertThat(clearNotes(server, p)).isEqualTo(3);

        // and the pass run after start-up seals the rest, history included
        assertThat(server.bean(ClearReminderNotes.class).sealAll()).isGreaterThanOrEqualTo(3);
        assertThat(clearNotes(server, p)).isZero();
        assertThat(note(server, p, "OLD_NOTE", "1")).isEqualTo("rotate me");
        assertThat(note(server, p, "OLD_NOTE", null)).isEqualTo("rotate me");
        assertThat(note(server, p, "OTHER_NOTE", null)).isEqualTo("rotate me");
    }

    private static String note(TestServer server, String p, String key, String version) {
        Res res = version == null
                ? server.admin().get("/api/v3/secrets/raw/" + key, "workspaceId", p, "environment", "dev")
                : server.admin()
                        .get("/api/v3/secrets/raw/" + key, "workspaceId", p, "environment", "dev", "version", version);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("secret").path("secretReminderNote").asString();
    }

    /** Rows of the project (secrets and versions) whose note is still readable in the database. */
    private static int clearNotes(TestServer server, String p) throws Exception {
        int n = 0;
        try (Connection c = connect(server);
                Statement s = c.createStatement()) {
            for (String table : List.of("secrets", "secret_versions")) {
                try (ResultSet rs = s.executeQuery("SELECT reminder_note FROM " + table + " WHERE project_id = '" + p
                        + "' AND reminder_note IS NOT NULL")) {
                    while (rs.next()) {
                        n += rs.getString(1).contains("rotate me") ? 1 : 0;
                    }
                }
            }
        }
        return n;
    }

    private static String writeMarkedSecret(TestServer server) {
        Fixtures f = new Fixtures(server);
        String p = f.project();
        String marker = "PLAINTEXT-MARKER-" + UUID.randomUUID();
        Res res = server.admin()
                .post(
                        "/api/v3/secrets/raw/MARKED",
                        Map.of(
                                "workspaceId",
                                p,
                                "environment",
                                "dev",
                                "secretValue",
                                marker,
                                "secretComment",
                                marker + "-comment",
                                "secretReminderNote",
                                marker + "-note",
                                "secretMetadata",
                                List.of(Map.of("key", "sealed", "value", marker + "-meta", "isEncrypted", true))));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        server.admin()
                .patch(
                        "/api/v3/secrets/raw/MARKED",
                        Map.of("workspaceId", p, "environment", "dev", "secretValue", marker + "-v2"));
        Res read = server.admin()
                .get("/api/v3/secrets/raw/MARKED", "workspaceId", p, "environment", "dev", "version", "1");
        assertThat(read.body().path("secret").path("secretValue").asString()).isEqualTo(marker);
        assertThat(read.body().path("secret").path("secretReminderNote").asString())
                .isEqualTo(marker + "-note");
        Res current = server.admin().get("/api/v3/secrets/raw/MARKED", "workspaceId", p, "environment", "dev");
        assertThat(current.body().path("secret").path("secretReminderNote").asString())
                .isEqualTo(marker + "-note");
        server.admin().delete("/api/v3/secrets/raw/MARKED", Map.of("workspaceId", p, "environment", "dev"));
        return marker;
    }

    private static Connection connect(TestServer server) throws Exception {
        return server.db == Db.SQLITE
                ? DriverManager.getConnection(server.dbUrl)
                : DriverManager.getConnection(server.dbUrl, TestServers.pgUser(), null);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
