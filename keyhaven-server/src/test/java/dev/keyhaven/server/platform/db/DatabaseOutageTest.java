package dev.keyhaven.server.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A PostgreSQL that goes away or hangs: requests get a clear 503 with {@code Retry-After} in bounded
 * time instead of waiting out the pool, {@code /api/status} and readiness say so at once, the log
 * gets a line per kind of failure instead of a stack trace per request, and service comes back with
 * the database. The database is broken through a proxy of its own, never the shared one.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseOutageTest {
    /** Generous: a fault behaviour with a bound, not a benchmark. */
    private static final Duration BOUND = Duration.ofSeconds(5);

    @Test
    void aStoppedDatabaseGetsFast503sReportedByStatusAndReadinessAndServiceComesBack(CapturedOutput output)
            throws Exception {
        try (BreakableProxy proxy = proxyToTestDatabase();
                TestServer server = serverBehind(proxy)) {
            server.admin = TestServers.bootstrap(server);
            String project = new Fixtures(server).project();
            assertThat(listSecrets(server, project).status()).isEqualTo(200);
            int logLinesBefore = output.getAll().split("\n").length;

            proxy.cut();
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                Res res = listSecrets(server, project);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
                assertThat(res.status()).as(res.toString()).isEqualTo(503);
                assertThat(res.json("error").asString()).isEqualTo("DatabaseUnavailable");
                assertThat(res.json("message").asString()).contains("not reachable");
                assertThat(res.header("Retry-After")).isNotBlank();
            }
            assertReported(server, "down");
            long start = System.nanoTime();
            assertThat(server.anonymous().get("/api/status").status()).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);

            String log = output.getAll().substring(nthLineStart(output.getAll(), logLinesBefore));
            assertThat(log).doesNotContain("\tat ").doesNotContain("Unhandled error");
            assertThat(log.lines().filter(l -> l.contains("Database down:")).count())
                    .as(log)
                    .isEqualTo(1);
            assertThat(log.lines()
                            .filter(l -> l.contains("The database is not reachable"))
                            .count())
                    .as(log)
                    .isEqualTo(1);

            proxy.restore();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() ->
                            assertThat(listSecrets(server, project).status()).isEqualTo(200));
            assertThat(server.anonymous().get("/api/status").json("database").asString())
                    .isEqualTo("up");
            assertThat(server.management().get("/actuator/health/readiness").status())
                    .isEqualTo(200);
        }
    }

    @Test
    void aHungDatabaseCannotHoldRequests() throws Exception {
        try (BreakableProxy proxy = proxyToTestDatabase();
                TestServer server =
                        serverBehind(proxy, "--keyhaven.db-statement-timeout=2s", "--keyhaven.db-socket-timeout=3s")) {
            server.admin = TestServers.bootstrap(server);
            String project = new Fixtures(server).project();
            assertThat(listSecrets(server, project).status()).isEqualTo(200);

            proxy.freeze();
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                Res res = listSecrets(server, project);
                // the first may wait out the socket timeout on a connection already in use
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND.multipliedBy(2));
                assertThat(res.status()).as(res.toString()).isEqualTo(503);
                assertThat(res.header("Retry-After")).isNotBlank();
            }
            await().atMost(BOUND).untilAsserted(() -> {
                Res status = server.anonymous().get("/api/status");
                assertThat(status.status()).isEqualTo(503);
                assertThat(status.json("database").asString()).isIn("down", "slow");
            });

            proxy.restore();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() ->
                            assertThat(listSecrets(server, project).status()).isEqualTo(200));
            assertThat(server.anonymous().get("/api/status").status()).isEqualTo(200);
        }
    }

    private static void assertReported(TestServer server, String state) {
        await().atMost(BOUND).untilAsserted(() -> {
            Res status = server.anonymous().get("/api/status");
            assertThat(status.status()).isEqualTo(503);
            assertThat(status.json("database").asString()).isEqualTo(state);
            assertThat(status.json("message").asString()).contains("not reachable");
            Res readiness = server.management().get("/actuator/health/readiness");
            assertThat(readiness.status()).isEqualTo(503);
            assertThat(readiness.json("status").asString()).isEqualTo("DOWN");
        });
    }

    private static Res listSecrets(TestServer server, String project) {
        return server.admin().get("/api/v3/secrets/raw", "workspaceId", project, "environment", "dev");
    }

    private static BreakableProxy proxyToTestDatabase() throws Exception {
        Matcher m = hostAndPort(TestServers.pgBaseUrl());
        return new BreakableProxy(m.group(1), Integer.parseInt(m.group(2)));
    }

    private static TestServer serverBehind(BreakableProxy proxy, String... args) {
        String url = TestServers.newPgSchemaUrl();
        Matcher m = hostAndPort(url);
        String proxied = url.substring(0, m.start(1)) + "127.0.0.1:" + proxy.port() + url.substring(m.end(2));
        return TestServers.start(Db.POSTGRESQL, proxied, null, args);
    }

    private static Matcher hostAndPort(String jdbcUrl) {
        Matcher m = Pattern.compile("//([^:/?]+):(\\d+)").matcher(jdbcUrl);
        if (!m.find()) {
            throw new IllegalStateException("the test database URL needs an explicit host and port: " + jdbcUrl);
        }
        return m;
    }

    private static int nthLineStart(String text, int line) {
        int at = 0;
        for (int i = 0; i < line && at >= 0; i++) {
            at = text.indexOf('\n', at) + 1;
        }
        return Math.max(0, Math.min(at, text.length()));
    }
}
