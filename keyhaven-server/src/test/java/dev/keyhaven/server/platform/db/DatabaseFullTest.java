package dev.keyhaven.server.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A full SQLite database (SQLITE_FULL, simulated with {@code max_page_count} on the server's
 * connections and a filler table written around it): writes and, since every read writes its audit
 * row, reads get a 503 naming the cause; status and readiness report it; the log has one line for
 * it; when space returns, so does service.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseFullTest {
    private static final int MAX_PAGES = 5000;

    @TempDir
    Path dataDir;

    @Test
    void aFullDatabaseAnswers503NamingTheCauseReportsItAndRecovers(CapturedOutput output) throws Exception {
        Path db = dataDir.resolve("keyhaven.db");
        String url = "jdbc:sqlite:" + db + "?max_page_count=" + MAX_PAGES;
        try (TestServer server = TestServers.start(Db.SQLITE, url, dataDir)) {
            server.admin = TestServers.bootstrap(server);
            Fixtures fixtures = new Fixtures(server);
            String project = fixtures.project();
            assertThat(fixtures.createSecret(server.admin(), project, "dev", "/", "KEPT", "v")
                            .status())
                    .isEqualTo(200);
            int logLinesBefore = output.getAll().split("\n").length;

            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                    Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 30000");
                fillUpTo(s, MAX_PAGES);

                // a large value needs new pages, and there are none
                Res write = fixtures.createSecret(server.admin(), project, "dev", "/", "BIG", "x".repeat(20_000));
                assertFull(write);
                Res read = null;
                for (int i = 0; i < 1000 && (read == null || read.status() == 200); i++) {
                    read = readKept(server, project);
                }
                assertFull(read);

                Res status = server.anonymous().get("/api/status");
                assertThat(status.status()).isEqualTo(503);
                assertThat(status.json("database").asString()).isEqualTo("full");
                assertThat(status.json("message").asString()).contains("disk is full");
                assertThat(server.management().get("/actuator/health/readiness").status())
                        .isEqualTo(503);

                String log = output.getAll().lines().skip(logLinesBefore).reduce("", (a, b) -> a + b + "\n");
                assertThat(log).doesNotContain("\tat ").doesNotContain("Unhandled error");
                assertThat(log.lines().filter(l -> l.contains("Database full:")).count())
                        .as(log)
                        .isEqualTo(1);

                s.execute("DROP TABLE filler"); // space returns
            }
            assertThat(readKept(server, project).status()).isEqualTo(200);
            assertThat(server.anonymous().get("/api/status").status()).isEqualTo(200);
            assertThat(fixtures.createSecret(server.admin(), project, "dev", "/", "BIG", "x".repeat(20_000))
                            .status())
                    .isEqualTo(200);
        }
        assertThat(Files.exists(db)).isTrue();
    }

    private static void assertFull(Res res) {
        assertThat(res.status()).as(res.toString()).isEqualTo(503);
        assertThat(res.json("error").asString()).isEqualTo("DatabaseFull");
        assertThat(res.json("message").asString()).contains("disk is full");
        assertThat(res.header("Retry-After")).isNotBlank();
    }

    private static Res readKept(TestServer server, String project) {
        return server.admin().get("/api/v3/secrets/raw/KEPT", "workspaceId", project, "environment", "dev");
    }

    /** Grows the file to {@code pages} pages with a table of its own, leaving no free page. */
    private static void fillUpTo(Statement s, int pages) throws Exception {
        s.execute("CREATE TABLE filler (b BLOB)");
        int pageSize = single(s, "PRAGMA page_size");
        int missing = pages - single(s, "PRAGMA page_count") - 20;
        assertThat(missing).as("max_page_count leaves room to fill").isPositive();
        s.execute("INSERT INTO filler VALUES (zeroblob(" + (long) missing * pageSize + "))");
        while (single(s, "PRAGMA page_count") < pages) {
            s.execute("INSERT INTO filler VALUES (zeroblob(" + pageSize + "))");
        }
        assertThat(single(s, "PRAGMA freelist_count")).isZero();
    }

    private static int single(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
