package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The V1 identity-privilege routes ({@code /api/v1/additional-privilege/identity}): addressed by
 * project slug, identity and privilege slug; rules as V1 rules or Terraform's privilegePermission;
 * same grant checks as the V2 routes.
 */
class PrivilegeV1ApiTest {
    private static final String BASE = "/api/v1/additional-privilege/identity";

    private static Map<String, Object> tfPermission(List<String> actions, String environment, String glob) {
        Map<String, Object> conditions = new HashMap<>();
        conditions.put("environment", environment);
        if (glob != null) {
            conditions.put("secretPath", Map.of("$glob", glob));
        }
        return Map.of("actions", actions, "subject", "secrets", "conditions", conditions);
    }

    private static Map<String, Object> body(
            String identityId, String projectSlug, String slug, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(extra);
        body.put("identityId", identityId);
        body.put("projectSlug", projectSlug);
        if (slug != null) {
            body.put("slug", slug);
        }
        return body;
    }

    private static List<String> describe(JsonNode rules) {
        return rules.valueStream()
                .map(r -> r.path("subject").asString() + ":"
                        + String.join(
                                ",",
                                r.path("action")
                                        .valueStream()
                                        .map(JsonNode::asString)
                                        .toList()))
                .toList();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void terraformsPrivilegePermissionGrantsExactlyThat(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String[] p = ProjectRoleV1ApiTest.project(admin);
        f.folder(p[0], "prod", "/", "app");
        f.createSecret(admin, p[0], "prod", "/app", "APP_KEY", "app");
        f.createSecret(admin, p[0], "prod", "/", "ROOT_KEY", "root");
        f.folder(p[0], "dev", "/", "app");
        f.createSecret(admin, p[0], "dev", "/app", "DEV_KEY", "dev");
        Fixtures.Machine m = f.identity(p[0], "no-access");
        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p[0], "environment", "prod", "secretPath", "/app")
                        .status())
                .isEqualTo(403);

        Res created = admin.post(
                BASE + "/permanent",
                body(
                        m.id(),
                        p[1],
                        "prod-app-read",
                        Map.of("privilegePermission", tfPermission(List.of("read"), "prod", "/app/**"))));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode privilege = created.body().path("privilege");
        assertThat(privilege.path("slug").asString()).isEqualTo("prod-app-read");
        assertThat(privilege.path("identityId").asString()).isEqualTo(m.id());
        assertThat(privilege.path("projectId").asString()).isEqualTo(p[0]);
        assertThat(privilege.path("projectMembershipId").asString()).isEqualTo(p[0]);
        assertThat(privilege.path("isTemporary").asBoolean()).isFalse();
        assertThat(describe(privilege.path("permissions"))).containsExactly("secrets:read");
        assertThat(privilege
                        .path("permissions")
                        .get(0)
                        .path("conditions")
                        .path("environment")
                        .asString())
                .isEqualTo("prod");
        assertThat(privilege
                        .path("permissions")
                        .get(0)
                        .path("conditions")
                        .path("secretPath")
                        .path("$glob")
                        .asString())
                .isEqualTo("/app/**");

        assertThat(m.api()
                        .get(
                                "/api/v3/secrets/raw/APP_KEY",
                                "workspaceId",
                                p[0],
                                "environment",
                                "prod",
                                "secretPath",
                                "/app")
                        .body()
                        .path("secret")
                        .path("secretValue")
                        .asString())
                .isEqualTo("app");
        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p[0], "environment", "prod")
                        .status())
                .isEqualTo(403);
        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p[0], "environment", "dev", "secretPath", "/app")
                        .status())
                .isEqualTo(403);
        assertThat(f.createSecret(m.api(), p[0], "prod", "/app", "NEW", "x").status())
                .isEqualTo(403);

        Res bySlug = admin.get(BASE + "/prod-app-read", "identityId", m.id(), "projectSlug", p[1]);
        assertThat(bySlug.status()).as(bySlug.toString()).isEqualTo(200);
        assertThat(bySlug.body().path("privilege")).isEqualTo(privilege);
        Res list = admin.get(BASE, "identityId", m.id(), "projectSlug", p[1]);
        assertThat(list.body().path("privileges").size()).isEqualTo(1);
        assertThat(list.body()
                        .path("privileges")
                        .get(0)
                        .path("projectMembershipId")
                        .asString())
                .isEqualTo(p[0]);
        assertThat(describe(list.body().path("privileges").get(0).path("permissions")))
                .containsExactly("secrets:read");

        Res v2 = admin.get("/api/v2/identity-project-additional-privilege/"
                + privilege.path("id").asString());
        assertThat(describe(v2.body().path("privilege").path("permissions")))
                .containsExactly("secrets:read", "secret-imports:read", "dynamic-secrets:read-root-credential");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void temporaryThenUpdatedBySlugThenDeleted(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String[] p = ProjectRoleV1ApiTest.project(admin);
        f.createSecret(admin, p[0], "dev", "/", "DEV_KEY", "d");
        f.createSecret(admin, p[0], "staging", "/", "STAGING_KEY", "s");
        Fixtures.Machine m = f.identity(p[0], "no-access");
        Instant start = Instant.now().minusSeconds(60);

        Res created = admin.post(
                BASE + "/temporary",
                body(
                        m.id(),
                        p[1],
                        "dev-for-an-hour",
                        Map.of(
                                "permissions",
                                List.of(Map.of(
                                        "action",
                                        "read",
                                        "subject",
                                        "secrets",
                                        "conditions",
                                        Map.of("environment", "dev"))),
                                "temporaryMode",
                                "relative",
                                "temporaryRange",
                                "1h",
                                "temporaryAccessStartTime",
                                start.toString())));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode privilege = created.body().path("privilege");
        assertThat(privilege.path("isTemporary").asBoolean()).isTrue();
        assertThat(privilege.path("temporaryRange").asString()).isEqualTo("1h");
        assertThat(Duration.between(
                        Instant.parse(privilege.path("temporaryAccessStartTime").asString()),
                        Instant.parse(privilege.path("temporaryAccessEndTime").asString())))
                .isEqualTo(Duration.ofHours(1));
        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p[0], "environment", "dev")
                        .status())
                .isEqualTo(200);

        Res updated = admin.patch(
                BASE,
                Map.of(
                        "privilegeSlug",
                        "dev-for-an-hour",
                        "identityId",
                        m.id(),
                        "projectSlug",
                        p[1],
                        "privilegeDetails",
                        Map.of(
                                "slug",
                                "staging-editor",
                                "isTemporary",
                                false,
                                "privilegePermission",
                                tfPermission(List.of("read", "edit"), "staging", null))));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        privilege = updated.body().path("privilege");
        assertThat(privilege.path("slug").asString()).isEqualTo("staging-editor");
        assertThat(privilege.path("isTemporary").asBoolean()).isFalse();
        assertThat(privilege.path("temporaryAccessEndTime").isNull()
                        || privilege.path("temporaryAccessEndTime").isMissingNode())
                .isTrue();
        assertThat(describe(privilege.path("permissions"))).containsExactly("secrets:read", "secrets:edit");
        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p[0], "environment", "dev")
                        .status())
                .isEqualTo(403);
        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p[0], "environment", "staging")
                        .status())
                .isEqualTo(200);
        assertThat(m.api()
                        .patch(
                                "/api/v3/secrets/raw/STAGING_KEY",
                                Map.of("workspaceId", p[0], "environment", "staging", "secretValue", "s2"))
                        .status())
                .isEqualTo(200);
        assertThat(admin.get(BASE + "/dev-for-an-hour", "identityId", m.id(), "projectSlug", p[1])
                        .status())
                .isEqualTo(404);

        Res deleted = admin.delete(
                BASE, Map.of("privilegeSlug", "staging-editor", "identityId", m.id(), "projectSlug", p[1]));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.body().path("privilege").path("projectMembershipId").asString())
                .isEqualTo(p[0]);
        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p[0], "environment", "staging")
                        .status())
                .isEqualTo(403);
        assertThat(admin.get(BASE, "identityId", m.id(), "projectSlug", p[1])
                        .body()
                        .path("privileges")
                        .size())
                .isZero();
        assertThat(admin.delete(
                                BASE,
                                Map.of("privilegeSlug", "staging-editor", "identityId", m.id(), "projectSlug", p[1]))
                        .status())
                .isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void missingRulesAre401AndBadInputIs422WithNothingStored(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String[] p = ProjectRoleV1ApiTest.project(admin);
        Fixtures.Machine m = f.identity(p[0], "no-access");
        List<Map<String, Object>> devRead =
                List.of(Map.of("action", "read", "subject", "secrets", "conditions", Map.of("environment", "dev")));

        Res none = admin.post(BASE + "/permanent", body(m.id(), p[1], "nothing", Map.of()));
        assertThat(none.status()).as(none.toString()).isEqualTo(401);
        assertThat(none.body().path("message").asString())
                .isEqualTo("Permission or privilegePermission must be provided");
        assertThat(admin.post(
                                BASE + "/temporary",
                                body(
                                        m.id(),
                                        p[1],
                                        "nothing",
                                        Map.of("temporaryMode", "relative", "temporaryRange", "1h")))
                        .status())
                .isEqualTo(401);

        Map<String, Map<String, Object>> bad = Map.of(
                "privilegePermission.subject",
                        Map.of(
                                "privilegePermission",
                                Map.of(
                                        "actions",
                                        List.of("read"),
                                        "subject",
                                        "tags",
                                        "conditions",
                                        Map.of("environment", "dev"))),
                "privilegePermission.actions", Map.of("privilegePermission", tfPermission(List.of("fly"), "dev", null)),
                "privilegePermission.conditions.environment",
                        Map.of(
                                "privilegePermission",
                                Map.of("actions", List.of("read"), "subject", "secrets", "conditions", Map.of())),
                "privilegePermission.conditions.secretPath.$glob",
                        Map.of(
                                "privilegePermission",
                                Map.of(
                                        "actions",
                                        List.of("read"),
                                        "subject",
                                        "secrets",
                                        "conditions",
                                        Map.of("environment", "dev", "secretPath", "/raw"))),
                "permissions.0.action", Map.of("permissions", List.of(Map.of("action", "fly", "subject", "secrets"))),
                "permissions.1.conditions.secretPath",
                        Map.of(
                                "permissions",
                                List.of(
                                        devRead.get(0),
                                        Map.of(
                                                "action",
                                                "read",
                                                "subject",
                                                "secrets",
                                                "conditions",
                                                Map.of("secretPath", "relative")))));
        bad.forEach((field, extra) -> {
            Res res = admin.post(BASE + "/permanent", body(m.id(), p[1], null, extra));
            assertThat(res.status()).as(field + ": " + res).isEqualTo(422);
            assertThat(ProjectRoleV1ApiTest.issuePath(res)).as(field).isEqualTo(field);
        });
        Res badRange = admin.post(
                BASE + "/temporary",
                body(
                        m.id(),
                        p[1],
                        null,
                        Map.of("permissions", devRead, "temporaryMode", "relative", "temporaryRange", "soon")));
        assertThat(ProjectRoleV1ApiTest.issuePath(badRange)).isEqualTo("temporaryRange");
        Res badMode = admin.post(
                BASE + "/temporary",
                body(
                        m.id(),
                        p[1],
                        null,
                        Map.of("permissions", devRead, "temporaryMode", "absolute", "temporaryRange", "1h")));
        assertThat(ProjectRoleV1ApiTest.issuePath(badMode)).isEqualTo("temporaryMode");
        Res noIdentity = admin.post(BASE + "/permanent", Map.of("projectSlug", p[1], "permissions", devRead));
        assertThat(ProjectRoleV1ApiTest.issuePath(noIdentity)).isEqualTo("identityId");
        assertThat(admin.post(BASE + "/permanent", body(m.id(), p[1], "Not A Slug", Map.of("permissions", devRead)))
                        .status())
                .isEqualTo(422);
        assertThat(admin.post(
                                BASE + "/permanent",
                                body(m.id(), "no-such-project", null, Map.of("permissions", devRead)))
                        .status())
                .isEqualTo(404);
        assertThat(admin.get(BASE, "identityId", m.id()).status()).isEqualTo(422);

        Res kept = admin.post(BASE + "/permanent", body(m.id(), p[1], "kept", Map.of("permissions", devRead)));
        assertThat(kept.status()).as(kept.toString()).isEqualTo(200);
        Res patchWithoutRules = admin.patch(
                BASE,
                Map.of(
                        "privilegeSlug",
                        "kept",
                        "identityId",
                        m.id(),
                        "projectSlug",
                        p[1],
                        "privilegeDetails",
                        Map.of("slug", "renamed")));
        assertThat(patchWithoutRules.status()).as(patchWithoutRules.toString()).isEqualTo(401);
        Res patchBadRule = admin.patch(
                BASE,
                Map.of(
                        "privilegeSlug",
                        "kept",
                        "identityId",
                        m.id(),
                        "projectSlug",
                        p[1],
                        "privilegeDetails",
                        Map.of("permissions", List.of(Map.of("action", "read", "subject", "nope")))));
        assertThat(ProjectRoleV1ApiTest.issuePath(patchBadRule)).isEqualTo("permissions.0.subject");
        assertThat(admin.patch(
                                BASE,
                                Map.of(
                                        "privilegeSlug",
                                        "missing",
                                        "identityId",
                                        m.id(),
                                        "projectSlug",
                                        p[1],
                                        "privilegeDetails",
                                        Map.of("permissions", devRead)))
                        .status())
                .isEqualTo(404);

        Res list = admin.get(BASE, "identityId", m.id(), "projectSlug", p[1]);
        assertThat(list.body()
                        .path("privileges")
                        .valueStream()
                        .map(x -> x.path("slug").asString()))
                .containsExactly("kept");
        assertThat(describe(list.body().path("privileges").get(0).path("permissions")))
                .containsExactly("secrets:read");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void grantsAreCheckedAsOnTheV2Routes(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String[] p = ProjectRoleV1ApiTest.project(admin);
        // no-access in the project: the granter below holds everything it holds (its permission boundary)
        Fixtures.Machine target = f.identity(p[0], "no-access");
        Map<String, Object> devRead = Map.of("privilegePermission", tfPermission(List.of("read"), "dev", null));

        Fixtures.Machine member = f.identity(p[0], "member");
        assertThat(member.api()
                        .post(BASE + "/permanent", body(target.id(), p[1], null, devRead))
                        .status())
                .isEqualTo(403);
        Fixtures.Machine projectAdmin = f.identity(p[0], "admin");
        assertThat(projectAdmin
                        .api()
                        .post(BASE + "/permanent", body(projectAdmin.id(), p[1], null, devRead))
                        .status())
                .isEqualTo(403);

        Res granterRole = admin.post(
                "/api/v2/workspace/" + p[0] + "/roles",
                Map.of(
                        "slug",
                        "granter",
                        "name",
                        "Granter",
                        "permissions",
                        List.of(
                                Map.of("subject", "identity", "action", List.of("read", "grant-privileges")),
                                Map.of("subject", "secrets", "action", "read"))));
        assertThat(granterRole.status()).as(granterRole.toString()).isEqualTo(200);
        Api granter = f.identity(p[0], "granter").api();
        Res v1Grant = granter.post(BASE + "/permanent", body(target.id(), p[1], "v1-read", devRead));
        assertThat(v1Grant.status())
                .as("a V1 read also grants imports and dynamic secrets: " + v1Grant)
                .isEqualTo(403);
        Res v2Grant = granter.post(
                BASE + "/permanent",
                body(
                        target.id(),
                        p[1],
                        "v2-read",
                        Map.of(
                                "permissions",
                                List.of(Map.of(
                                        "subject",
                                        "secrets",
                                        "action",
                                        List.of("describeSecret", "readValue"),
                                        "conditions",
                                        Map.of("environment", "dev"))))));
        assertThat(v2Grant.status()).as(v2Grant.toString()).isEqualTo(200);
        assertThat(describe(v2Grant.body().path("privilege").path("permissions")))
                .containsExactly("secrets:read");
        Res aboveGranter = granter.post(
                BASE + "/permanent",
                body(
                        f.identity(p[0], "viewer").id(),
                        p[1],
                        "v2-read",
                        Map.of(
                                "permissions",
                                List.of(Map.of(
                                        "subject",
                                        "secrets",
                                        "action",
                                        List.of("describeSecret", "readValue"),
                                        "conditions",
                                        Map.of("environment", "dev"))))));
        assertThat(aboveGranter.status())
                .as("a viewer holds more than the granter: " + aboveGranter)
                .isEqualTo(403);
        assertThat(aboveGranter.body().path("message").asString())
                .contains("has permissions you do not hold in this project");
        Res escalate = granter.patch(
                BASE,
                Map.of(
                        "privilegeSlug",
                        "v2-read",
                        "identityId",
                        target.id(),
                        "projectSlug",
                        p[1],
                        "privilegeDetails",
                        Map.of("permissions", List.of(Map.of("subject", "secrets", "action", "delete")))));
        assertThat(escalate.status()).as(escalate.toString()).isEqualTo(403);

        // a member without identity read cannot tell an existing slug from a missing one
        Fixtures.Machine noAccess = f.identity(p[0], "no-access");
        for (String slug : List.of("v2-read", "no-such-slug")) {
            Res probe = noAccess.api()
                    .delete(BASE, Map.of("privilegeSlug", slug, "identityId", target.id(), "projectSlug", p[1]));
            assertThat(probe.status()).as(slug + ": " + probe).isEqualTo(403);
        }

        Res outsider =
                admin.post(BASE + "/permanent", body(f.identity(null, "viewer").id(), p[1], null, devRead));
        assertThat(outsider.status()).isEqualTo(400);

        Api foreign = server.as(f.otherOrgAdminToken());
        List<Res> refused = List.of(
                foreign.post(BASE + "/permanent", body(target.id(), p[1], null, devRead)),
                foreign.get(BASE + "/v2-read", "identityId", target.id(), "projectSlug", p[1]),
                foreign.get(BASE, "identityId", target.id(), "projectSlug", p[1]),
                foreign.patch(
                        BASE,
                        Map.of(
                                "privilegeSlug",
                                "v2-read",
                                "identityId",
                                target.id(),
                                "projectSlug",
                                p[1],
                                "privilegeDetails",
                                devRead)),
                foreign.delete(
                        BASE, Map.of("privilegeSlug", "v2-read", "identityId", target.id(), "projectSlug", p[1])));
        for (Res res : refused) {
            assertThat(res.status()).as(res.toString()).isEqualTo(404);
            assertThat(res.raw()).doesNotContain(p[0]).doesNotContain("privilege\"");
        }
        Res list = admin.get(BASE, "identityId", target.id(), "projectSlug", p[1]);
        assertThat(list.body()
                        .path("privileges")
                        .valueStream()
                        .map(x -> x.path("slug").asString()))
                .containsExactly("v2-read");
        assertThat(describe(list.body().path("privileges").get(0).path("permissions")))
                .containsExactly("secrets:read");
        Res stored = admin.get("/api/v2/identity-project-additional-privilege/"
                + list.body().path("privileges").get(0).path("id").asString());
        assertThat(describe(stored.body().path("privilege").path("permissions")))
                .containsExactly("secrets:describeSecret,readValue");
    }
}
