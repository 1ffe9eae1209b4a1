package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two servers on one PostgreSQL database: a permission taken away on one node (a role edited, a
 * group member removed, a group deleted, a membership's role lowered, a privilege deleted) fails
 * on the other node's very next request, even though that node has just served the same actor
 * with the old permission and holds it in its permission cache; a temporary grant cached on the
 * other node ends there at its end time. Likewise a secret listing the other node keeps in its
 * listing cache gives way to a change made on the first node on the very next read.
 */
class TwoNodePermissionTest {
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

    private static Fixtures started(Db db) {
        start(db);
        return new Fixtures(nodeA);
    }

    /** A new project whose dev root holds secret K, made on node A. */
    private static String projectWithSecret(Fixtures f) {
        String p = f.project();
        f.createSecret(nodeA.admin(), p, "dev", "/", "K", "v");
        return p;
    }

    private static Res readOnB(String token, String project) {
        return nodeB.as(token).get("/api/v3/secrets/raw/K", "workspaceId", project, "environment", "dev");
    }

    @ParameterizedTest
    @EnumSource(value = Db.class, names = "POSTGRESQL")
    void aRoleEditedOnOneNodeHoldsOnTheOther(Db db) {
        Fixtures f = started(db);
        Api admin = nodeA.admin();
        String p = projectWithSecret(f);
        String roleId = admin.post(
                        "/api/v2/workspace/" + p + "/roles",
                        Map.of(
                                "slug",
                                "dev-reader",
                                "name",
                                "dev-reader",
                                "permissions",
                                List.of(Map.of(
                                        "subject",
                                        "secrets",
                                        "action",
                                        "read",
                                        "conditions",
                                        Map.of("environment", "dev")))))
                .body()
                .path("role")
                .path("id")
                .asString();
        String token = f.identity(p, "dev-reader").token();
        for (int i = 0; i < 3; i++) {
            assertThat(readOnB(token, p).status()).isEqualTo(200);
        }

        Res edit = admin.patch(
                "/api/v2/workspace/" + p + "/roles/" + roleId,
                Map.of(
                        "permissions",
                        List.of(Map.of(
                                "subject",
                                "secrets",
                                "action",
                                "read",
                                "conditions",
                                Map.of("environment", "staging")))));
        assertThat(edit.status()).isEqualTo(200);
        assertThat(readOnB(token, p).status()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(value = Db.class, names = "POSTGRESQL")
    void aGroupMemberRemovedOnOneNodeLosesAccessOnTheOther(Db db) {
        Fixtures f = started(db);
        Api admin = nodeA.admin();
        String p = projectWithSecret(f);
        Fixtures.Machine m = f.identity(null, null);
        String groupId = admin.post("/api/v1/groups", Map.of("name", Fixtures.unique("g")))
                .body()
                .path("id")
                .asString();
        assertThat(admin.post("/api/v1/groups/" + groupId + "/machine-identities/" + m.id(), null)
                        .status())
                .isEqualTo(200);
        assertThat(admin.post("/api/v2/workspace/" + p + "/groups/" + groupId, Map.of("role", "viewer"))
                        .status())
                .isEqualTo(200);
        assertThat(readOnB(m.token(), p).status()).isEqualTo(200);

        assertThat(admin.delete("/api/v1/groups/" + groupId + "/machine-identities/" + m.id(), null)
                        .status())
                .isEqualTo(200);
        assertThat(readOnB(m.token(), p).status()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(value = Db.class, names = "POSTGRESQL")
    void aPrivilegeDeletedOnOneNodeEndsOnTheOther(Db db) {
        Fixtures f = started(db);
        Api admin = nodeA.admin();
        String p = projectWithSecret(f);
        Fixtures.Machine m = f.identity(p, "no-access");
        assertThat(readOnB(m.token(), p).status()).isEqualTo(403);
        Res grant = admin.post(
                "/api/v2/identity-project-additional-privilege",
                Map.of(
                        "identityId",
                        m.id(),
                        "projectId",
                        p,
                        "permissions",
                        List.of(Map.of("subject", "secrets", "action", "read")),
                        "type",
                        Map.of("isTemporary", false)));
        assertThat(grant.status()).as(grant.toString()).isEqualTo(200);
        assertThat(readOnB(m.token(), p).status()).isEqualTo(200);

        String id = grant.body().path("privilege").path("id").asString();
        assertThat(admin.delete("/api/v2/identity-project-additional-privilege/" + id, null)
                        .status())
                .isEqualTo(200);
        assertThat(readOnB(m.token(), p).status()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(value = Db.class, names = "POSTGRESQL")
    void aGroupDeletedOnOneNodeTakesItsGrantsOnTheOther(Db db) {
        Fixtures f = started(db);
        Api admin = nodeA.admin();
        String p = projectWithSecret(f);
        Fixtures.Machine m = f.identity(null, null);
        String groupId = admin.post("/api/v1/groups", Map.of("name", Fixtures.unique("g")))
                .body()
                .path("id")
                .asString();
        assertThat(admin.post("/api/v1/groups/" + groupId + "/machine-identities/" + m.id(), null)
                        .status())
                .isEqualTo(200);
        assertThat(admin.post("/api/v2/workspace/" + p + "/groups/" + groupId, Map.of("role", "viewer"))
                        .status())
                .isEqualTo(200);
        assertThat(readOnB(m.token(), p).status()).isEqualTo(200);

        // the group's membership and roles go by cascade, not by a statement of the service
        assertThat(admin.delete("/api/v1/groups/" + groupId, null).status()).isEqualTo(200);
        assertThat(readOnB(m.token(), p).status()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(value = Db.class, names = "POSTGRESQL")
    void aRoleLoweredOnOneNodeHoldsOnTheOther(Db db) {
        Fixtures f = started(db);
        Api admin = nodeA.admin();
        String p = projectWithSecret(f);
        Fixtures.Machine m = f.identity(p, "viewer");
        assertThat(readOnB(m.token(), p).status()).isEqualTo(200);

        assertThat(admin.patch(
                                "/api/v2/workspace/" + p + "/identity-memberships/" + m.id(),
                                Map.of("roles", List.of(Map.of("role", "no-access", "isTemporary", false))))
                        .status())
                .isEqualTo(200);
        assertThat(readOnB(m.token(), p).status()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(value = Db.class, names = "POSTGRESQL")
    void aTemporaryRoleCachedOnTheOtherNodeEndsThereOnTime(Db db) {
        Fixtures f = started(db);
        Api admin = nodeA.admin();
        String p = projectWithSecret(f);
        Fixtures.Machine m = f.identity(p, "no-access");
        Res grant = admin.patch(
                "/api/v2/workspace/" + p + "/identity-memberships/" + m.id(),
                Map.of(
                        "roles",
                        List.of(
                                Map.of("role", "no-access", "isTemporary", false),
                                Map.of(
                                        "role",
                                        "viewer",
                                        "isTemporary",
                                        true,
                                        "temporaryMode",
                                        "relative",
                                        "temporaryRange",
                                        "2s"))));
        assertThat(grant.status()).as(grant.toString()).isEqualTo(200);
        long end = java.time.Instant.parse(grant.body()
                        .path("roles")
                        .valueStream()
                        .filter(r -> r.path("isTemporary").asBoolean())
                        .findFirst()
                        .orElseThrow()
                        .path("temporaryAccessEndTime")
                        .asString())
                .toEpochMilli();
        assertThat(readOnB(m.token(), p).status()).isEqualTo(200);
        // nothing changes in the database when the grant ends: the cached set must end by itself
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> readOnB(m.token(), p).status() == 403);
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(end);
    }

    @ParameterizedTest
    @EnumSource(value = Db.class, names = "POSTGRESQL")
    void aSecretChangedOnOneNodeIsReadOnTheOther(Db db) {
        Fixtures f = started(db);
        Api admin = nodeA.admin();
        String p = projectWithSecret(f);
        Fixtures.Machine m = f.identity(p, "viewer");
        Api onB = nodeB.as(m.token());
        for (int i = 0; i < 3; i++) {
            Res listed = onB.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev");
            assertThat(Fixtures.byKey(listed.body().path("secrets"), "K")
                            .path("secretValue")
                            .asString())
                    .isEqualTo("v");
        }
        assertThat(admin.patch(
                                "/api/v3/secrets/raw/K",
                                Map.of("workspaceId", p, "environment", "dev", "secretValue", "v2"))
                        .status())
                .isEqualTo(200);
        Res listed = onB.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev");
        assertThat(Fixtures.byKey(listed.body().path("secrets"), "K")
                        .path("secretValue")
                        .asString())
                .isEqualTo("v2");
    }
}
