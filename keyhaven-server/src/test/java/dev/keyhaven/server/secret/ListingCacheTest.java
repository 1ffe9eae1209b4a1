package dev.keyhaven.server.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Repeated listings come from the {@link ListingCache}, byte for byte what a render gives, and
 * every kind of change to what a listing shows — values, new and deleted secrets, a referenced
 * secret elsewhere, tags, imports, folders, the reader's permissions — is seen on the very next
 * read. Each change is made while the listing is known to be cached.
 */
class ListingCacheTest {

    private static Res list(Api reader, String project, Object... extra) {
        Object[] q = new Object[6 + extra.length];
        System.arraycopy(
                new Object[] {"workspaceId", project, "environment", "prod", "expandSecretReferences", "true"},
                0,
                q,
                0,
                6);
        System.arraycopy(extra, 0, q, 6, extra.length);
        Res res = reader.get("/api/v3/secrets/raw", q);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res;
    }

    /** Reads twice, checks the second read came from the cache with the same bytes, returns it. */
    private static Res cached(TestServer server, Api reader, String project, Object... extra) {
        ListingCache cache = server.bean(ListingCache.class);
        Res first = list(reader, project, extra);
        long before = cache.served();
        Res second = list(reader, project, extra);
        assertThat(cache.served())
                .as("the second read is served from the cache")
                .isEqualTo(before + 1);
        assertThat(second.raw()).isEqualTo(first.raw());
        return second;
    }

    private static String value(Res listing, String key) {
        return Fixtures.byKey(listing.body().path("secrets"), key)
                .path("secretValue")
                .asString();
    }

    private static void patch(Api api, String project, String env, String key, Map<String, Object> fields) {
        Map<String, Object> body =
                new java.util.HashMap<>(Map.of("workspaceId", project, "environment", env, "secretPath", "/"));
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
        f.createSecret(admin, p, "dev", "/", "SHARED", "dev-1");
        f.createSecret(admin, p, "prod", "/", "K", "v1");
        f.createSecret(admin, p, "prod", "/", "URL", "db://${dev.SHARED}");
        Fixtures.Machine m = f.identity(p, "viewer");
        Api reader = m.api();

        // a value changes
        assertThat(value(cached(server, reader, p), "K")).isEqualTo("v1");
        patch(admin, p, "prod", "K", Map.of("secretValue", "v2"));
        assertThat(value(list(reader, p), "K")).isEqualTo("v2");

        // a secret is added, then deleted
        cached(server, reader, p);
        f.createSecret(admin, p, "prod", "/", "NEW", "n");
        assertThat(Fixtures.keys(list(reader, p).body().path("secrets"))).contains("NEW");
        cached(server, reader, p);
        assertThat(admin.delete("/api/v3/secrets/raw/NEW", Map.of("workspaceId", p, "environment", "prod"))
                        .status())
                .isEqualTo(200);
        assertThat(Fixtures.keys(list(reader, p).body().path("secrets"))).doesNotContain("NEW");

        // a secret in another environment that a value refers to
        assertThat(value(cached(server, reader, p), "URL")).isEqualTo("db://dev-1");
        patch(admin, p, "dev", "SHARED", Map.of("secretValue", "dev-2"));
        assertThat(value(list(reader, p), "URL")).isEqualTo("db://dev-2");

        // a tag is attached, then renamed
        Res tag = admin.post("/api/v1/workspace/" + p + "/tags", Map.of("slug", "team-a", "color", "#00ff00"));
        String tagId = tag.body().path("workspaceTag").path("id").asString();
        cached(server, reader, p);
        patch(admin, p, "prod", "K", Map.of("tagIds", List.of(tagId)));
        JsonNode tags =
                Fixtures.byKey(list(reader, p).body().path("secrets"), "K").path("tags");
        assertThat(tags.get(0).path("slug").asString()).isEqualTo("team-a");
        cached(server, reader, p);
        assertThat(admin.patch("/api/v1/projects/" + p + "/tags/" + tagId, Map.of("slug", "team-b"))
                        .status())
                .isEqualTo(200);
        tags = Fixtures.byKey(list(reader, p).body().path("secrets"), "K").path("tags");
        assertThat(tags.get(0).path("slug").asString()).isEqualTo("team-b");

        // an import is added
        cached(server, reader, p, "include_imports", "true");
        Res imp = admin.post(
                "/api/v1/secret-imports",
                Map.of(
                        "workspaceId",
                        p,
                        "environment",
                        "prod",
                        "path",
                        "/",
                        "import",
                        Map.of("environment", "dev", "path", "/")));
        assertThat(imp.status()).as(imp.toString()).isEqualTo(200);
        assertThat(list(reader, p, "include_imports", "true")
                        .body()
                        .path("imports")
                        .size())
                .isEqualTo(1);

        // a folder with a secret appears in a recursive listing
        cached(server, reader, p, "recursive", "true");
        f.folder(p, "prod", "/", "api");
        f.createSecret(admin, p, "prod", "/api", "DEEP", "d");
        assertThat(Fixtures.keys(list(reader, p, "recursive", "true").body().path("secrets")))
                .contains("DEEP");

        // the reader's permissions change: values become hidden
        String role = admin.post(
                        "/api/v2/workspace/" + p + "/roles",
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
        cached(server, reader, p);
        assertThat(admin.patch(
                                "/api/v2/workspace/" + p + "/identity-memberships/" + m.id(),
                                Map.of("roles", List.of(Map.of("role", role, "isTemporary", false))))
                        .status())
                .isEqualTo(200);
        JsonNode k = Fixtures.byKey(list(reader, p).body().path("secrets"), "K");
        assertThat(k.path("secretValueHidden").asBoolean()).isTrue();
        assertThat(k.path("secretValue").asString()).isNotEqualTo("v2");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void readersDoNotShareEntriesAndEveryReadIsAudited(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        f.createSecret(admin, p, "prod", "/", "K", "v");
        Fixtures.Machine viewer = f.identity(p, "viewer");
        String role = admin.post(
                        "/api/v2/workspace/" + p + "/roles",
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
        Fixtures.Machine describer = f.identity(p, role);
        Fixtures.Machine outsider = f.identity(f.project(), "viewer");

        assertThat(value(cached(server, viewer.api(), p), "K")).isEqualTo("v");
        // another reader's entry never answers: its own permissions decide
        JsonNode hidden = Fixtures.byKey(list(describer.api(), p).body().path("secrets"), "K");
        assertThat(hidden.path("secretValueHidden").asBoolean()).isTrue();
        Res refused = outsider.api().get("/api/v3/secrets/raw", "workspaceId", p, "environment", "prod");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.raw()).doesNotContain("\"v\"");

        // two reads by the viewer in cached(), the second from the cache: both have their audit row
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(5))
                .untilAsserted(() -> {
                    Res logs = admin.get(
                            "/api/v1/organization/audit-logs",
                            "projectId",
                            p,
                            "eventType",
                            "get-secrets",
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
    void readersRacingAWriterNeverGoBackInTime(Db db) throws Exception {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        f.createSecret(admin, p, "prod", "/", "K", "0");
        Fixtures.Machine m = f.identity(p, "viewer");
        int writes = 60;
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<Integer>> readers = new java.util.ArrayList<>();
            for (int r = 0; r < 2; r++) {
                // both readers share one identity, so they share (and race on) the same cache entry
                readers.add(pool.submit(() -> {
                    int last = 0;
                    int reads = 0;
                    while (!done.get()) {
                        int seen = Integer.parseInt(value(list(m.api(), p), "K"));
                        assertThat(seen).as("a read after one that saw " + last).isGreaterThanOrEqualTo(last);
                        last = seen;
                        reads++;
                    }
                    return reads;
                }));
            }
            for (int i = 1; i <= writes; i++) {
                patch(admin, p, "prod", "K", Map.of("secretValue", String.valueOf(i)));
            }
            done.set(true);
            for (java.util.concurrent.Future<Integer> reader : readers) {
                assertThat(reader.get(60, java.util.concurrent.TimeUnit.SECONDS))
                        .isPositive();
            }
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
        // the next read after the last write sees it, however the race went
        assertThat(value(list(m.api(), p), "K")).isEqualTo(String.valueOf(writes));
    }
}
