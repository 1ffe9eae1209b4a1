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

/** Custom org roles: validated on save, assigned to identities, evaluated, and never used to escalate. */
class OrgRoleApiTest {
    private static final String ROLES = "/api/v1/organization/roles";

    @ParameterizedTest
    @EnumSource(Db.class)
    void aCustomOrgRoleGivesExactlyItsOrgRights(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String slug = Fixtures.unique("id-manager");
        Res role = admin.post(
                ROLES,
                Map.of(
                        "slug",
                        slug,
                        "name",
                        "Identity manager",
                        "permissions",
                        List.of(Map.of("subject", "identity", "action", List.of("read", "create", "edit", "delete")))));
        assertThat(role.status()).as(role.toString()).isEqualTo(200);

        Res created = admin.post(
                "/api/v1/identities",
                Map.of("name", Fixtures.unique("mgr"), "organizationId", server.admin.orgId(), "role", slug));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        String id = created.body().path("identity").path("id").asString();
        String clientId = admin.post("/api/v1/auth/universal-auth/identities/" + id, Map.of())
                .body()
                .path("identityUniversalAuth")
                .path("clientId")
                .asString();
        String secret = admin.post("/api/v1/auth/universal-auth/identities/" + id + "/client-secrets", Map.of())
                .body()
                .path("clientSecret")
                .asString();
        Api manager = server.as(new Fixtures(server).login(clientId, secret));

        assertThat(manager.post(
                                "/api/v1/identities",
                                Map.of(
                                        "name",
                                        Fixtures.unique("x"),
                                        "organizationId",
                                        server.admin.orgId(),
                                        "role",
                                        "no-access"))
                        .status())
                .isEqualTo(200);
        assertThat(manager.post(
                                "/api/v1/identities",
                                Map.of(
                                        "name",
                                        Fixtures.unique("x"),
                                        "organizationId",
                                        server.admin.orgId(),
                                        "role",
                                        "admin"))
                        .status())
                .isEqualTo(403);
        assertThat(manager.get("/api/v1/organization/audit-logs").status()).isEqualTo(403);
        assertThat(manager.post("/api/v2/workspace", Map.of("projectName", "nope"))
                        .status())
                .isEqualTo(403);

        assertThat(admin.delete(
                                ROLES + "/"
                                        + role.body().path("role").path("id").asString(),
                                null)
                        .status())
                .isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void orgRulesAreValidatedAndBuiltInSlugsReserved(Db db) {
        Api admin = TestServers.shared(db).admin();
        Res projectSubject = admin.post(
                ROLES,
                Map.of(
                        "slug",
                        Fixtures.unique("bad"),
                        "name",
                        "Bad",
                        "permissions",
                        List.of(Map.of("subject", "secrets", "action", "read"))));
        assertThat(projectSubject.status()).isEqualTo(422);
        for (String slug : List.of("admin", "Member", "no-access\u200b")) {
            assertThat(admin.post(
                                    ROLES,
                                    Map.of(
                                            "slug",
                                            slug,
                                            "name",
                                            "x",
                                            "permissions",
                                            List.of(Map.of("subject", "audit-logs", "action", "read"))))
                            .status())
                    .as(slug)
                    .isEqualTo(422);
        }
        Res list = admin.get(ROLES);
        assertThat(list.body()
                        .path("roles")
                        .valueStream()
                        .map(r -> r.path("slug").asString()))
                .startsWith("admin", "member", "no-access");
        assertThat(admin.get(ROLES + "/slug/member").status()).isEqualTo(200);
        assertThat(admin.get(ROLES + "/slug/does-not-exist").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anUnusedRoleCanBeEditedAndDeleted(Db db) {
        Api admin = TestServers.shared(db).admin();
        String slug = Fixtures.unique("auditor");
        String id = admin.post(
                        ROLES,
                        Map.of(
                                "slug",
                                slug,
                                "name",
                                "Auditor",
                                "permissions",
                                List.of(Map.of("subject", "audit-logs", "action", "read"))))
                .body()
                .path("role")
                .path("id")
                .asString();
        Res edited = admin.patch(
                ROLES + "/" + id,
                Map.of(
                        "name",
                        "Auditors",
                        "permissions",
                        List.of(
                                Map.of("subject", "audit-logs", "action", "read"),
                                Map.of("subject", "member", "action", "read"))));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(edited.body().path("role").path("permissions").size()).isEqualTo(2);
        assertThat(admin.delete(ROLES + "/" + id, null).status()).isEqualTo(200);
        assertThat(admin.get(ROLES + "/" + id).status()).isEqualTo(404);
    }
}
