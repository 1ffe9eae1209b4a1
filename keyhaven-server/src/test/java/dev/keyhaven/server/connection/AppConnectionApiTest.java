package dev.keyhaven.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * App connections through the API against the local PostgreSQL, MariaDB and Redis: credentials
 * are tested by a real login before they are saved, sealed, and never answered; the outbound
 * allow-list decides which hosts may be reached; org-level connections are shared to chosen
 * projects, project-level ones stay in theirs, and using one takes its own permission.
 */
class AppConnectionApiTest {
    private static final String BASE = "/api/v1/app-connections/";

    static Map<String, Object> credentials(String host, int port, String database, Targets.Login login) {
        Map<String, Object> c = new HashMap<>();
        c.put("host", host);
        c.put("port", port);
        if (database != null) {
            c.put("database", database);
        }
        c.put("username", login.username());
        c.put("password", login.password());
        c.put("sslEnabled", false);
        return c;
    }

    static Map<String, Object> body(String name, Map<String, Object> credentials, Map<String, Object> extra) {
        Map<String, Object> b = new HashMap<>();
        b.put("name", name);
        b.put("method", "username-and-password");
        b.put("credentials", credentials);
        b.putAll(extra);
        return b;
    }

    private static JsonNode created(Res res) {
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("appConnection");
    }

    private static List<String> auditTypes(TestServer server, String connectionId) {
        return server.bean(JdbcClient.class)
                .sql("SELECT event_type FROM audit_logs WHERE event_metadata LIKE ? ORDER BY created_at, event_type")
                .param("%" + connectionId + "%")
                .query(String.class)
                .list();
    }

    private static String sealed(TestServer server, String connectionId) {
        return server.bean(JdbcClient.class)
                .sql("SELECT sealed_credentials FROM app_connections WHERE id = ?")
                .param(connectionId)
                .query(String.class)
                .single();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void eachAppIsSavedAfterARealLoginAndNeverAnswersItsPassword(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        Map<String, Map<String, Object>> apps = Map.of(
                "postgres",
                        credentials(Targets.HOST, Targets.POSTGRES_PORT, Targets.POSTGRES_DB, Targets.postgresUser()),
                "mysql", credentials(Targets.HOST, Targets.MARIADB_PORT, Targets.MARIADB_DB, Targets.mariadbUser()),
                "redis", credentials("localhost", Targets.REDIS_PORT, null, Targets.redisUser()));
        apps.forEach((app, creds) -> {
            String password = (String) creds.get("password");
            String name = Fixtures.unique(app);
            JsonNode c = created(admin.post(BASE + app, body(name, creds, Map.of("description", "shared " + app))));
            String id = c.path("id").asString();
            assertThat(c.path("app").asString()).isEqualTo(app);
            assertThat(c.path("method").asString()).isEqualTo("username-and-password");
            assertThat(c.path("orgId").asString()).isEqualTo(server.admin.orgId());
            assertThat(c.path("projectId").isNull()).isTrue();
            assertThat(c.path("version").asInt()).isEqualTo(1);
            assertThat(c.path("credentials").path("username").asString()).isEqualTo(creds.get("username"));
            assertThat(c.path("credentials").path("port").asInt()).isEqualTo(creds.get("port"));
            assertThat(c.path("credentials").has("password")).isFalse();
            assertThat(c.path("credentialsHash").asString()).hasSize(64);

            Res one = admin.get(BASE + app + "/" + id);
            Res byName = admin.get(BASE + app + "/connection-name/" + name);
            Res list = admin.get(BASE + app);
            for (Res r : List.of(one, byName, list)) {
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                assertThat(r.raw()).contains(id).doesNotContain(password);
            }
            assertThat(sealed(server, id)).doesNotContain(password);
            assertThat(admin.get(BASE + (app.equals("redis") ? "postgres" : "redis") + "/" + id)
                            .status())
                    .as("another app's route does not find it")
                    .isEqualTo(404);
            assertThat(auditTypes(server, id)).containsExactly("create-app-connection");
        });
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void refusedCredentialsAreNotSavedAndTheErrorNamesNoCredential(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        Targets.Login my = Targets.mariadbUser();
        Targets.Login redis = Targets.redisUser();
        Map<String, Map<String, Object>> wrong = Map.of(
                "mysql",
                credentials(
                        Targets.HOST,
                        Targets.MARIADB_PORT,
                        Targets.MARIADB_DB,
                        new Targets.Login(my.username(), "wrong-" + my.password())),
                "redis",
                credentials(Targets.HOST, Targets.REDIS_PORT, null, new Targets.Login(redis.username(), "wrong-pw-x1")),
                "postgres",
                credentials(
                        Targets.HOST,
                        Targets.POSTGRES_PORT,
                        Targets.POSTGRES_DB,
                        new Targets.Login("kh_no_such_role", "nope-pw-x2")));
        wrong.forEach((app, creds) -> {
            String name = Fixtures.unique("bad-" + app);
            Res res = admin.post(BASE + app, body(name, creds, Map.of()));
            assertThat(res.status()).as(res.toString()).isEqualTo(400);
            assertThat(res.body().path("message").asString())
                    .startsWith("Unable to validate connection")
                    .doesNotContain((String) creds.get("password"));
            assertThat(admin.get(BASE + app + "/connection-name/" + name).status())
                    .isEqualTo(404);
        });
        Res injected = admin.post(
                BASE + "mysql",
                body(
                        Fixtures.unique("inj"),
                        credentials(
                                Targets.HOST,
                                Targets.MARIADB_PORT,
                                Targets.MARIADB_DB,
                                new Targets.Login("x'; DROP USER root; --", "pw\"; SELECT 1")),
                        Map.of()));
        assertThat(injected.status())
                .as("a user name with quotes and semicolons is a driver property, not SQL: " + injected)
                .isEqualTo(400);
        assertThat(injected.body().path("message").asString()).contains("refused the username or password");
        Res closedPort = admin.post(
                BASE + "redis", body(Fixtures.unique("closed"), credentials(Targets.HOST, 1, null, redis), Map.of()));
        assertThat(closedPort.status()).as(closedPort.toString()).isEqualTo(400);
        assertThat(closedPort.body().path("message").asString()).contains("could not connect to 127.0.0.1:1");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void hostsOutsideTheOutboundAllowListAreRefusedBeforeAnyConnection(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        Targets.Login pg = Targets.postgresUser();
        for (String host : List.of("10.0.0.5", "169.254.169.254", "192.168.1.1", "[fd00::1]", "0.0.0.0")) {
            Res res = admin.post(
                    BASE + "postgres",
                    body(
                            Fixtures.unique("blocked"),
                            credentials(host, Targets.POSTGRES_PORT, Targets.POSTGRES_DB, pg),
                            Map.of()));
            assertThat(res.status()).as(host + " " + res).isEqualTo(400);
            assertThat(res.body().path("message").asString())
                    .contains("blocked address")
                    .contains("KEYHAVEN_OUTBOUND_ALLOWLIST");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void badInputIsRefusedWithAClearErrorAndNothingSaved(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        Targets.Login pg = Targets.postgresUser();
        Map<String, Object> good = credentials(Targets.HOST, Targets.POSTGRES_PORT, Targets.POSTGRES_DB, pg);
        List<Map<String, Object>> badCredentials = List.of(
                with(good, "database", "test?socketFactory=java.lang.String"),
                with(good, "database", "test;drop"),
                with(good, "host", "127.0.0.1/other"),
                with(good, "host", "a b"),
                with(good, "port", 70000),
                with(good, "port", "5432x"),
                with(good, "password", ""),
                with(good, "username", "kh\nuser"),
                with(good, "sslEnabled", true),
                with(good, "sslEnabled", "yes"),
                without(good, "host"));
        for (Map<String, Object> creds : badCredentials) {
            Res res = admin.post(BASE + "postgres", body(Fixtures.unique("bad"), creds, Map.of()));
            assertThat(res.status()).as(creds + " " + res).isEqualTo(422);
        }
        List<Map<String, Object>> badBodies = List.of(
                body("Not A Slug", good, Map.of()),
                body("quote'name;", good, Map.of()),
                body(Fixtures.unique("gw"), good, Map.of("gatewayId", "7c9e6679-7425-40de-944b-e07fc1f90ae7")),
                body(Fixtures.unique("pm"), good, Map.of("isPlatformManagedCredentials", true)),
                body(Fixtures.unique("ds"), good, Map.of("description", "x".repeat(257))),
                body(Fixtures.unique("m"), good, Map.of("method", "access-key")));
        for (Map<String, Object> b : badBodies) {
            Res res = admin.post(BASE + "postgres", b);
            assertThat(res.status()).as(b.get("name") + " " + res).isEqualTo(422);
        }
        assertThat(admin.post(BASE + "oracle", body(Fixtures.unique("o"), good, Map.of()))
                        .status())
                .isEqualTo(404);
        String name = Fixtures.unique("dup");
        created(admin.post(BASE + "postgres", body(name, good, Map.of())));
        assertThat(admin.post(BASE + "postgres", body(name, good, Map.of())).status())
                .isEqualTo(409);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void updatesRetestNewCredentialsAndKeepTheOldOnesOnFailure(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        Targets.Login first = Targets.mariadbUser();
        Targets.Login second = Targets.mariadbUser();
        JsonNode c = created(admin.post(
                BASE + "mysql",
                body(
                        Fixtures.unique("my"),
                        credentials(Targets.HOST, Targets.MARIADB_PORT, Targets.MARIADB_DB, first),
                        Map.of())));
        String id = c.path("id").asString();
        String hash = c.path("credentialsHash").asString();

        Map<String, Object> noPassword =
                without(credentials(Targets.HOST, Targets.MARIADB_PORT, Targets.MARIADB_DB, second), "password");
        assertThat(admin.patch(BASE + "mysql/" + id, Map.of("credentials", noPassword))
                        .status())
                .as("new credentials come whole, password included")
                .isEqualTo(422);
        Res refused = admin.patch(
                BASE + "mysql/" + id,
                Map.of(
                        "credentials",
                        credentials(
                                Targets.HOST,
                                Targets.MARIADB_PORT,
                                Targets.MARIADB_DB,
                                new Targets.Login(second.username(), "wrong"))));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        JsonNode unchanged = admin.get(BASE + "mysql/" + id).body().path("appConnection");
        assertThat(unchanged.path("credentials").path("username").asString()).isEqualTo(first.username());
        assertThat(unchanged.path("version").asInt()).isEqualTo(1);

        String newName = Fixtures.unique("renamed");
        Res changed = admin.patch(
                BASE + "mysql/" + id,
                Map.of(
                        "name",
                        newName,
                        "credentials",
                        credentials(Targets.HOST, Targets.MARIADB_PORT, Targets.MARIADB_DB, second)));
        JsonNode after = created(changed);
        assertThat(after.path("name").asString()).isEqualTo(newName);
        assertThat(after.path("version").asInt()).isEqualTo(2);
        assertThat(after.path("credentials").path("username").asString()).isEqualTo(second.username());
        assertThat(after.path("credentialsHash").asString()).isNotEqualTo(hash);
        assertThat(changed.raw()).doesNotContain(second.password());

        Res deleted = admin.delete(BASE + "mysql/" + id, Map.of());
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(admin.get(BASE + "mysql/" + id).status()).isEqualTo(404);
        assertThat(auditTypes(server, id))
                .containsExactlyInAnyOrder("create-app-connection", "update-app-connection", "delete-app-connection");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void orgConnectionsAreSharedToChosenProjectsAndUsingOneTakesItsOwnPermission(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        Fixtures fx = new Fixtures(server);
        String shared = fx.project();
        String other = fx.project();
        Map<String, Object> pg =
                credentials(Targets.HOST, Targets.POSTGRES_PORT, Targets.POSTGRES_DB, Targets.postgresUser());

        JsonNode central = created(admin.post(
                BASE + "postgres", body(Fixtures.unique("central"), pg, Map.of("sharedProjectIds", List.of(shared)))));
        String centralId = central.path("id").asString();
        assertThat(central.path("sharedProjectIds").toString()).contains(shared);
        JsonNode own =
                created(admin.post(BASE + "postgres", body(Fixtures.unique("own"), pg, Map.of("projectId", other))));
        String ownId = own.path("id").asString();
        assertThat(own.path("projectId").asString()).isEqualTo(other);
        assertThat(admin.post(
                                BASE + "postgres",
                                body(
                                        Fixtures.unique("both"),
                                        pg,
                                        Map.of("projectId", other, "sharedProjectIds", List.of(shared))))
                        .status())
                .as("only org-level connections are shared")
                .isEqualTo(422);

        assertThat(admin.get(BASE + "postgres/available", "projectId", shared).raw())
                .contains(centralId)
                .doesNotContain(ownId);
        assertThat(admin.get(BASE + "postgres/available", "projectId", other).raw())
                .contains(ownId)
                .doesNotContain(centralId);
        assertThat(admin.get(BASE + "postgres", "projectId", shared).raw())
                .contains(centralId)
                .doesNotContain(ownId);
        assertThat(admin.get(BASE + "postgres").raw()).contains(centralId).doesNotContain(ownId);

        Fixtures.Machine member = fx.identity(shared, "member");
        Fixtures.Machine viewer = fx.identity(shared, "viewer");
        Res usable = member.api().get(BASE + "postgres/available", "projectId", shared);
        assertThat(usable.status()).as(usable.toString()).isEqualTo(200);
        assertThat(usable.raw()).contains(centralId);
        assertThat(viewer.api()
                        .get(BASE + "postgres/available", "projectId", shared)
                        .status())
                .as("connect-app-connections is a permission of its own")
                .isEqualTo(403);
        assertThat(member.api().get(BASE + "postgres/" + centralId).status())
                .as("using is not reading: the org-level connection needs org read")
                .isEqualTo(403);
        assertThat(member.api()
                        .post(BASE + "postgres", body(Fixtures.unique("m"), pg, Map.of("projectId", shared)))
                        .status())
                .isEqualTo(403);
        assertThat(member.api()
                        .get(BASE + "postgres/available", "projectId", other)
                        .status())
                .as("not a member of the other project")
                .isEqualTo(403);

        String elsewhere = fx.otherOrgAdminToken();
        assertThat(server.as(elsewhere).get(BASE + "postgres/" + centralId).status())
                .isEqualTo(404);
        assertThat(server.as(elsewhere).get(BASE + "postgres/" + ownId).status())
                .isEqualTo(404);
        assertThat(server.as(elsewhere)
                        .patch(BASE + "postgres/" + centralId, Map.of("name", "stolen"))
                        .status())
                .isEqualTo(404);

        JsonNode unshared = created(admin.patch(BASE + "postgres/" + centralId, Map.of("sharedProjectIds", List.of())));
        assertThat(unshared.path("sharedProjectIds").size()).isZero();
        assertThat(member.api()
                        .get(BASE + "postgres/available", "projectId", shared)
                        .raw())
                .doesNotContain(centralId);
        assertThat(admin.patch(
                                BASE + "postgres/" + centralId,
                                Map.of("sharedProjectIds", List.of("7c9e6679-7425-40de-944b-e07fc1f90ae7")))
                        .status())
                .as("a project of no org or of another org")
                .isEqualTo(404);
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }

    private static Map<String, Object> without(Map<String, Object> base, String key) {
        Map<String, Object> m = new HashMap<>(base);
        m.remove(key);
        return m;
    }
}
