package dev.keyhaven.server.dynamic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyhaven.server.connection.Targets;
import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Dynamic secrets and leases against the local PostgreSQL, MariaDB and Redis: a lease's credential
 * really logs in, and after revocation or expiry it no longer does; expiry is revoked once even
 * with several sweepers at once; a failed revocation is visible and retried; bad input is refused.
 */
class DynamicSecretApiTest {
    private static final String BASE = "/api/v1/dynamic-secrets";
    private static final Duration WAIT = Duration.ofSeconds(60);

    static final String PG_CREATE = "CREATE ROLE \"{{username}}\" WITH LOGIN PASSWORD '{{password}}'"
            + " VALID UNTIL '{{expiration}}'; GRANT CONNECT ON DATABASE {{database}} TO \"{{username}}\"";
    static final String PG_REVOKE =
            "REVOKE CONNECT ON DATABASE {{database}} FROM \"{{username}}\"; DROP ROLE IF EXISTS \"{{username}}\"";
    static final String PG_RENEW = "ALTER ROLE \"{{username}}\" VALID UNTIL '{{expiration}}'";
    static final String MY_CREATE = "CREATE USER '{{username}}'@'%' IDENTIFIED BY '{{password}}';"
            + " GRANT SELECT ON `{{database}}`.* TO '{{username}}'@'%'";
    static final String MY_REVOKE = "DROP USER IF EXISTS '{{username}}'@'%'";
    static final String REDIS_CREATE = "ACL SETUSER {{username}} on >{{password}} ~app:* +ping +get";
    static final String REDIS_REVOKE = "ACL DELUSER {{username}}";

    private record Project(String id, String slug) {}

    private static Project project(TestServer server) {
        String id = new Fixtures(server).project();
        String slug = server.admin()
                .get("/api/v1/workspace/" + id)
                .body()
                .path("workspace")
                .path("slug")
                .asString();
        return new Project(id, slug);
    }

    private static Map<String, Object> where(Project p) {
        Map<String, Object> m = new HashMap<>();
        m.put("projectSlug", p.slug());
        m.put("environmentSlug", "dev");
        m.put("path", "/");
        return m;
    }

    private static Map<String, Object> create(
            Project p, String name, String type, Map<String, Object> inputs, String maxTtl) {
        Map<String, Object> b = where(p);
        b.put("name", name);
        b.put("provider", Map.of("type", type, "inputs", inputs));
        b.put("defaultTTL", "1h");
        if (maxTtl != null) {
            b.put("maxTTL", maxTtl);
        }
        return b;
    }

    private static Map<String, Object> postgresInputs() {
        Map<String, Object> m = new HashMap<>();
        m.put("client", "postgres");
        m.put("host", Targets.HOST);
        m.put("port", Targets.POSTGRES_PORT);
        m.put("database", Targets.POSTGRES_DB);
        m.put("username", "postgres");
        m.put("password", "trusted-locally");
        m.put("creationStatement", PG_CREATE);
        m.put("revocationStatement", PG_REVOKE);
        m.put("renewStatement", PG_RENEW);
        return m;
    }

    private static Map<String, Object> mysqlInputs(Targets.Login admin) {
        Map<String, Object> m = new HashMap<>();
        m.put("client", "mysql2");
        m.put("host", Targets.HOST);
        m.put("port", Targets.MARIADB_PORT);
        m.put("database", Targets.MARIADB_DB);
        m.put("username", admin.username());
        m.put("password", admin.password());
        m.put("creationStatement", MY_CREATE);
        m.put("revocationStatement", MY_REVOKE);
        return m;
    }

    private static JsonNode ok(Res res) {
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body();
    }

    private static JsonNode lease(Api api, Project p, String name, String ttl) {
        Map<String, Object> b = where(p);
        b.put("dynamicSecretName", name);
        if (ttl != null) {
            b.put("ttl", ttl);
        }
        return ok(api.post(BASE + "/leases", b));
    }

    private static void expireNow(TestServer server, String leaseId) {
        server.bean(JdbcClient.class)
                .sql("UPDATE dynamic_secret_leases SET expire_at = 0, next_attempt_at = 0 WHERE id = ?")
                .param(leaseId)
                .update();
    }

    private static boolean leaseExists(TestServer server, String leaseId) {
        return server.bean(JdbcClient.class)
                        .sql("SELECT COUNT(*) FROM dynamic_secret_leases WHERE id = ?")
                        .param(leaseId)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    private static int auditCount(TestServer server, String type, String leaseId) {
        return server.bean(JdbcClient.class)
                .sql("SELECT COUNT(*) FROM audit_logs WHERE event_type = ? AND event_metadata LIKE ?")
                .params(type, "%" + leaseId + "%")
                .query(Integer.class)
                .single();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void postgresLeasesLogInRenewUpToMaxAndStopLoggingInAfterRevocation(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        Project p = project(server);
        String name = Fixtures.unique("pg");
        JsonNode ds = ok(admin.post(BASE, create(p, name, "sql-database", postgresInputs(), "2h")))
                .path("dynamicSecret");
        assertThat(ds.path("type").asString()).isEqualTo("sql-database");
        assertThat(ds.path("defaultTTL").asString()).isEqualTo("1h");
        assertThat(ds.path("maxTTL").asString()).isEqualTo("2h");
        assertThat(ds.path("inputs").has("password")).isFalse();
        assertThat(admin.get(BASE + "/" + name, "projectSlug", p.slug(), "environmentSlug", "dev", "path", "/")
                        .raw())
                .doesNotContain("trusted-locally");

        JsonNode issued = lease(admin, p, name, "30m");
        String user = issued.path("data").path("DB_USERNAME").asString();
        String password = issued.path("data").path("DB_PASSWORD").asString();
        String leaseId = issued.path("lease").path("id").asString();
        assertThat(issued.path("lease").path("externalEntityId").asString()).isEqualTo(user);
        assertThat(Targets.postgresLogsIn(user, password)).isTrue();

        Map<String, Object> renew = where(p);
        renew.put("ttl", "1h");
        JsonNode renewed =
                ok(admin.post(BASE + "/leases/" + leaseId + "/renew", renew)).path("lease");
        assertThat(renewed.path("version").asInt()).isEqualTo(2);
        renew.put("ttl", "3h");
        Res pastMax = admin.post(BASE + "/leases/" + leaseId + "/renew", renew);
        assertThat(pastMax.status()).as(pastMax.toString()).isEqualTo(400);
        assertThat(pastMax.body().path("message").asString()).contains("max TTL");

        assertThat(lease(admin, p, name, null).path("lease").path("id").asString())
                .isNotBlank();
        Res beyondMax = admin.post(BASE + "/leases", with(where(p), "dynamicSecretName", name, "ttl", "3h"));
        assertThat(beyondMax.status()).as(beyondMax.toString()).isEqualTo(400);

        Map<String, Object> revoke = where(p);
        ok(admin.delete(BASE + "/leases/" + leaseId, revoke));
        assertThat(Targets.postgresLogsIn(user, password)).isFalse();
        assertThat(admin.get(
                                BASE + "/leases/" + leaseId,
                                "projectSlug",
                                p.slug(),
                                "environmentSlug",
                                "dev",
                                "path",
                                "/")
                        .status())
                .isEqualTo(404);
        assertThat(auditCount(server, "create-dynamic-secret-lease", leaseId)).isEqualTo(1);
        assertThat(auditCount(server, "renew-dynamic-secret-lease", leaseId)).isEqualTo(1);
        assertThat(auditCount(server, "delete-dynamic-secret-lease", leaseId)).isEqualTo(1);

        Map<String, Object> del = where(p);
        JsonNode deleted = ok(admin.delete(BASE + "/" + name, del));
        assertThat(deleted.path("dynamicSecret").path("name").asString()).isEqualTo(name);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void mariadbLeasesExpireByThemselvesAndTheCredentialStopsWorking(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        Project p = project(server);
        String name = Fixtures.unique("my");
        ok(admin.post(BASE, create(p, name, "sql-database", mysqlInputs(Targets.mariadbAdmin()), null)));
        JsonNode issued = lease(admin, p, name, "10m");
        String user = issued.path("data").path("DB_USERNAME").asString();
        String password = issued.path("data").path("DB_PASSWORD").asString();
        String leaseId = issued.path("lease").path("id").asString();
        assertThat(Targets.mariadbLogsIn(user, password)).isTrue();
        assertThat(Targets.mariadbLogsIn(user, password + "x"))
                .as("the password is really checked")
                .isFalse();

        expireNow(server, leaseId);
        await().atMost(WAIT).until(() -> !leaseExists(server, leaseId));
        assertThat(Targets.mariadbLogsIn(user, password)).isFalse();
        assertThat(auditCount(server, "expire-dynamic-secret-lease", leaseId)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void redisLeasesThroughASharedOrgConnectionAreRevokedExactlyOnceBySweepersAtOnce(Db db) throws Exception {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        Project p = project(server);
        Targets.Login root = Targets.redisAdmin();
        Map<String, Object> creds = new HashMap<>();
        creds.put("host", Targets.HOST);
        creds.put("port", Targets.REDIS_PORT);
        creds.put("username", root.username());
        creds.put("password", root.password());
        String connectionId = ok(admin.post(
                        "/api/v1/app-connections/redis",
                        Map.of(
                                "name",
                                Fixtures.unique("central-redis"),
                                "method",
                                "username-and-password",
                                "credentials",
                                creds,
                                "sharedProjectIds",
                                List.of(p.id()))))
                .path("appConnection")
                .path("id")
                .asString();
        String name = Fixtures.unique("rd");
        Map<String, Object> inputs = new HashMap<>();
        inputs.put("connectionId", connectionId);
        inputs.put("creationStatement", REDIS_CREATE);
        inputs.put("revocationStatement", REDIS_REVOKE);
        JsonNode ds =
                ok(admin.post(BASE, create(p, name, "redis", inputs, null))).path("dynamicSecret");
        assertThat(ds.path("inputs").path("connectionId").asString()).isEqualTo(connectionId);
        assertThat(ds.path("inputs").has("host")).isFalse();

        List<String> leaseIds = new ArrayList<>();
        Map<String, String> passwords = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            JsonNode issued = lease(admin, p, name, null);
            String user = issued.path("data").path("DB_USERNAME").asString();
            passwords.put(user, issued.path("data").path("DB_PASSWORD").asString());
            leaseIds.add(issued.path("lease").path("id").asString());
        }
        passwords.forEach((u, pw) -> assertThat(Targets.redisLogsIn(u, pw)).isTrue());

        leaseIds.forEach(id -> expireNow(server, id));
        LeaseExpiry expiry = server.bean(LeaseExpiry.class);
        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> expiry.sweep("test-node-a"));
        CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> expiry.sweep("test-node-b"));
        a.get();
        b.get();
        await().atMost(WAIT).until(() -> leaseIds.stream().noneMatch(id -> leaseExists(server, id)));
        for (String id : leaseIds) {
            assertThat(auditCount(server, "expire-dynamic-secret-lease", id))
                    .as(id)
                    .isEqualTo(1);
        }
        passwords.forEach(
                (u, pw) -> assertThat(Targets.redisLogsIn(u, pw)).as(u).isFalse());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aFailedRevocationIsVisibleAndRetried(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        Project p = project(server);
        Targets.Login root = Targets.redisAdmin();
        Map<String, Object> creds = new HashMap<>();
        creds.put("host", Targets.HOST);
        creds.put("port", Targets.REDIS_PORT);
        creds.put("username", root.username());
        creds.put("password", root.password());
        String connectionId = ok(admin.post(
                        "/api/v1/app-connections/redis",
                        Map.of(
                                "name",
                                Fixtures.unique("shared-redis"),
                                "method",
                                "username-and-password",
                                "credentials",
                                creds,
                                "sharedProjectIds",
                                List.of(p.id()))))
                .path("appConnection")
                .path("id")
                .asString();
        String name = Fixtures.unique("rd");
        Map<String, Object> inputs = new HashMap<>();
        inputs.put("connectionId", connectionId);
        inputs.put("creationStatement", REDIS_CREATE);
        inputs.put("revocationStatement", REDIS_REVOKE);
        ok(admin.post(BASE, create(p, name, "redis", inputs, null)));
        JsonNode issued = lease(admin, p, name, null);
        String leaseId = issued.path("lease").path("id").asString();
        String user = issued.path("data").path("DB_USERNAME").asString();
        String password = issued.path("data").path("DB_PASSWORD").asString();

        ok(admin.patch("/api/v1/app-connections/redis/" + connectionId, Map.of("sharedProjectIds", List.of())));
        expireNow(server, leaseId);
        server.bean(LeaseExpiry.class).sweep("test-node");
        JsonNode failed = ok(admin.get(
                        BASE + "/leases/" + leaseId, "projectSlug", p.slug(), "environmentSlug", "dev", "path", "/"))
                .path("lease");
        assertThat(failed.path("status").asString()).isEqualTo("FailedDeletion");
        assertThat(failed.path("statusDetails").asString()).contains("no longer shared");
        assertThat(auditCount(server, "dynamic-secret-lease-revocation-failed", leaseId))
                .isEqualTo(1);
        assertThat(Targets.redisLogsIn(user, password)).isTrue();

        ok(admin.patch("/api/v1/app-connections/redis/" + connectionId, Map.of("sharedProjectIds", List.of(p.id()))));
        expireNow(server, leaseId);
        await().atMost(WAIT).until(() -> !leaseExists(server, leaseId));
        assertThat(Targets.redisLogsIn(user, password)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void badInputIsRefusedAndNothingIsMade(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        Project p = project(server);
        Project other = project(server);

        Map<String, Object> undocumented = postgresInputs();
        undocumented.put("creationStatement", "CREATE ROLE \"{{identity.name}}\" LOGIN PASSWORD '{{password}}'");
        Res r1 = admin.post(BASE, create(p, Fixtures.unique("u"), "sql-database", undocumented, null));
        assertThat(r1.status()).as(r1.toString()).isEqualTo(400);
        assertThat(r1.body().path("message").asString()).contains("{{identity.name}}");

        Map<String, Object> unclosed = postgresInputs();
        unclosed.put("revocationStatement", "DROP ROLE \"{{username\"");
        assertThat(admin.post(BASE, create(p, Fixtures.unique("u"), "sql-database", unclosed, null))
                        .status())
                .isEqualTo(400);

        Map<String, Object> blocked = postgresInputs();
        blocked.put("host", "169.254.169.254");
        Res r2 = admin.post(BASE, create(p, Fixtures.unique("b"), "sql-database", blocked, null));
        assertThat(r2.status()).as(r2.toString()).isEqualTo(400);
        assertThat(r2.body().path("message").asString()).contains("KEYHAVEN_OUTBOUND_ALLOWLIST");

        Map<String, Object> redisOther = new HashMap<>();
        redisOther.put("host", Targets.HOST);
        redisOther.put("port", Targets.REDIS_PORT);
        redisOther.put("username", "x");
        redisOther.put("password", "y");
        redisOther.put("creationStatement", "FLUSHALL");
        redisOther.put("revocationStatement", REDIS_REVOKE);
        assertThat(admin.post(BASE, create(p, Fixtures.unique("r"), "redis", redisOther, null))
                        .status())
                .isEqualTo(400);

        assertThat(admin.post(BASE, create(p, "quote'name;", "sql-database", postgresInputs(), null))
                        .status())
                .isEqualTo(422);
        Map<String, Object> tooLong = create(p, Fixtures.unique("t"), "sql-database", postgresInputs(), "1h");
        tooLong.put("defaultTTL", "2h");
        assertThat(admin.post(BASE, tooLong).status()).isEqualTo(400);
        assertThat(admin.post(
                                BASE,
                                with(
                                        create(p, Fixtures.unique("ut"), "sql-database", postgresInputs(), null),
                                        "usernameTemplate",
                                        "{{randomUsername}}"))
                        .status())
                .isEqualTo(422);

        String name = Fixtures.unique("pg");
        ok(admin.post(BASE, create(p, name, "sql-database", postgresInputs(), "1h")));
        Res beyond = admin.post(BASE + "/leases", with(where(p), "dynamicSecretName", name, "ttl", "2h"));
        assertThat(beyond.status()).as(beyond.toString()).isEqualTo(400);
        String leaseId = lease(admin, p, name, "10m").path("lease").path("id").asString();

        Res fromOtherProject = admin.get(
                BASE + "/leases/" + leaseId, "projectSlug", other.slug(), "environmentSlug", "dev", "path", "/");
        assertThat(fromOtherProject.status()).as(fromOtherProject.toString()).isEqualTo(404);
        assertThat(admin.delete(BASE + "/leases/" + leaseId, where(other)).status())
                .isEqualTo(404);
        Api elsewhere = server.as(new Fixtures(server).otherOrgAdminToken());
        assertThat(elsewhere
                        .get(
                                BASE + "/leases/" + leaseId,
                                "projectSlug",
                                p.slug(),
                                "environmentSlug",
                                "dev",
                                "path",
                                "/")
                        .status())
                .isEqualTo(404);
        assertThat(leaseExists(server, leaseId)).isTrue();

        Fixtures.Machine viewer = new Fixtures(server).identity(p.id(), "viewer");
        Map<String, Object> byViewer = where(p);
        byViewer.put("dynamicSecretName", name);
        assertThat(viewer.api().post(BASE + "/leases", byViewer).status()).isEqualTo(403);

        ok(admin.delete(BASE + "/leases/" + leaseId, where(p)));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aProjectWithDynamicSecretsLeasesAndConnectionsCanBeDeleted(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        Project p = project(server);
        Targets.Login root = Targets.redisAdmin();
        Map<String, Object> creds = new HashMap<>();
        creds.put("host", Targets.HOST);
        creds.put("port", Targets.REDIS_PORT);
        creds.put("username", root.username());
        creds.put("password", root.password());
        String own = ok(admin.post(
                        "/api/v1/app-connections/redis",
                        Map.of(
                                "name",
                                Fixtures.unique("own-redis"),
                                "method",
                                "username-and-password",
                                "credentials",
                                creds,
                                "projectId",
                                p.id())))
                .path("appConnection")
                .path("id")
                .asString();
        Map<String, Object> inputs = new HashMap<>();
        inputs.put("connectionId", own);
        inputs.put("creationStatement", REDIS_CREATE);
        inputs.put("revocationStatement", REDIS_REVOKE);
        String name = Fixtures.unique("rd");
        ok(admin.post(BASE, create(p, name, "redis", inputs, null)));
        JsonNode issued = lease(admin, p, name, null);
        String leaseId = issued.path("lease").path("id").asString();
        String user = issued.path("data").path("DB_USERNAME").asString();
        String password = issued.path("data").path("DB_PASSWORD").asString();

        Res deleted = admin.delete("/api/v1/workspace/" + p.id(), Map.of());
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(leaseExists(server, leaseId)).isFalse();
        assertThat(admin.get("/api/v1/app-connections/redis/" + own).status()).isEqualTo(404);
        // the documented limit: a project's deletion does not revoke its leases
        assertThat(Targets.redisLogsIn(user, password)).isTrue();
        assertThat(Targets.redisDeleteUser(user)).isTrue();
    }

    private static Map<String, Object> with(Map<String, Object> base, Object... kv) {
        Map<String, Object> m = new HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
