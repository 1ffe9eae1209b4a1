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
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two servers on one PostgreSQL database: what node B keeps in its {@link ContentCache} for
 * single-secret reads gives way to a change made on node A on B's very next read — a new value
 * (v3 and v4 by name, v3 by id), a tag, a rename and a deletion.
 */
class TwoNodeContentCacheTest {
    private static TestServer nodeA;
    private static TestServer nodeB;

    private static synchronized void start(Db db) {
        if (nodeA == null) {
            nodeA = TestServers.fresh(db);
            nodeA.admin = TestServers.bootstrap(nodeA);
            nodeB = TestServers.secondNode(nodeA);
            nodeB.admin = nodeA.admin;
        }
    }

    @AfterAll
    static void stop() {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
    }

    /** Reads twice on node B; the second read finds its rows in B's cache. */
    private static Res cachedOnB(Supplier<Res> read) {
        ContentCache cache = nodeB.bean(ContentCache.class);
        Res first = read.get();
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        long before = cache.served();
        Res second = read.get();
        assertThat(cache.served()).isGreaterThan(before);
        assertThat(second.raw()).isEqualTo(first.raw());
        return second;
    }

    private static String value(Res res) {
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("secret").path("secretValue").asString();
    }

    private static void patchOnA(String project, String key, Map<String, Object> fields) {
        Map<String, Object> body =
                new java.util.HashMap<>(Map.of("workspaceId", project, "environment", "dev", "secretPath", "/"));
        body.putAll(fields);
        Res res = nodeA.admin().patch("/api/v3/secrets/raw/" + key, body);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(value = Db.class, names = "POSTGRESQL")
    void aChangeOnOneNodeIsSeenOnTheOthersNextRead(Db db) {
        start(db);
        Fixtures f = new Fixtures(nodeA);
        Api admin = nodeA.admin();
        String p = f.project();
        String id = f.createSecret(admin, p, "dev", "/", "K", "v1")
                .body()
                .path("secret")
                .path("id")
                .asString();
        Api reader = nodeB.as(f.identity(p, "viewer").token());
        Supplier<Res> v3 = () -> reader.get("/api/v3/secrets/raw/K", "workspaceId", p, "environment", "dev");
        Supplier<Res> v4 = () -> reader.get("/api/v4/secrets/K", "projectId", p, "environment", "dev");
        Supplier<Res> byId = () -> reader.get("/api/v3/secrets/raw/id/" + id);

        assertThat(value(cachedOnB(v3))).isEqualTo("v1");
        patchOnA(p, "K", Map.of("secretValue", "v2"));
        assertThat(value(v3.get())).isEqualTo("v2");
        assertThat(value(cachedOnB(v4))).isEqualTo("v2");
        patchOnA(p, "K", Map.of("secretValue", "v3"));
        assertThat(value(v4.get())).isEqualTo("v3");
        assertThat(value(cachedOnB(byId))).isEqualTo("v3");
        patchOnA(p, "K", Map.of("secretValue", "v4"));
        assertThat(value(byId.get())).isEqualTo("v4");

        String tagId = admin.post("/api/v1/workspace/" + p + "/tags", Map.of("slug", "team-a", "color", "#00ff00"))
                .body()
                .path("workspaceTag")
                .path("id")
                .asString();
        cachedOnB(byId);
        patchOnA(p, "K", Map.of("tagIds", List.of(tagId)));
        assertThat(byId.get().body().path("secret").path("tags").size()).isEqualTo(1);

        cachedOnB(v3);
        patchOnA(p, "K", Map.of("newSecretName", "K2"));
        assertThat(v3.get().status()).isEqualTo(404);

        cachedOnB(byId);
        Res deleted = admin.delete("/api/v3/secrets/raw/K2", Map.of("workspaceId", p, "environment", "dev"));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(byId.get().status()).isEqualTo(404);
    }
}
