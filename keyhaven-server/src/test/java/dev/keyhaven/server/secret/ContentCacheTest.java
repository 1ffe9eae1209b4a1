package dev.keyhaven.server.secret;

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

/**
 * Single-secret reads (v3 and v4 by name, v3 by id) find environments, folders, rows and tags in
 * the {@link ContentCache}, and every kind of change to them — a value, tags, a rename, a
 * deletion, a folder or environment renamed, an import added, the reader's permissions — is seen
 * on the very next read. Each change is made while the read is known to come from the cache.
 */
class ContentCacheTest {

    /** The three single-secret reads of one secret, as a client sends them. */
    private record Reads(Api reader, String project, String env, String path, String key) {
        Res v3() {
            return reader.get(
                    "/api/v3/secrets/raw/" + key, "workspaceId", project, "environment", env, "secretPath", path);
        }

        Res v4() {
            return reader.get("/api/v4/secrets/" + key, "projectId", project, "environment", env, "secretPath", path);
        }

        Res byId(String id) {
            return reader.get("/api/v3/secrets/raw/id/" + id);
        }
    }

    private static String value(Res res) {
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("secret").path("secretValue").asString();
    }

    /** Reads twice; the second read finds what it looks up in the cache and answers the same bytes. */
    private static Res cached(TestServer server, java.util.function.Supplier<Res> read) {
        ContentCache cache = server.bean(ContentCache.class);
        Res first = read.get();
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        long before = cache.served();
        Res second = read.get();
        assertThat(cache.served())
                .as("the second read finds its rows in the cache")
                .isGreaterThan(before);
        assertThat(second.raw()).isEqualTo(first.raw());
        return second;
    }

    private static void patch(Api api, String project, String env, String key, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(Map.of("workspaceId", project, "environment", env, "secretPath", "/"));
        body.putAll(fields);
        Res res = api.patch("/api/v3/secrets/raw/" + key, body);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyChangeIsSeenOnTheNextRead(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        f.createSecret(admin, p, "prod", "/", "K", "v1");
        String id = f.createSecret(admin, p, "prod", "/", "BY_ID", "i1")
                .body()
                .path("secret")
                .path("id")
                .asString();
        Fixtures.Machine m = f.identity(p, "viewer");
        Reads k = new Reads(m.api(), p, "prod", "/", "K");

        // a value changes: seen by each of the three reads
        assertThat(value(cached(server, k::v3))).isEqualTo("v1");
        patch(admin, p, "prod", "K", Map.of("secretValue", "v2"));
        assertThat(value(k.v3())).isEqualTo("v2");
        assertThat(value(cached(server, k::v4))).isEqualTo("v2");
        patch(admin, p, "prod", "K", Map.of("secretValue", "v3"));
        assertThat(value(k.v4())).isEqualTo("v3");
        assertThat(value(cached(server, () -> k.byId(id)))).isEqualTo("i1");
        patch(admin, p, "prod", "BY_ID", Map.of("secretValue", "i2"));
        assertThat(value(k.byId(id))).isEqualTo("i2");

        // a tag is attached, then renamed
        String tagId = admin.post("/api/v1/workspace/" + p + "/tags", Map.of("slug", "team-a", "color", "#00ff00"))
                .body()
                .path("workspaceTag")
                .path("id")
                .asString();
        cached(server, k::v3);
        patch(admin, p, "prod", "K", Map.of("tagIds", List.of(tagId)));
        assertThat(k.v3().body().path("secret").path("tags").get(0).path("slug").asString())
                .isEqualTo("team-a");
        cached(server, () -> k.byId(id));
        patch(admin, p, "prod", "BY_ID", Map.of("tagIds", List.of(tagId)));
        assertThat(k.byId(id).body().path("secret").path("tags").size()).isEqualTo(1);
        cached(server, k::v3);
        assertThat(admin.patch("/api/v1/projects/" + p + "/tags/" + tagId, Map.of("slug", "team-b"))
                        .status())
                .isEqualTo(200);
        assertThat(k.v3().body().path("secret").path("tags").get(0).path("slug").asString())
                .isEqualTo("team-b");

        // the secret is renamed: the old name is gone at once
        cached(server, k::v4);
        patch(admin, p, "prod", "K", Map.of("newSecretName", "K2"));
        assertThat(k.v4().status()).isEqualTo(404);
        Reads k2 = new Reads(m.api(), p, "prod", "/", "K2");
        assertThat(value(cached(server, k2::v3))).isEqualTo("v3");

        // a secret read by id is deleted
        cached(server, () -> k.byId(id));
        assertThat(admin.delete("/api/v3/secrets/raw/BY_ID", Map.of("workspaceId", p, "environment", "prod"))
                        .status())
                .isEqualTo(200);
        assertThat(k.byId(id).status()).isEqualTo(404);

        // the folder a secret lives in is renamed
        f.folder(p, "prod", "/", "api");
        f.createSecret(admin, p, "prod", "/api", "DEEP", "d");
        Reads deep = new Reads(m.api(), p, "prod", "/api", "DEEP");
        cached(server, deep::v3);
        String folderId = admin.get("/api/v1/folders", "workspaceId", p, "environment", "prod", "path", "/")
                .body()
                .path("folders")
                .get(0)
                .path("id")
                .asString();
        Res renamed = admin.patch(
                "/api/v1/folders/" + folderId,
                Map.of("workspaceId", p, "environment", "prod", "path", "/", "name", "api2"));
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(deep.v3().status()).isEqualTo(404);
        assertThat(value(new Reads(m.api(), p, "prod", "/api2", "DEEP").v3())).isEqualTo("d");

        // the environment is renamed
        cached(server, k2::v3);
        String envId = admin.get("/api/v1/projects/" + p + "/environments/slug/prod")
                .body()
                .path("environment")
                .path("id")
                .asString();
        Res env = admin.patch(
                "/api/v1/projects/" + p + "/environments/" + envId, Map.of("name", "Production", "slug", "live"));
        assertThat(env.status()).as(env.toString()).isEqualTo(200);
        assertThat(k2.v3().status()).isEqualTo(404);
        assertThat(value(new Reads(m.api(), p, "live", "/", "K2").v3())).isEqualTo("v3");

        // an import brings in a secret the folder does not have
        f.createSecret(admin, p, "dev", "/", "FROM_DEV", "fd");
        Reads imported = new Reads(m.api(), p, "live", "/", "FROM_DEV");
        assertThat(imported.reader()
                        .get(
                                "/api/v3/secrets/raw/FROM_DEV",
                                "workspaceId",
                                p,
                                "environment",
                                "live",
                                "include_imports",
                                "true")
                        .status())
                .isEqualTo(404);
        Res imp = admin.post(
                "/api/v1/secret-imports",
                Map.of(
                        "workspaceId",
                        p,
                        "environment",
                        "live",
                        "path",
                        "/",
                        "import",
                        Map.of("environment", "dev", "path", "/")));
        assertThat(imp.status()).as(imp.toString()).isEqualTo(200);
        assertThat(value(imported.reader()
                        .get(
                                "/api/v3/secrets/raw/FROM_DEV",
                                "workspaceId",
                                p,
                                "environment",
                                "live",
                                "include_imports",
                                "true")))
                .isEqualTo("fd");

        // the reader's permissions change: the value is hidden on the next read
        String role = describerRole(admin, p);
        Reads live = new Reads(m.api(), p, "live", "/", "K2");
        cached(server, live::v3);
        Res lowered = admin.patch(
                "/api/v2/workspace/" + p + "/identity-memberships/" + m.id(),
                Map.of("roles", List.of(Map.of("role", role, "isTemporary", false))));
        assertThat(lowered.status()).as(lowered.toString()).isEqualTo(200);
        Res hidden = live.v3();
        assertThat(hidden.status()).as(hidden.toString()).isEqualTo(200);
        assertThat(hidden.body().path("secret").path("secretValueHidden").asBoolean())
                .isTrue();
        assertThat(hidden.raw()).doesNotContain("\"v3\"");
    }

    private static String describerRole(Api admin, String project) {
        return admin.post(
                        "/api/v2/workspace/" + project + "/roles",
                        Map.of(
                                "slug",
                                "describer",
                                "name",
                                "describer",
                                "permissions",
                                List.of(Map.of("subject", "secrets", "action", "describeSecret"))))
                .body()
                .path("role")
                .path("slug")
                .asString();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void readersNeverGetAnotherReadersOutcomeAndEveryReadIsAudited(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        f.createSecret(admin, p, "prod", "/", "K", "secret-value");
        Fixtures.Machine viewer = f.identity(p, "viewer");
        Fixtures.Machine describer = f.identity(p, describerRole(admin, p));
        Fixtures.Machine outsider = f.identity(f.project(), "viewer");
        Reads asViewer = new Reads(viewer.api(), p, "prod", "/", "K");

        assertThat(value(cached(server, asViewer::v3))).isEqualTo("secret-value");
        Res hidden = new Reads(describer.api(), p, "prod", "/", "K").v3();
        assertThat(hidden.status()).isEqualTo(200);
        assertThat(hidden.body().path("secret").path("secretValueHidden").asBoolean())
                .isTrue();
        assertThat(hidden.raw()).doesNotContain("secret-value");
        Res refused = new Reads(outsider.api(), p, "prod", "/", "K").v3();
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.raw()).doesNotContain("secret-value");

        // both reads in cached(), the second from the cache, have their audit row
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(5))
                .untilAsserted(() -> {
                    Res logs = admin.get(
                            "/api/v1/organization/audit-logs",
                            "projectId",
                            p,
                            "eventType",
                            "get-secret",
                            "actor",
                            viewer.id(),
                            "limit",
                            "100");
                    assertThat(logs.body().path("auditLogs").size())
                            .as(logs.toString())
                            .isEqualTo(2);
                });
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aPersonalOverrideIsServedToItsOwnerOnly(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        f.createSecret(server.admin(), p, "dev", "/", "DB_USER", "shared-user");
        dev.keyhaven.server.actor.Actor user = new dev.keyhaven.server.actor.Actor(
                dev.keyhaven.server.actor.ActorType.USER,
                server.admin.userId(),
                null,
                TestServers.ADMIN_EMAIL,
                server.admin.orgId(),
                "admin",
                null,
                "127.0.0.1",
                "test");
        server.bean(org.springframework.transaction.support.TransactionTemplate.class)
                .executeWithoutResult(s -> server.bean(dev.keyhaven.server.access.MembershipService.class)
                        .addCreator(p, user));
        server.bean(SecretWriter.class)
                .create(
                        user,
                        new SecretWriter.Target(p, null, "dev", "/"),
                        List.of(new SecretInput(
                                "DB_USER",
                                "my-own-user",
                                null,
                                null,
                                null,
                                null,
                                null,
                                "personal",
                                null,
                                null,
                                null,
                                null,
                                null)));
        SecretReader reader = server.bean(SecretReader.class);
        ContentCache cache = server.bean(ContentCache.class);
        SecretReader.GetQuery personal =
                new SecretReader.GetQuery(p, null, "dev", "/", "DB_USER", "personal", null, true, false, false);
        SecretReader.GetQuery shared =
                new SecretReader.GetQuery(p, null, "dev", "/", "DB_USER", null, null, true, false, false);

        // the owner's override, twice (the second from the cache), then the shared value
        assertThat(reader.get(user, personal)).containsEntry("secretValue", "my-own-user");
        long before = cache.served();
        assertThat(reader.get(user, personal)).containsEntry("secretValue", "my-own-user");
        assertThat(cache.served()).isGreaterThan(before);
        assertThat(reader.get(user, shared)).containsEntry("secretValue", "shared-user");

        // a machine identity reading the same name right after gets the shared value, by name and in a listing
        Api identity = f.identity(p, "viewer").api();
        Res one = identity.get("/api/v3/secrets/raw/DB_USER", "workspaceId", p, "environment", "dev");
        assertThat(value(one)).isEqualTo("shared-user");
        assertThat(one.raw()).doesNotContain("my-own-user");
        Res personalAsIdentity =
                identity.get("/api/v3/secrets/raw/DB_USER", "workspaceId", p, "environment", "dev", "type", "personal");
        assertThat(personalAsIdentity.raw()).doesNotContain("my-own-user");
        Res listing = identity.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev");
        assertThat(listing.raw()).contains("shared-user").doesNotContain("my-own-user");
    }
}
