package dev.keyhaven.server.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestMail;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The outbox seen from outside: mail leaves through it (and waits out a relay that is down), and
 * the dead letters are listed, without payloads, to the instance administrator only.
 */
class OutboxApiTest {

    private record MailRow(String state, int attempts, String payload, String lastError) {}

    private static Optional<MailRow> mailRow(TestServer server, String to) {
        return server
                .bean(JdbcClient.class)
                .sql("SELECT state, attempts, payload, last_error FROM outbox_items"
                        + " WHERE destination = 'email' AND target = ? ORDER BY seq")
                .param(to)
                .query((rs, i) -> new MailRow(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4)))
                .list()
                .stream()
                .findFirst();
    }

    private static MailRow awaitMailRow(TestServer server, String to, java.util.function.Predicate<MailRow> done) {
        return await("the outbox item for " + to)
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(25))
                .until(() -> mailRow(server, to), row -> row.isPresent() && done.test(row.get()))
                .get();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aVerificationMailLeavesThroughTheOutbox(Db db) throws Exception {
        TestServer server = TestServers.shared(db);
        String email = Fixtures.unique("outbox").toLowerCase() + "@example.com";
        Res signUp =
                server.anonymous().post("/api/v1/auth/signup", Map.of("email", email, "password", People.PASSWORD));
        assertThat(signUp.status()).isEqualTo(200);

        String token = TestMail.find(TestMail.await(email, 1), "verify-email\\?token=([0-9a-f]{64})");
        MailRow row = awaitMailRow(server, email, r -> r.state().equals("delivered"));
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.payload()).as("a delivered item keeps no payload").isNull();
        assertThat(server.bean(JdbcClient.class)
                        .sql("SELECT COUNT(*) FROM outbox_items WHERE payload LIKE ?")
                        .param("%" + token + "%")
                        .query(Long.class)
                        .single())
                .as("no stored payload shows the token")
                .isZero();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void mailWaitsWhileTheRelayIsDownAndLeavesOnceItIsBack(Db db) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try (TestServer server = TestServers.fresh(
                db,
                "--keyhaven.users.signup-allowed=true",
                "--keyhaven.smtp.host=127.0.0.1",
                "--keyhaven.smtp.port=" + port,
                "--keyhaven.outbox.poll-interval=PT0.1S",
                "--keyhaven.outbox.backoff-base=PT0.2S",
                "--keyhaven.outbox.backoff-max=PT0.5S")) {
            String email = Fixtures.unique("relay-down").toLowerCase() + "@example.com";
            assertThat(server.anonymous()
                            .post("/api/v1/auth/signup", Map.of("email", email, "password", People.PASSWORD))
                            .status())
                    .isEqualTo(200);
            MailRow failing = awaitMailRow(server, email, r -> r.attempts() >= 2);
            assertThat(failing.state()).isEqualTo("pending");
            assertThat(failing.lastError()).isNotBlank().doesNotContain(email);

            GreenMail relay = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            relay.start();
            try {
                MailRow delivered = awaitMailRow(server, email, r -> r.state().equals("delivered"));
                assertThat(delivered.attempts()).isGreaterThanOrEqualTo(3);
                assertThat(relay.getReceivedMessages()).hasSize(1);
                assertThat(relay.getReceivedMessages()[0].getSubject())
                        .isEqualTo("Confirm your e-mail address for Keyhaven");
            } finally {
                relay.stop();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theInstanceAdministratorSeesDeadLettersWithoutTheirPayloads(Db db) {
        TestServer server = TestServers.shared(db);
        TestDestination refusing = new TestDestination(false, Map.of("payload-with-token-xyz", 1), true);
        Destinations destinations = new Destinations(List.of(refusing));
        Outbox outbox = new Outbox(
                server.bean(OutboxStore.class),
                destinations,
                server.bean(Keyring.class),
                server.bean(Wakeup.class),
                Clock.systemUTC());
        String id = outbox.enqueue(refusing.name(), "ops@example.com", "payload-with-token-xyz");
        new OutboxDispatcher(
                        server.bean(OutboxStore.class),
                        destinations,
                        server.bean(Keyring.class),
                        OutboxProperties.defaults(),
                        Clock.systemUTC(),
                        "node-a")
                .runOnce();

        People people = new People(server);
        Res login = people.login(TestServers.ADMIN_EMAIL, TestServers.ADMIN_PASSWORD);
        assertThat(login.status()).isEqualTo(200);
        var admin = server.as(login.body().path("accessToken").asString());

        Res dead = admin.get("/api/v1/admin/outbox", "state", "dead", "limit", "100");
        assertThat(dead.status()).isEqualTo(200);
        assertThat(dead.raw()).doesNotContain("payload-with-token-xyz").doesNotContain("\"payload\"");
        JsonNode item = null;
        for (JsonNode i : dead.body().path("items")) {
            if (i.path("id").asString().equals(id)) {
                item = i;
            }
        }
        assertThat(item).as("the dead item is listed").isNotNull();
        assertThat(item.path("destination").asString()).isEqualTo(refusing.name());
        assertThat(item.path("target").asString()).isEqualTo("ops@example.com");
        assertThat(item.path("state").asString()).isEqualTo("dead");
        assertThat(item.path("attempts").asInt()).isEqualTo(1);
        assertThat(item.path("lastError").asString()).isEqualTo("relay refused " + refusing.name());
        assertThat(dead.body().path("counts").path("dead").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(dead.body().path("totalCount").asLong())
                .isEqualTo(dead.body().path("counts").path("dead").asLong());

        Res onePage = admin.get("/api/v1/admin/outbox", "limit", "1");
        assertThat(onePage.status()).isEqualTo(200);
        assertThat(onePage.body().path("items")).hasSize(1);
        assertThat(onePage.body().path("items").get(0).path("state").asString())
                .as("dead letters by default")
                .isEqualTo("dead");
        assertThat(admin.get("/api/v1/admin/outbox", "state", "lost").status()).isEqualTo(422);
        assertThat(admin.get("/api/v1/admin/outbox", "limit", "0").status()).isEqualTo(422);

        Res metrics = server.management().raw("GET", "/actuator/prometheus", null, null);
        assertThat(metrics.raw()).contains("keyhaven_outbox_items{state=\"dead\"}");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void nobodyButTheInstanceAdministratorReadsTheOutbox(Db db) {
        TestServer server = TestServers.shared(db);
        People.OrgAdmin orgAdmin = new People(server).orgAdmin("outbox-org-admin");
        Res refused = orgAdmin.api().get("/api/v1/admin/outbox");
        assertThat(refused.status()).as("an org admin of another org").isEqualTo(403);
        assertThat(server.admin().get("/api/v1/admin/outbox").status())
                .as("a machine identity, even the bootstrap one")
                .isEqualTo(403);
        assertThat(server.anonymous().get("/api/v1/admin/outbox").status()).isEqualTo(401);
    }
}
