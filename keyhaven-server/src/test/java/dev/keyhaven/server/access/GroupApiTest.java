package dev.keyhaven.server.access;

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

/** Groups: members inherit a group's project roles without being members, and lose them when they leave. */
class GroupApiTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void membersInheritTheGroupsRolesUntilTheyLeave(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        f.createSecret(admin, p, "dev", "/", "SHARED_KEY", "v");
        Fixtures.Machine m = f.identity(null, "viewer");
        String name = Fixtures.unique("backend-team");
        Res group = admin.post("/api/v1/groups", Map.of("name", name));
        assertThat(group.status()).as(group.toString()).isEqualTo(200);
        String groupId = group.body().path("id").asString();
        assertThat(group.body().path("role").asString()).isEqualTo("no-access");

        assertThat(admin.post("/api/v1/groups/" + groupId + "/machine-identities/" + m.id(), null)
                        .status())
                .isEqualTo(200);
        Res joined = admin.post("/api/v2/workspace/" + p + "/groups/" + name, Map.of("role", "viewer"));
        assertThat(joined.status()).as(joined.toString()).isEqualTo(200);

        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(200);
        assertThat(f.createSecret(m.api(), p, "dev", "/", "NOPE", "x").status()).isEqualTo(403);
        assertThat(admin.get("/api/v2/workspace/" + p + "/identity-memberships")
                        .body()
                        .path("identityMemberships")
                        .valueStream()
                        .map(x -> x.path("identityId").asString()))
                .doesNotContain(m.id());
        Res listed = admin.get("/api/v1/groups/" + groupId + "/machine-identities", "filter", "existingMembers");
        assertThat(listed.body().path("machineIdentities").get(0).path("id").asString())
                .isEqualTo(m.id());
        assertThat(listed.body().path("totalCount").asInt()).isEqualTo(1);
        Res membership = admin.get("/api/v2/workspace/" + p + "/groups/" + groupId);
        assertThat(membership
                        .body()
                        .path("groupMembership")
                        .path("roles")
                        .get(0)
                        .path("role")
                        .asString())
                .isEqualTo("viewer");

        assertThat(admin.delete("/api/v1/groups/" + groupId + "/machine-identities/" + m.id(), null)
                        .status())
                .isEqualTo(200);
        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void removingTheGroupFromTheProjectOrDeletingItEndsAccess(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        Fixtures.Machine m = f.identity(null, "viewer");
        String groupId = admin.post("/api/v1/groups", Map.of("name", Fixtures.unique("g")))
                .body()
                .path("id")
                .asString();
        admin.post("/api/v1/groups/" + groupId + "/machine-identities/" + m.id(), null);
        admin.post("/api/v2/workspace/" + p + "/groups/" + groupId, Map.of("role", "member"));
        assertThat(f.createSecret(m.api(), p, "dev", "/", "VIA_GROUP", "x").status())
                .isEqualTo(200);

        Res patched = admin.patch("/api/v2/workspace/" + p + "/groups/" + groupId, Map.of("role", "viewer"));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(f.createSecret(m.api(), p, "dev", "/", "VIA_GROUP_2", "x").status())
                .isEqualTo(403);

        assertThat(admin.delete("/api/v2/workspace/" + p + "/groups/" + groupId, null)
                        .status())
                .isEqualTo(200);
        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(403);
        admin.post("/api/v2/workspace/" + p + "/groups/" + groupId, Map.of("role", "viewer"));
        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(200);
        assertThat(admin.delete("/api/v1/groups/" + groupId, null).status()).isEqualTo(200);
        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(403);
        assertThat(admin.get("/api/v1/groups/" + groupId).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void onlyThoseAllowedManageGroupsAndNobodyEscalatesThroughOne(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        Fixtures.Machine member = f.identity(p, "member");
        String groupId = admin.post("/api/v1/groups", Map.of("name", Fixtures.unique("admins")))
                .body()
                .path("id")
                .asString();
        admin.post("/api/v2/workspace/" + p + "/groups/" + groupId, Map.of("role", "admin"));
        assertThat(member.api().post("/api/v1/groups", Map.of("name", "mine")).status())
                .isEqualTo(403);
        assertThat(member.api()
                        .post("/api/v1/groups/" + groupId + "/machine-identities/" + member.id(), null)
                        .status())
                .isEqualTo(403);
        Res escalate = member.api().post("/api/v2/workspace/" + p + "/groups/" + groupId, Map.of("role", "admin"));
        assertThat(escalate.status()).isIn(400, 403);
        assertThat(admin.post("/api/v1/groups", Map.of("name", "x", "role", "not-a-role"))
                        .status())
                .isEqualTo(422);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theIdentityListShowsTheOrgsIdentitiesAPageAtATime(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String groupId = admin.post("/api/v1/groups", Map.of("name", Fixtures.unique("paged")))
                .body()
                .path("id")
                .asString();
        String prefix = Fixtures.unique("pg").toLowerCase();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = admin.post(
                            "/api/v1/identities",
                            Map.of(
                                    "name",
                                    prefix + "-" + i,
                                    "organizationId",
                                    server.admin.orgId(),
                                    "role",
                                    "no-access"))
                    .body()
                    .path("identity")
                    .path("id")
                    .asString();
            ids.add(id);
        }
        assertThat(admin.post("/api/v1/groups/" + groupId + "/machine-identities/" + ids.get(1), null)
                        .status())
                .isEqualTo(200);
        String path = "/api/v1/groups/" + groupId + "/machine-identities";

        Res all = admin.get(path, "search", prefix, "limit", "2");
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(all.body().path("totalCount").asInt()).isEqualTo(3);
        assertThat(all.body()
                        .path("machineIdentities")
                        .valueStream()
                        .map(x -> x.path("name").asString()))
                .containsExactly(prefix + "-0", prefix + "-1");
        assertThat(all.body()
                        .path("machineIdentities")
                        .get(1)
                        .path("isPartOfGroup")
                        .asBoolean())
                .isTrue();
        assertThat(all.body()
                        .path("machineIdentities")
                        .get(0)
                        .path("isPartOfGroup")
                        .asBoolean())
                .isFalse();
        assertThat(all.body()
                        .path("machineIdentities")
                        .get(0)
                        .path("joinedGroupAt")
                        .isNull())
                .isTrue();
        Res second = admin.get(path, "search", prefix, "limit", "2", "offset", "2");
        assertThat(second.body()
                        .path("machineIdentities")
                        .valueStream()
                        .map(x -> x.path("name").asString()))
                .containsExactly(prefix + "-2");
        Res outside = admin.get(path, "search", prefix, "filter", "nonMembers");
        assertThat(outside.body().path("totalCount").asInt()).isEqualTo(2);
        assertThat(admin.get(path, "filter", "everyone").status()).isEqualTo(422);
        assertThat(admin.get(path, "limit", "101").status()).isEqualTo(422);

        // another org's identities (its admin is one, named "other-admin") never appear, and
        // that org cannot read this group
        Api foreign = server.as(f.otherOrgAdminToken());
        assertThat(foreign.get(path).status()).isEqualTo(404);
        assertThat(admin.get(path, "search", "other-admin")
                        .body()
                        .path("totalCount")
                        .asInt())
                .isZero();
    }
}
