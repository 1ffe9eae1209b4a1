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
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The older org-role routes ({@code /api/v1/organization/:orgId/roles}): the caller's own org only, same checks. */
class OrgRoleV1ApiTest {
    private static String base(String orgId) {
        return "/api/v1/organization/" + orgId + "/roles";
    }

    private static Map<String, Object> role(String slug, List<Map<String, Object>> rules) {
        return Map.of("slug", slug, "name", slug, "description", "older route", "permissions", rules);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void createReadUpdateDeleteThroughTheOlderRoutes(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String org = server.admin.orgId();
        String slug = Fixtures.unique("id-manager");
        Res created = admin.post(
                base(org), role(slug, List.of(Map.of("subject", "identity", "action", List.of("read", "create")))));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        String id = created.body().path("role").path("id").asString();
        assertThat(created.body().path("role").path("orgId").asString()).isEqualTo(org);

        Res list = admin.get(base(org));
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()
                        .path("data")
                        .path("roles")
                        .valueStream()
                        .map(r -> r.path("slug").asString()))
                .startsWith("admin", "member", "no-access")
                .contains(slug);
        assertThat(admin.get(base(org) + "/" + id)
                        .body()
                        .path("role")
                        .path("permissions")
                        .get(0)
                        .path("subject")
                        .asString())
                .isEqualTo("identity");

        Res granted = admin.post(
                "/api/v1/identities", Map.of("name", Fixtures.unique("mgr"), "organizationId", org, "role", slug));
        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
        String identityId = granted.body().path("identity").path("id").asString();
        String clientId = admin.post("/api/v1/auth/universal-auth/identities/" + identityId, Map.of())
                .body()
                .path("identityUniversalAuth")
                .path("clientId")
                .asString();
        String secret = admin.post("/api/v1/auth/universal-auth/identities/" + identityId + "/client-secrets", Map.of())
                .body()
                .path("clientSecret")
                .asString();
        Api manager = server.as(new Fixtures(server).login(clientId, secret));
        assertThat(manager.post(
                                "/api/v1/identities",
                                Map.of("name", Fixtures.unique("x"), "organizationId", org, "role", "no-access"))
                        .status())
                .isEqualTo(200);
        assertThat(manager.get("/api/v1/organization/audit-logs").status()).isEqualTo(403);

        Res edited = admin.patch(
                base(org) + "/" + id,
                Map.of(
                        "name",
                        "Auditor too",
                        "permissions",
                        List.of(
                                Map.of("subject", "identity", "action", List.of("read", "create")),
                                Map.of("subject", "audit-logs", "action", "read"))));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(admin.get("/api/v1/organization/roles/" + id)
                        .body()
                        .path("role")
                        .path("name")
                        .asString())
                .isEqualTo("Auditor too");
        assertThat(manager.get("/api/v1/organization/audit-logs").status()).isEqualTo(200);

        assertThat(admin.delete(base(org) + "/" + id, null).status())
                .as("still assigned")
                .isEqualTo(400);
        assertThat(admin.delete("/api/v1/identities/" + identityId, null).status())
                .isEqualTo(200);
        Res deleted = admin.delete(base(org) + "/" + id, null);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.body().path("role").path("slug").asString()).isEqualTo(slug);
        assertThat(admin.get(base(org) + "/" + id).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anotherOrgsIdIsRefusedWithoutData(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String org = server.admin.orgId();
        String slug = Fixtures.unique("kept");
        String id = admin.post(base(org), role(slug, List.of(Map.of("subject", "audit-logs", "action", "read"))))
                .body()
                .path("role")
                .path("id")
                .asString();
        Api foreign = server.as(new Fixtures(server).otherOrgAdminToken());
        String unknownOrg = UUID.randomUUID().toString();

        for (Api caller : List.of(foreign, admin)) {
            String target = caller == foreign ? org : unknownOrg;
            List<Res> refused = List.of(
                    caller.get(base(target)),
                    caller.get(base(target) + "/" + id),
                    caller.post(
                            base(target),
                            role(Fixtures.unique("sneaky"), List.of(Map.of("subject", "member", "action", "read")))),
                    caller.patch(base(target) + "/" + id, Map.of("name", "hijacked")),
                    caller.delete(base(target) + "/" + id, null));
            for (Res res : refused) {
                assertThat(res.status()).as(res.toString()).isEqualTo(403);
                assertThat(res.raw()).doesNotContain(id).doesNotContain(slug).doesNotContain("\"role");
            }
        }
        Res kept = admin.get(base(org) + "/" + id);
        assertThat(kept.body().path("role").path("name").asString()).isEqualTo(slug);
        assertThat(admin.get(base(org))
                        .body()
                        .path("data")
                        .path("roles")
                        .valueStream()
                        .noneMatch(r -> r.path("slug").asString().startsWith("sneaky")))
                .isTrue();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void withoutRoleRightsOrWithBadInputNothingChanges(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String org = server.admin.orgId();
        String slug = Fixtures.unique("kept");
        String id = admin.post(base(org), role(slug, List.of(Map.of("subject", "audit-logs", "action", "read"))))
                .body()
                .path("role")
                .path("id")
                .asString();
        String mine = Fixtures.unique("mine");
        String bad = Fixtures.unique("bad");
        Api member = new Fixtures(server).identity(null, "member").api();

        assertThat(member.get(base(org)).status()).isEqualTo(200);
        assertThat(member.post(
                        base(org),
                        role(
                                mine,
                                List.of(Map.of(
                                        "subject", "role", "action", List.of("read", "create", "edit", "delete"))))))
                .extracting(Res::status)
                .isEqualTo(403);
        assertThat(member.patch(
                        base(org) + "/" + id,
                        Map.of("permissions", List.of(Map.of("subject", "role", "action", "edit")))))
                .extracting(Res::status)
                .isEqualTo(403);
        assertThat(member.delete(base(org) + "/" + id, null).status()).isEqualTo(403);

        Res projectSubject = admin.post(base(org), role(bad, List.of(Map.of("subject", "secrets", "action", "read"))));
        assertThat(projectSubject.status()).isEqualTo(422);
        assertThat(ProjectRoleV1ApiTest.issuePath(projectSubject)).isEqualTo("permissions.0.subject");
        assertThat(admin.post(base(org), role("Member", List.of(Map.of("subject", "audit-logs", "action", "read"))))
                        .status())
                .isEqualTo(422);
        assertThat(admin.patch(
                                base(org) + "/" + id,
                                Map.of("permissions", List.of(Map.of("subject", "audit-logs", "action", "fly"))))
                        .status())
                .isEqualTo(422);
        assertThat(admin.patch(base(org) + "/" + id, Map.of("name", 5)).status())
                .isEqualTo(422);

        assertThat(admin.get(base(org))
                        .body()
                        .path("data")
                        .path("roles")
                        .valueStream()
                        .map(r -> r.path("slug").asString()))
                .doesNotContain(mine, bad)
                .contains(slug);
        Res kept = admin.get(base(org) + "/" + id);
        assertThat(kept.body().path("role").path("name").asString()).isEqualTo(slug);
        assertThat(kept.body()
                        .path("role")
                        .path("permissions")
                        .get(0)
                        .path("subject")
                        .asString())
                .isEqualTo("audit-logs");
    }
}
