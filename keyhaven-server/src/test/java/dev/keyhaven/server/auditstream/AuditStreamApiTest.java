package dev.keyhaven.server.auditstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Fixtures.Machine;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Audit log streams end to end on both databases: the routes (credentials never answered nor
 * stored in clear, bad and refused destinations, permissions, other organizations) and delivery to
 * a real loopback receiver (in order, with the configured headers, after the receiver comes up,
 * and without a slow receiver slowing the API). A server of its own per database, with a short
 * outbox backoff so retries happen within the test and a short stream-list TTL.
 */
class AuditStreamApiTest {
    static final String BASE = "/api/v1/audit-log-streams";
    private static final String TOKEN = "Bearer stream-token-5ecr3t";
    private static final Map<Db, TestServer> SERVERS = new EnumMap<>(Db.class);

    static synchronized TestServer server(Db db) {
        return SERVERS.computeIfAbsent(db, d -> {
            TestServer s = TestServers.fresh(
                    d,
                    "--keyhaven.outbox.backoff-base=200ms",
                    "--keyhaven.outbox.backoff-max=500ms",
                    "--keyhaven.outbox.max-attempts=1000",
                    "--keyhaven.outbox.poll-interval=200ms",
                    "--keyhaven.audit-streams.directory-ttl=2s");
            s.admin = TestServers.bootstrap(s);
            return s;
        });
    }

    @AfterAll
    static void stopServers() {
        SERVERS.values().forEach(TestServer::close);
    }

    static Map<String, Object> custom(String url, String token) {
        return Map.of(
                "credentials",
                Map.of(
                        "url",
                        url,
                        "headers",
                        List.of(
                                Map.of("key", "Authorization", "value", token),
                                Map.of("key", "X-Custom", "value", "c1"))));
    }

    static String createCustom(Api api, String url) {
        Res res = api.post(BASE + "/custom", custom(url, TOKEN));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("auditLogStream").path("id").asString();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void streamsAreCreatedListedChangedAndDeletedWithoutEverAnsweringACredential(Db db) throws Exception {
        TestServer server = server(db);
        Api admin = server.admin();
        try (HttpReceiver receiver = HttpReceiver.start()) {
            Res options = admin.get(BASE + "/options");
            assertThat(options.status()).isEqualTo(200);
            assertThat(options.body().path("providerOptions").findValuesAsString("provider"))
                    .contains("custom", "syslog");

            Res created = admin.post(BASE + "/custom", custom(receiver.url(), TOKEN));
            assertThat(created.status()).as(created.toString()).isEqualTo(200);
            JsonNode stream = created.body().path("auditLogStream");
            String id = stream.path("id").asString();
            assertThat(stream.path("orgId").asString()).isEqualTo(server.admin.orgId());
            assertThat(stream.path("provider").asString()).isEqualTo("custom");
            assertThat(stream.path("credentials").path("url").asString()).isEqualTo(receiver.url());
            assertThat(stream.path("credentials").path("headers").findValuesAsString("value"))
                    .containsExactly("******", "******");
            assertThat(created.raw()).doesNotContain("5ecr3t");

            Res listed = admin.get(BASE);
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.body().path("auditLogStreams").findValuesAsString("id"))
                    .contains(id);
            assertThat(listed.raw()).doesNotContain("5ecr3t");
            Res got = admin.get(BASE + "/custom/" + id);
            assertThat(got.status()).isEqualTo(200);
            assertThat(got.raw()).doesNotContain("5ecr3t");
            assertThat(server.bean(JdbcClient.class)
                            .sql("SELECT COUNT(*) FROM audit_log_streams WHERE config LIKE ? OR credentials LIKE ?")
                            .params("%5ecr3t%", "%5ecr3t%")
                            .query(Long.class)
                            .single())
                    .as("the token is sealed at rest")
                    .isZero();

            // an update that keeps the masked header and changes the other one
            Res updated = admin.patch(
                    BASE + "/custom/" + id,
                    Map.of(
                            "credentials",
                            Map.of(
                                    "headers",
                                    List.of(
                                            Map.of("key", "Authorization", "value", "******"),
                                            Map.of("key", "X-Custom", "value", "c2")))));
            assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
            assertThat(updated.body()
                            .path("auditLogStream")
                            .path("credentials")
                            .path("url")
                            .asString())
                    .isEqualTo(receiver.url());
            Fixtures f = new Fixtures(server);
            String p = f.project();
            Machine m = f.identity(p, "member");
            String key = Fixtures.unique("KEPT").replace('-', '_').toUpperCase();
            assertThat(f.createSecret(m.api(), p, "dev", "/", key, "v").status())
                    .isEqualTo(200);
            HttpReceiver.Received r =
                    receiver.await(e -> key.equals(secretKey(e)), 1).get(0);
            assertThat(r.authorization()).as("the kept header value").isEqualTo(TOKEN);
            assertThat(r.custom()).isEqualTo("c2");

            Res deleted = admin.delete(BASE + "/custom/" + id, null);
            assertThat(deleted.status()).isEqualTo(200);
            assertThat(deleted.raw()).doesNotContain("5ecr3t");
            assertThat(admin.get(BASE + "/custom/" + id).status()).isEqualTo(404);
            assertThat(admin.get(BASE + "/syslog/" + id).status()).isEqualTo(404);

            Res audit = admin.get(
                    "/api/v1/organization/audit-logs",
                    "eventType",
                    "create-audit-log-stream,update-audit-log-stream,delete-audit-log-stream",
                    "limit",
                    "1000");
            assertThat(audit.status()).isEqualTo(200);
            List<JsonNode> mine = audit.body()
                    .path("auditLogs")
                    .valueStream()
                    .filter(e -> id.equals(
                            e.path("event").path("metadata").path("logStreamId").asString()))
                    .toList();
            assertThat(mine.stream().map(e -> e.path("event").path("type").asString()))
                    .containsExactly("delete-audit-log-stream", "update-audit-log-stream", "create-audit-log-stream");
            assertThat(audit.raw()).doesNotContain("5ecr3t");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void badOrRefusedDestinationsAndMissingPermissionsAreRefused(Db db) {
        TestServer server = server(db);
        Api admin = server.admin();
        assertThat(admin.post(BASE + "/custom", custom("not a url", TOKEN)).status())
                .isEqualTo(422);
        assertThat(admin.post(BASE + "/custom", custom("ftp://127.0.0.1/x", TOKEN))
                        .status())
                .isEqualTo(422);
        assertThat(admin.post(BASE + "/custom", custom("http://127.0.0.1/" + "x".repeat(300), TOKEN))
                        .status())
                .isEqualTo(422);
        assertThat(admin.post(BASE + "/custom", custom("http://127.0.0.1/x", "a\r\nInjected: yes"))
                        .status())
                .isEqualTo(422);
        assertThat(admin.post(BASE + "/custom", Map.of()).status()).isEqualTo(422);
        Res refused = admin.post(BASE + "/custom", custom("http://169.254.169.254/latest", TOKEN));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.raw()).doesNotContain("5ecr3t");
        assertThat(admin.post(BASE + "/custom", custom("http://10.20.30.40/x", TOKEN))
                        .status())
                .isEqualTo(400);
        assertThat(admin.post(
                                BASE + "/syslog",
                                Map.of("credentials", Map.of("hostname", "10.20.30.40", "port", 514, "tls", false)))
                        .status())
                .isEqualTo(400);
        assertThat(admin.post(
                                BASE + "/syslog",
                                Map.of("credentials", Map.of("hostname", "tcp://127.0.0.1", "port", 514)))
                        .status())
                .isEqualTo(422);
        assertThat(admin.post(BASE + "/syslog", Map.of("credentials", Map.of("hostname", "127.0.0.1", "port", 0)))
                        .status())
                .isEqualTo(422);
        assertThat(admin.post(BASE + "/datadog", custom("http://127.0.0.1/x", TOKEN))
                        .status())
                .isEqualTo(404);

        String id = createCustom(admin, "http://127.0.0.1:9/x");
        Fixtures f = new Fixtures(server);
        Machine member = f.identity(null, "member");
        assertThat(member.api()
                        .post(BASE + "/custom", custom("http://127.0.0.1:9/y", TOKEN))
                        .status())
                .isEqualTo(403);
        assertThat(member.api()
                        .patch(BASE + "/custom/" + id, custom("http://127.0.0.1:9/y", TOKEN))
                        .status())
                .isEqualTo(403);
        assertThat(member.api().delete(BASE + "/custom/" + id, null).status()).isEqualTo(403);
        Api other = server.as(f.otherOrgAdminToken());
        assertThat(other.get(BASE + "/custom/" + id).status()).isEqualTo(404);
        assertThat(other.delete(BASE + "/custom/" + id, null).status()).isEqualTo(404);
        assertThat(other.get(BASE).body().path("auditLogStreams").findValuesAsString("id"))
                .doesNotContain(id);
        assertThat(server.anonymous().get(BASE).status()).isEqualTo(401);
        assertThat(admin.delete(BASE + "/custom/" + id, null).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void eventsReachTheReceiverInOrderWithTheHeadersEvenWhenItComesUpLate(Db db) throws Exception {
        TestServer server = server(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        Machine m = f.identity(p, "member");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String id = createCustom(server.admin(), "http://127.0.0.1:" + port + "/ingest");
        try {
            String prefix = Fixtures.unique("ORDER").replace('-', '_').toUpperCase() + "_";
            List<String> keys = IntStream.range(0, 12).mapToObj(i -> prefix + i).toList();
            for (String k : keys) {
                assertThat(f.createSecret(m.api(), p, "dev", "/", k, "v").status())
                        .isEqualTo(200);
            }
            // the receiver is down: deliveries fail and back off
            await("failed deliveries retried while the receiver is down")
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> retriedAttempts(server, id) >= 2);
            try (HttpReceiver receiver = HttpReceiver.on(port)) {
                List<HttpReceiver.Received> got =
                        receiver.await(e -> secretKey(e).startsWith(prefix), keys.size());
                assertThat(got.stream().map(AuditStreamApiTest::secretKey)).containsExactlyElementsOf(keys);
                assertThat(got).allSatisfy(e -> {
                    assertThat(e.authorization()).isEqualTo(TOKEN);
                    assertThat(e.custom()).isEqualTo("c1");
                    assertThat(e.contentType()).startsWith("application/json");
                    assertThat(e.body().path("event").path("type").asString()).isEqualTo("create-secret");
                    assertThat(e.body()
                                    .path("actor")
                                    .path("metadata")
                                    .path("identityId")
                                    .asString())
                            .isEqualTo(m.id());
                    assertThat(e.body().toString()).doesNotContain("5ecr3t");
                });
                // the same event ids as the audit trail's rows
                Res trail = server.admin()
                        .get("/api/v1/organization/audit-logs", "eventType", "create-secret", "projectId", p);
                List<String> trailIds = trail.body()
                        .path("auditLogs")
                        .valueStream()
                        .filter(e -> e.path("event")
                                .path("metadata")
                                .path("secretKey")
                                .asString()
                                .startsWith(prefix))
                        .map(e -> e.path("id").asString())
                        .toList();
                assertThat(got.stream().map(e -> e.body().path("id").asString()))
                        .containsExactlyInAnyOrderElementsOf(trailIds);
                // reads are streamed too, from the batched read writer
                assertThat(m.api()
                                .get("/api/v3/secrets/raw/" + keys.get(0), "workspaceId", p, "environment", "dev")
                                .status())
                        .isEqualTo(200);
                receiver.await(
                        e -> e.body().path("event").path("type").asString().equals("get-secret")
                                && keys.get(0).equals(secretKey(e)),
                        1);
            }
        } finally {
            server.admin().delete(BASE + "/custom/" + id, null);
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aSlowReceiverDoesNotSlowTheApi(Db db) throws Exception {
        TestServer server = server(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        Machine m = f.identity(p, "member");
        try (HttpReceiver receiver = HttpReceiver.start().held()) {
            String id = createCustom(server.admin(), receiver.url());
            try {
                String prefix = Fixtures.unique("SLOW").replace('-', '_').toUpperCase() + "_";
                long start = System.nanoTime();
                for (int i = 0; i < 3; i++) {
                    assertThat(f.createSecret(m.api(), p, "dev", "/", prefix + i, "v")
                                    .status())
                            .isEqualTo(200);
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(took)
                        .as("three writes with a receiver that does not answer")
                        .isLessThan(Duration.ofSeconds(2));
                assertThat(receiver.received)
                        .as("nothing delivered yet when the requests returned")
                        .isEmpty();
                receiver.release();
                receiver.await(e -> secretKey(e).startsWith(prefix), 1);
            } finally {
                server.admin().delete(BASE + "/custom/" + id, null);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anOrganizationsStreamsAreAskedForOncePerTtlNotOncePerEvent(Db db) throws Exception {
        TestServer server = server(db);
        StreamDirectory directory = server.bean(StreamDirectory.class);
        JdbcClient jdbc = server.bean(JdbcClient.class);
        String org = server.admin.orgId();
        assertThat(directory.targets(org)).isEmpty();
        // a row written behind the directory's back stays unseen until the entry expires, so an
        // organization without streams costs one query per TTL, whatever its write rate
        String id = java.util.UUID.randomUUID().toString();
        jdbc.sql("INSERT INTO audit_log_streams (id, org_id, provider, config, credentials, created_at, updated_at)"
                        + " VALUES (?, ?, 'syslog', '{\"host\":\"127.0.0.1\",\"port\":9,\"tls\":false}', NULL, 0, 0)")
                .params(id, org)
                .update();
        try {
            assertThat(directory.targets(org)).isEmpty();
            Duration ttl = server.bean(AuditStreamProperties.class).directoryTtl();
            await("the entry expires after the TTL")
                    .atMost(ttl.plusMillis(300))
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(directory.targets(org))
                            .extracting(AuditStreamStore.Target::id)
                            .containsExactly(id));
        } finally {
            jdbc.sql("DELETE FROM audit_log_streams WHERE id = ?").param(id).update();
        }
        directory.changed(org); // what the service does on a change: dropped at once outside a transaction
        assertThat(directory.targets(org)).isEmpty();
    }

    /** The most attempts any of the stream's queued items has had so far. */
    private static int retriedAttempts(TestServer server, String streamId) {
        return server.bean(JdbcClient.class)
                .sql("SELECT COALESCE(MAX(attempts), 0) FROM outbox_items WHERE target = ? AND state = 'pending'"
                        + " AND last_error IS NOT NULL")
                .param(streamId)
                .query(Integer.class)
                .single();
    }

    static String secretKey(HttpReceiver.Received e) {
        return e.body().path("event").path("metadata").path("secretKey").asString("");
    }
}
