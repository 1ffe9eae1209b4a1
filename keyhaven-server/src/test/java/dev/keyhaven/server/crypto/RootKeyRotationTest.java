package dev.keyhaven.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.SoftHsm;
import dev.keyhaven.server.support.TestMail;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Root key rotation on each database: a server started with a new root key and the old one as
 * {@code KEYHAVEN_ROOT_KEY_PREVIOUS} serves at once, re-wraps every org, instance and digest key
 * under the new key in the background (audited per org), moves the check value last, and from then
 * on runs with the new key alone, while the old key alone is refused. Values, tokens and sessions
 * made before the rotation keep working. Two nodes re-wrapping at once on PostgreSQL record each
 * org's re-wrap exactly once.
 */
class RootKeyRotationTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @ParameterizedTest
    @EnumSource(Db.class)
    void aNewRootKeyTakesOverWhileTheServerServes(Db db) throws Exception {
        String oldKey = newKey();
        String newKey = newKey();
        Path dir = Files.createTempDirectory("keyhaven-rotation-");
        String url = db == Db.SQLITE ? null : TestServers.newPgSchemaUrl();
        String value = "rotated-" + UUID.randomUUID();
        TestServer.Admin admin;
        String project;
        String dbUrl;
        try (TestServer first = TestServers.start(db, url, dir, args(oldKey, null))) {
            first.admin = TestServers.bootstrap(first);
            admin = first.admin;
            dbUrl = first.dbUrl;
            project = new Fixtures(first).project();
            put(first, project, value);
            JsonNode status = rootKey(first);
            assertThat(status.path("rotationPending").asBoolean()).isFalse();
            assertThat(status.path("keyCacheSeconds").asLong()).isEqualTo(60);
            assertThat(status.toString()).doesNotContain(oldKey);
        }

        // the new key alone does not match the data: the rotation needs the old one beside it
        assertThatThrownBy(() -> TestServers.start(db, dbUrl, dir, args(newKey, null)))
                .rootCause()
                .hasMessageContaining("does not match the data");

        try (TestServer rotating = TestServers.start(db, dbUrl, dir, args(newKey, oldKey))) {
            rotating.admin = admin;
            assertThat(read(rotating, project)).isEqualTo(value);
            String newId = rootKey(rotating).path("rootKeyId").asString();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode s = rootKey(rotating);
                assertThat(s.path("rotationPending").asBoolean())
                        .as(s.toString())
                        .isFalse();
                assertThat(s.path("keysByRootKey").propertyNames()).containsExactly(newId);
            });
            List<JsonNode> rewrapped = events(rotating, "root-key-rewrapped");
            assertThat(rewrapped).hasSize(1);
            assertThat(rewrapped
                            .get(0)
                            .path("event")
                            .path("metadata")
                            .path("toRootKeyId")
                            .asString())
                    .isEqualTo(newId);
            assertThat(rewrapped.get(0).toString()).doesNotContain(oldKey).doesNotContain(newKey);
        }

        try (TestServer after = TestServers.start(db, dbUrl, dir, args(newKey, null))) {
            after.admin = admin;
            assertThat(read(after, project))
                    .as("the old admin token still works")
                    .isEqualTo(value);
            Res newProject = after.admin()
                    .post("/api/v2/workspace", Map.of("projectName", "after-rotation-" + UUID.randomUUID()));
            assertThat(newProject.status()).as(newProject.toString()).isEqualTo(200);
        }
        assertThatThrownBy(() -> TestServers.start(db, dbUrl, dir, args(oldKey, null)))
                .rootCause()
                .hasMessageContaining("does not match the data");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aRotationMovesBetweenTwoKeysOfOnePkcs11Token(Db db) throws Exception {
        String oldLabel = SoftHsm.newLabel();
        String newLabel = SoftHsm.newLabel();
        Path dir = Files.createTempDirectory("keyhaven-rotation-");
        String url = db == Db.SQLITE ? null : TestServers.newPgSchemaUrl();
        String value = "hsm-rotated-" + UUID.randomUUID();
        TestServer.Admin admin;
        String project;
        String dbUrl;
        try (TestServer first = TestServers.start(db, url, dir, hsmArgs(oldLabel, null))) {
            first.admin = TestServers.bootstrap(first);
            admin = first.admin;
            dbUrl = first.dbUrl;
            project = new Fixtures(first).project();
            put(first, project, value);
        }
        // the new key is made in the token by its operator; a previous label the token lacks stops start-up
        new Pkcs11RootKeyProvider(SoftHsm.settings(newLabel)).generate().orElseThrow();
        assertThatThrownBy(() -> TestServers.start(db, dbUrl, dir, hsmArgs(newLabel, "no-such-" + oldLabel)))
                .rootCause()
                .hasMessageContaining("KEYHAVEN_PKCS11_PREVIOUS_KEY_LABEL");

        try (TestServer rotating = TestServers.start(db, dbUrl, dir, hsmArgs(newLabel, oldLabel))) {
            rotating.admin = admin;
            assertThat(read(rotating, project)).isEqualTo(value);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(
                                    rootKey(rotating).path("keysByRootKey").propertyNames())
                            .containsExactly("pkcs11:" + newLabel));
        }
        try (TestServer after = TestServers.start(db, dbUrl, dir, hsmArgs(newLabel, null))) {
            after.admin = admin;
            assertThat(read(after, project)).isEqualTo(value);
        }
        assertThatThrownBy(() -> TestServers.start(db, dbUrl, dir, hsmArgs(oldLabel, null)))
                .rootCause()
                .hasMessageContaining("does not match the data");
    }

    private static String[] hsmArgs(String label, String previousLabel) {
        List<String> args = new ArrayList<>(List.of(args(newKey(), null)));
        args.removeIf(a -> a.startsWith("--keyhaven.root-key="));
        args.addAll(List.of(SoftHsm.serverArgs(label)));
        if (previousLabel != null) {
            args.add("--keyhaven.pkcs11-previous-key-label=" + previousLabel);
        }
        return args.toArray(String[]::new);
    }

    @Test
    void twoNodesRewrappingAtOnceRecordEachOrgOnce() throws Exception {
        String oldKey = newKey();
        String newKey = newKey();
        Path dir = Files.createTempDirectory("keyhaven-rotation-");
        String url = TestServers.newPgSchemaUrl();
        TestServer.Admin admin;
        try (TestServer first = TestServers.start(Db.POSTGRESQL, url, dir, args(oldKey, null))) {
            first.admin = TestServers.bootstrap(first);
            admin = first.admin;
            People people = new People(first);
            for (int i = 0; i < 5; i++) {
                people.orgAdmin("rotation-org-" + i);
            }
        }
        List<TestServer> nodes = new ArrayList<>();
        try {
            Thread other = new Thread(() -> {
                synchronized (nodes) {
                    nodes.add(TestServers.start(Db.POSTGRESQL, url, dir, args(newKey, oldKey)));
                }
            });
            other.start();
            TestServer a = TestServers.start(Db.POSTGRESQL, url, dir, args(newKey, oldKey));
            other.join();
            synchronized (nodes) {
                nodes.add(a);
            }
            a.admin = admin;
            String newId = rootKey(a).path("rootKeyId").asString();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> assertThat(rootKey(a).path("keysByRootKey").propertyNames())
                                    .containsExactly(newId));
            // whichever node re-wrapped an org's key, it is recorded once, in that org's log
            assertThat(events(a, "root-key-rewrapped")).hasSize(1);
            assertThat(a.bean(org.springframework.jdbc.core.simple.JdbcClient.class)
                            .sql("SELECT COUNT(*) FROM audit_logs WHERE event_type = 'root-key-rewrapped'")
                            .query(Long.class)
                            .single())
                    .isEqualTo(rootKey(a).path("keysByRootKey").path(newId).asLong() - 2);
        } finally {
            for (TestServer n : nodes) {
                n.close();
            }
        }
    }

    private static String[] args(String rootKey, String previous) {
        List<String> args = new ArrayList<>(List.of(TestServers.NO_RATE_LIMITS));
        args.add("--keyhaven.root-key=" + rootKey);
        args.add("--keyhaven.users.signup-allowed=true");
        args.add("--keyhaven.users.login-per-ip-per-minute=0");
        args.add("--keyhaven.users.login-per-account-per-minute=0");
        args.addAll(TestMail.serverArgs());
        if (previous != null) {
            args.add("--keyhaven.root-key-previous=" + previous);
        }
        return args.toArray(String[]::new);
    }

    private static String newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static void put(TestServer server, String project, String value) {
        Res put = server.admin()
                .post(
                        "/api/v3/secrets/raw/ROTATED",
                        Map.of("workspaceId", project, "environment", "dev", "secretValue", value));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
    }

    private static String read(TestServer server, String project) {
        Res read = server.admin().get("/api/v3/secrets/raw/ROTATED", "workspaceId", project, "environment", "dev");
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        return read.body().path("secret").path("secretValue").asString();
    }

    private static Api instanceAdmin(TestServer server) {
        Res login = new People(server).login(TestServers.ADMIN_EMAIL, TestServers.ADMIN_PASSWORD);
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return server.as(login.body().path("accessToken").asString());
    }

    private static JsonNode rootKey(TestServer server) {
        Res res = instanceAdmin(server).get("/api/v1/admin/root-key");
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body();
    }

    private static List<JsonNode> events(TestServer server, String type) {
        Res res = server.admin()
                .get(
                        "/api/v1/organization/audit-logs",
                        "eventType",
                        type,
                        "startDate",
                        Instant.now().minus(10, ChronoUnit.MINUTES).toString());
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        res.body().path("auditLogs").valueStream().forEach(out::add);
        return out;
    }
}
