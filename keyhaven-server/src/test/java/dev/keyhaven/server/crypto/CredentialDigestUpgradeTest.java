package dev.keyhaven.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Credential digests keyed from the instance digest key: the key is made once and kept across
 * restarts, new digests use it, and a database written before it existed (digests keyed from the
 * root key itself) keeps its access tokens, client secrets and sessions working.
 */
class CredentialDigestUpgradeTest {
    private static final String LEGACY_LABEL = "keyhaven:credential-digest:v1";

    @ParameterizedTest
    @EnumSource(Db.class)
    void theInstanceDigestKeyIsMadeOnceAndKeptAcrossRestarts(Db db) throws Exception {
        TestServer first = TestServers.fresh(db);
        TestServer.Admin admin = TestServers.bootstrap(first);
        List<String> keysBefore = digestKeyRows(first);
        first.close();
        byte[] rootKey = Base64.getDecoder()
                .decode(Files.readString(first.dataDir.resolve("root.key")).trim());

        try (TestServer second = TestServers.start(db, first.dbUrl, first.dataDir)) {
            assertThat(keysBefore)
                    .as("only today's key: a new database has no older digests")
                    .hasSize(1);
            assertThat(digestKeyRows(second)).isEqualTo(keysBefore);
            assertThat(meta(second, "legacy-credential-digests")).isEmpty();
            assertThat(second.as(admin.token())
                            .get("/api/v1/identities/" + admin.identityId())
                            .status())
                    .isEqualTo(200);

            String token =
                    new Fixtures(withAdmin(second, admin)).identity(null, null).token();
            byte[] instanceKey = Aead.open(rootKey, keysBefore.get(0).split(" ")[1], "keyhaven:digest-key:v2");
            String expected = "v2:" + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(instanceKey, token));
            assertThat(tokenDigestRows(second, expected)).isEqualTo(1);
            assertThat(tokenDigestRows(second, legacyDigest(rootKey, token))).isZero();
            assertThat(expected).isNotEqualTo(legacyDigest(rootKey, token));
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void credentialsOfADatabaseWrittenBeforeTheInstanceDigestKeyKeepWorking(Db db) throws Exception {
        byte[] rootKey = Aead.newKey();
        String keyArg = "--keyhaven.root-key=" + Base64.getEncoder().encodeToString(rootKey);
        TestServer before = TestServers.fresh(db, keyArg);
        TestServer.Admin admin = TestServers.bootstrap(before);
        before.admin = admin;
        Fixtures fixtures = new Fixtures(before);
        String project = fixtures.project();
        Fixtures.Machine machine = fixtures.identity(project, "viewer");
        String session = personSession(before);
        SecretDigests digests = before.bean(SecretDigests.class);
        Map<String, String> today = Map.of(
                admin.token(),
                digests.digest(admin.token()),
                machine.token(),
                digests.digest(machine.token()),
                machine.clientSecret(),
                digests.digest(machine.clientSecret()),
                session,
                digests.digest(session));
        before.close();
        writtenByTheCodeBefore(before, rootKey, today);

        try (TestServer after = TestServers.start(db, before.dbUrl, before.dataDir, keyArg)) {
            assertThat(meta(after, "legacy-credential-digests")).contains("present");
            assertThat(after.as(admin.token())
                            .get("/api/v1/identities/" + machine.id())
                            .status())
                    .isEqualTo(200);
            Res secrets =
                    after.as(machine.token()).get("/api/v3/secrets/raw", "workspaceId", project, "environment", "dev");
            assertThat(secrets.status()).as(secrets.toString()).isEqualTo(200);
            assertThat(after.as(session).get("/api/v1/user/me").status()).isEqualTo(200);

            String fresh = new Fixtures(withAdmin(after, admin)).login(machine.clientId(), machine.clientSecret());
            assertThat(after.as(fresh)
                            .get("/api/v3/secrets/raw", "workspaceId", project, "environment", "dev")
                            .status())
                    .isEqualTo(200);
            String freshDigest = after.bean(SecretDigests.class).digest(fresh);
            assertThat(freshDigest).startsWith("v2:").isNotEqualTo(legacyDigest(rootKey, fresh));
            assertThat(tokenDigestRows(after, freshDigest)).isEqualTo(1);

            // the older digest key is kept wrapped by the root key, so later starts need no root key bytes for it
            String wrapped = wrappedKey(after, "v1");
            assertThat(Aead.open(rootKey, wrapped, "keyhaven:digest-key:v1")).isEqualTo(hmac(rootKey, LEGACY_LABEL));
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void laterStartsReadTheOlderDigestKeyFromTheDatabase(Db db) throws Exception {
        byte[] rootKey = Aead.newKey();
        String keyArg = "--keyhaven.root-key=" + Base64.getEncoder().encodeToString(rootKey);
        TestServer before = TestServers.fresh(db, keyArg);
        TestServer.Admin admin = TestServers.bootstrap(before);
        String today = before.bean(SecretDigests.class).digest(admin.token());
        before.close();
        writtenByTheCodeBefore(before, rootKey, Map.of(admin.token(), today));
        TestServers.start(db, before.dbUrl, before.dataDir, keyArg).close();
        // a stored older key that no root key derives: only reading it from the database opens this digest
        byte[] stored = Aead.newKey();
        try (Connection c = connect(before)) {
            update(
                    c,
                    "UPDATE data_keys SET wrapped_key = ? WHERE scope = 'digest' AND owner_id = 'v1'",
                    Aead.seal(rootKey, stored, "keyhaven:digest-key:v1"));
            update(
                    c,
                    "UPDATE identity_access_tokens SET token_digest = ? WHERE token_digest = ?",
                    HexFormat.of().formatHex(hmac(stored, admin.token())),
                    legacyDigest(rootKey, admin.token()));
        }

        try (TestServer after = TestServers.start(db, before.dbUrl, before.dataDir, keyArg)) {
            assertThat(after.as(admin.token())
                            .get("/api/v1/identities/" + admin.identityId())
                            .status())
                    .isEqualTo(200);
        }
    }

    /**
     * Turns the database into what the code before the instance digest key left: digests of the
     * given credentials keyed from the root key itself and no digest keys.
     */
    private static void writtenByTheCodeBefore(TestServer server, byte[] rootKey, Map<String, String> todayDigests)
            throws SQLException {
        try (Connection c = connect(server)) {
            for (Map.Entry<String, String> e : todayDigests.entrySet()) {
                String legacy = legacyDigest(rootKey, e.getKey());
                int rows = update(
                                c,
                                "UPDATE identity_access_tokens SET token_digest = ? WHERE token_digest = ?",
                                legacy,
                                e.getValue())
                        + update(
                                c,
                                "UPDATE identity_ua_client_secrets SET secret_digest = ? WHERE secret_digest = ?",
                                legacy,
                                e.getValue())
                        + update(
                                c,
                                "UPDATE user_session_tokens SET token_digest = ? WHERE token_digest = ?",
                                legacy,
                                e.getValue());
                assertThat(rows).as("one row holds each credential's digest").isEqualTo(1);
            }
            assertThat(update(c, "DELETE FROM data_keys WHERE scope = 'digest'"))
                    .isEqualTo(1);
            update(c, "DELETE FROM instance_meta WHERE name = 'legacy-credential-digests'");
            // then the upgrade: migration 3.17 runs on it (here by hand, as later migrations are already applied)
            try (Statement s = c.createStatement()) {
                s.executeUpdate(migration317());
            }
        }
    }

    private static String migration317() {
        try (InputStream in = CredentialDigestUpgradeTest.class.getResourceAsStream(
                "/db/migration/common/V3_17__legacy_credential_digests.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.startsWith("--"))
                    .collect(Collectors.joining("\n"))
                    .replace(";", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String personSession(TestServer server) {
        Res login = server.anonymous()
                .post(
                        "/api/v1/auth/login",
                        Map.of("email", TestServers.ADMIN_EMAIL, "password", TestServers.ADMIN_PASSWORD));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return login.body().path("accessToken").asString();
    }

    private static TestServer withAdmin(TestServer server, TestServer.Admin admin) {
        server.admin = admin;
        return server;
    }

    private static String legacyDigest(byte[] rootKey, String credential) {
        return HexFormat.of().formatHex(hmac(hmac(rootKey, LEGACY_LABEL), credential));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code "<owner> <wrapped key>"} for each credential digest key, by owner. */
    private static List<String> digestKeyRows(TestServer server) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(server);
                PreparedStatement s = c.prepareStatement(
                        "SELECT owner_id, wrapped_key FROM data_keys WHERE scope = 'digest' ORDER BY owner_id");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return rows;
    }

    private static String wrappedKey(TestServer server, String owner) throws SQLException {
        List<String> found = new ArrayList<>();
        for (String row : digestKeyRows(server)) {
            if (row.startsWith(owner + " ")) {
                found.add(row.substring(owner.length() + 1));
            }
        }
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static List<String> meta(TestServer server, String name) throws SQLException {
        return strings(server, "SELECT value FROM instance_meta WHERE name = ?", name);
    }

    private static int tokenDigestRows(TestServer server, String digest) throws SQLException {
        return strings(server, "SELECT id FROM identity_access_tokens WHERE token_digest = ?", digest)
                .size();
    }

    private static List<String> strings(TestServer server, String sql, String param) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(server);
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, param);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static int update(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setString(i + 1, params[i]);
            }
            return s.executeUpdate();
        }
    }

    private static Connection connect(TestServer server) throws SQLException {
        return server.db == Db.POSTGRESQL
                ? DriverManager.getConnection(server.dbUrl, TestServers.pgUser(), null)
                : DriverManager.getConnection(server.dbUrl);
    }
}
