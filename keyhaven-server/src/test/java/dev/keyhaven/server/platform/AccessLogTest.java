package dev.keyhaven.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The access log: one line per request naming the route template, never a value from the path, query or body. */
@ExtendWith(OutputCaptureExtension.class)
class AccessLogTest {

    /**
     * The shared test servers log warnings only; production logs INFO, where the access log is on.
     * Set once the server runs, since its start configures logging afresh.
     */
    private static TestServer server(Db db) {
        TestServer server = TestServers.shared(db);
        LoggingSystem.get(AccessLogTest.class.getClassLoader()).setLogLevel("keyhaven.access", LogLevel.INFO);
        return server;
    }

    @AfterAll
    static void accessLogBackToTheTestDefault() {
        LoggingSystem.get(AccessLogTest.class.getClassLoader()).setLogLevel("keyhaven.access", null);
    }

    /** The access-log line of one request, found by its request id (the line is written once the answer is sent). */
    private static String line(CapturedOutput output, Res res) {
        String reqId = res.header("x-request-id");
        assertThat(reqId).as(res.toString()).isNotBlank();
        String needle = "reqId=" + reqId;
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains(needle));
        return output.getAll()
                .lines()
                .filter(l -> l.contains(needle) && l.contains("route="))
                .findFirst()
                .orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aSecretReadIsLoggedWithItsRouteTemplateAndActorButNoValues(Db db, CapturedOutput output) {
        TestServer server = server(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        Fixtures.Machine m = f.identity(p, "member");
        String name = Fixtures.unique("ACCESS_LOGGED").toUpperCase().replace('-', '_');
        String value = Fixtures.unique("access-log-value");
        assertThat(f.createSecret(m.api(), p, "dev", "/", name, value).status()).isEqualTo(200);

        Res read =
                m.api().get("/api/v3/secrets/raw/" + name, "workspaceId", p, "environment", "dev", "secretPath", "/");

        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        String line = line(output, read);
        assertThat(line)
                .contains("method=GET route=/api/v3/secrets/raw/{secretName} status=200 durationMs=")
                .contains("actor=identity:" + m.id());
        assertThat(output.getAll()).doesNotContain(name).doesNotContain(value).doesNotContain(p);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anUnauthenticatedRequestIsLoggedWithoutAnActor(Db db, CapturedOutput output) {
        TestServer server = server(db);

        Res denied = server.anonymous().get("/api/v1/identities/" + Fixtures.unique("id"));
        String nowhere = Fixtures.unique("nowhere");
        Res unknown = server.anonymous().post("/api/v9/" + nowhere, Map.of());

        assertThat(denied.status()).isEqualTo(401);
        assertThat(line(output, denied))
                .contains("method=GET route=/api/v1/identities/{identityId} status=401 ")
                .endsWith("actor=-");
        // no API route matched: the catch-all pattern, not the path
        assertThat(line(output, unknown)).contains("method=POST route=/** status=404 ");
        assertThat(output.getAll()).doesNotContain(nowhere);
    }
}
