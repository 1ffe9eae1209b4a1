package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The V1 project-role routes ({@code /api/v1/workspace/:projectSlug/roles}): V1 rules converted to
 * V2 on write and back on read, the project slug resolved in the caller's org only, and the same
 * checks as the V2 routes.
 */
class ProjectRoleV1ApiTest {
    private static final Map<String, Object> DEV_APP =
            Map.of("environment", "dev", "secretPath", Map.of("$glob", "/app/**"));

    /** A project with a known slug; returns {id, slug}. */
    static String[] project(Api admin) {
        String slug = Fixtures.unique("v1proj");
        Res res = admin.post("/api/v2/workspace", Map.of("projectName", slug, "slug", slug));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return new String[] {res.body().path("project").path("id").asString(), slug};
    }

    private static String base(String slug) {
        return "/api/v1/workspace/" + slug + "/roles";
    }

    /** What Terraform's {@code infisical_project_role} sends: V1 rules plus projectSlug (and roleId on update). */
    private static Map<String, Object> tfBody(String projectSlug, String slug, List<Map<String, Object>> rules) {
        Map<String, Object> body = new HashMap<>();
        body.put("projectSlug", projectSlug);
        body.put("slug", slug);
        body.put("name", slug);
        body.put("description", "from terraform");
        body.put("permissions", rules);
        return body;
    }

    private static List<String> describe(JsonNode rules) {
        List<String> out = new ArrayList<>();
        rules.forEach(r -> out.add(r.path("subject").asString() + ":"
                + String.join(
                        ",",
                        r.path("action").valueStream().map(JsonNode::asString).toList())
                + (r.path("inverted").asBoolean() ? ":deny" : "")));
        return out;
    }

    /** The field a 422 names, as {@code a.b.c}. */
    static String issuePath(Res res) {
        return String.join(
                ".",
                res.body()
                        .path("message")
                        .get(0)
                        .path("path")
                        .valueStream()
                        .map(JsonNode::asString)
                        .toList());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aV1RoleIsStoredAsTheEquivalentV2RulesAndGrantsExactlyThat(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String[] p = project(admin);
        f.folder(p[0], "dev", "/", "app");
        f.createSecret(admin, p[0], "dev", "/app", "APP_KEY", "app");
        f.createSecret(admin, p[0], "dev", "/", "ROOT_KEY", "root");
        f.createSecret(admin, p[0], "prod", "/", "PROD_KEY", "prod");
        List<Map<String, Object>> v1 = List.of(
                Map.of("action", "read", "subject", "secrets", "conditions", DEV_APP),
                Map.of("action", "edit", "subject", "secrets", "conditions", DEV_APP),
                Map.of("action", "read", "subject", "tags"));

        Res created = admin.post(base(p[1]), tfBody(p[1], "app-editor", v1));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode role = created.body().path("role");
        assertThat(role.path("projectId").asString()).isEqualTo(p[0]);
        assertThat(role.path("description").asString()).isEqualTo("from terraform");
        assertThat(describe(role.path("permissions"))).containsExactly("secrets:read", "secrets:edit", "tags:read");
        assertThat(role.path("permissions")
                        .get(0)
                        .path("conditions")
                        .path("secretPath")
                        .path("$glob")
                        .asString())
                .isEqualTo("/app/**");

        Res v2 = admin.get("/api/v2/workspace/" + p[0] + "/roles/slug/app-editor");
        assertThat(describe(v2.body().path("role").path("permissions")))
                .containsExactly(
                        "secrets:read",
                        "secrets:edit",
                        "tags:read",
                        "secret-imports:read",
                        "secret-imports:edit",
                        "dynamic-secrets:read-root-credential",
                        "dynamic-secrets:edit-root-credential,lease",
                        "secret-folders:edit");
        v2.body().path("role").path("permissions").forEach(r -> {
            if (!"tags".equals(r.path("subject").asString())) {
                assertThat(r.path("conditions").path("environment").asString()).isEqualTo("dev");
                assertThat(r.path("conditions").path("secretPath").path("$glob").asString())
                        .isEqualTo("/app/**");
            }
        });
        Res read = admin.get(base(p[1]) + "/slug/app-editor");
        assertThat(read.body().path("role").path("permissions")).isEqualTo(role.path("permissions"));
        Res list = admin.get(base(p[1]));
        assertThat(list.body()
                        .path("roles")
                        .valueStream()
                        .map(r -> r.path("slug").asString()))
                .containsExactly("admin", "member", "viewer", "no-access", "app-editor");

        Api editor = f.identity(p[0], "app-editor").api();
        assertThat(editor.get(
                                "/api/v3/secrets/raw/APP_KEY",
                                "workspaceId",
                                p[0],
                                "environment",
                                "dev",
                                "secretPath",
                                "/app")
                        .body()
                        .path("secret")
                        .path("secretValue")
                        .asString())
                .isEqualTo("app");
        assertThat(editor.get("/api/v3/secrets/raw", "workspaceId", p[0], "environment", "dev")
                        .status())
                .isEqualTo(403);
        assertThat(editor.get("/api/v3/secrets/raw", "workspaceId", p[0], "environment", "prod")
                        .status())
                .isEqualTo(403);
        assertThat(editor.patch(
                                "/api/v3/secrets/raw/APP_KEY",
                                Map.of(
                                        "workspaceId",
                                        p[0],
                                        "environment",
                                        "dev",
                                        "secretPath",
                                        "/app",
                                        "secretValue",
                                        "changed"))
                        .status())
                .isEqualTo(200);
        assertThat(f.createSecret(editor, p[0], "dev", "/app", "NEW_KEY", "x").status())
                .isEqualTo(403);
        assertThat(editor.patch(
                                "/api/v3/secrets/raw/ROOT_KEY",
                                Map.of("workspaceId", p[0], "environment", "dev", "secretValue", "changed"))
                        .status())
                .isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void updateAndDeleteThroughV1TakeEffectOnTheNextRequest(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String[] p = project(admin);
        f.createSecret(admin, p[0], "dev", "/", "DEV_KEY", "d");
        f.createSecret(admin, p[0], "prod", "/", "PROD_KEY", "p");
        String roleId = admin.post(
                        base(p[1]),
                        tfBody(
                                p[1],
                                "reader",
                                List.of(Map.of(
                                        "action",
                                        "read",
                                        "subject",
                                        "secrets",
                                        "conditions",
                                        Map.of("environment", "dev")))))
                .body()
                .path("role")
                .path("id")
                .asString();
        Api reader = f.identity(p[0], "reader").api();
        assertThat(reader.get("/api/v3/secrets/raw", "workspaceId", p[0], "environment", "dev")
                        .status())
                .isEqualTo(200);

        Map<String, Object> update = tfBody(
                p[1],
                "prod-reader",
                List.of(Map.of("action", "read", "subject", "secrets", "conditions", Map.of("environment", "prod"))));
        update.put("roleId", roleId);
        Res edited = admin.patch(base(p[1]) + "/" + roleId, update);
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(edited.body().path("role").path("slug").asString()).isEqualTo("prod-reader");
        assertThat(describe(edited.body().path("role").path("permissions"))).containsExactly("secrets:read");
        assertThat(reader.get("/api/v3/secrets/raw", "workspaceId", p[0], "environment", "dev")
                        .status())
                .isEqualTo(403);
        assertThat(reader.get("/api/v3/secrets/raw", "workspaceId", p[0], "environment", "prod")
                        .status())
                .isEqualTo(200);

        Res renamedOnly = admin.patch(base(p[1]) + "/" + roleId, Map.of("name", "Prod reader"));
        assertThat(renamedOnly.body().path("role").path("name").asString()).isEqualTo("Prod reader");
        assertThat(describe(renamedOnly.body().path("role").path("permissions")))
                .containsExactly("secrets:read");

        Res deleted = admin.delete(base(p[1]) + "/" + roleId, Map.of("projectSlug", p[1], "roleId", roleId));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.body().path("role").path("id").asString()).isEqualTo(roleId);
        assertThat(admin.get(base(p[1]) + "/slug/prod-reader").status()).isEqualTo(404);
        assertThat(reader.get("/api/v3/secrets/raw", "workspaceId", p[0], "environment", "prod")
                        .status())
                .isEqualTo(403);
        assertThat(admin.delete(base(p[1]) + "/" + roleId, null).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void readingAsV1ShowsOnlyWhatV1CanSayAndV2RulesAreAcceptedAsSent(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String[] p = project(admin);
        Res v2Role = admin.post(
                "/api/v2/workspace/" + p[0] + "/roles",
                Map.of(
                        "slug",
                        "mixed",
                        "name",
                        "Mixed",
                        "permissions",
                        List.of(
                                Map.of(
                                        "subject",
                                        "secrets",
                                        "action",
                                        List.of("describeSecret", "readValue"),
                                        "conditions",
                                        Map.of("environment", "dev")),
                                Map.of(
                                        "subject",
                                        "secrets",
                                        "action",
                                        List.of("describeSecret"),
                                        "conditions",
                                        Map.of("environment", "staging")),
                                Map.of(
                                        "subject",
                                        "secrets",
                                        "action",
                                        "read",
                                        "conditions",
                                        Map.of("secretName", Map.of("$glob", "DB_*"))),
                                Map.of(
                                        "subject",
                                        "secrets",
                                        "action",
                                        "read",
                                        "conditions",
                                        Map.of("environment", Map.of("$glob", "prod-*"))),
                                Map.of("subject", "secret-folders", "action", List.of("read", "create")),
                                Map.of("subject", "secret-imports", "action", "read"),
                                Map.of("subject", "dynamic-secrets", "action", "lease"),
                                Map.of("subject", "identity", "action", List.of("read", "grant-privileges")),
                                Map.of(
                                        "subject",
                                        "secrets",
                                        "action",
                                        "read",
                                        "inverted",
                                        true,
                                        "conditions",
                                        Map.of("environment", "prod")))));
        assertThat(v2Role.status()).as(v2Role.toString()).isEqualTo(200);

        Res asV1 = admin.get(base(p[1]) + "/slug/mixed");
        assertThat(describe(asV1.body().path("role").path("permissions")))
                .containsExactly(
                        "secrets:read",
                        "secret-folders:read",
                        "identity:read",
                        "identity:grant-privileges",
                        "secrets:read:deny");
        assertThat(asV1.body()
                        .path("role")
                        .path("permissions")
                        .get(0)
                        .path("conditions")
                        .path("environment")
                        .asString())
                .isEqualTo("dev");

        Res sentAsV2 = admin.post(
                base(p[1]),
                Map.of(
                        "slug",
                        "describer",
                        "name",
                        "Describer",
                        "permissions",
                        List.of(Map.of(
                                "subject",
                                "secrets",
                                "action",
                                List.of("describeSecret"),
                                "conditions",
                                Map.of("environment", "dev")))));
        assertThat(sentAsV2.status()).as(sentAsV2.toString()).isEqualTo(200);
        Res stored = admin.get("/api/v1/projects/" + p[0] + "/roles/slug/describer");
        assertThat(describe(stored.body().path("role").path("permissions"))).containsExactly("secrets:describeSecret");

        Res viewer = admin.get(base(p[1]) + "/slug/viewer");
        assertThat(describe(viewer.body().path("role").path("permissions")))
                .contains("secrets:read", "secret-folders:read")
                .noneMatch(r ->
                        r.startsWith("secret-imports") || r.startsWith("dynamic-secrets") || r.contains("readValue"));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aSlugIsResolvedInTheCallersOrgOnly(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String[] p = project(admin);
        String roleId = admin.post(
                        base(p[1]), tfBody(p[1], "mine", List.of(Map.of("action", "read", "subject", "secrets"))))
                .body()
                .path("role")
                .path("id")
                .asString();
        Api foreign = server.as(new Fixtures(server).otherOrgAdminToken());

        List<Res> refused = List.of(
                foreign.get(base(p[1])),
                foreign.get(base(p[1]) + "/slug/mine"),
                foreign.post(
                        base(p[1]), tfBody(p[1], "theirs", List.of(Map.of("action", "read", "subject", "secrets")))),
                foreign.patch(base(p[1]) + "/" + roleId, Map.of("name", "hijacked")),
                foreign.delete(base(p[1]) + "/" + roleId, null));
        for (Res res : refused) {
            assertThat(res.status()).as(res.toString()).isEqualTo(404);
            assertThat(res.raw()).doesNotContain(p[0]).doesNotContain(roleId).doesNotContain("\"role");
        }
        Res mine = admin.get(base(p[1]) + "/slug/mine");
        assertThat(mine.body().path("role").path("name").asString()).isEqualTo("mine");
        assertThat(admin.get(base(p[1])).body().path("roles").size()).isEqualTo(5);

        Res theirProject = foreign.post("/api/v2/workspace", Map.of("projectName", "same slug", "slug", p[1]));
        assertThat(theirProject.status()).as(theirProject.toString()).isEqualTo(200);
        Res theirRole = foreign.post(
                base(p[1]), tfBody(p[1], "theirs", List.of(Map.of("action", "read", "subject", "secrets"))));
        assertThat(theirRole.status()).as(theirRole.toString()).isEqualTo(200);
        assertThat(theirRole.body().path("role").path("projectId").asString())
                .isEqualTo(theirProject.body().path("project").path("id").asString());
        assertThat(admin.get(base(p[1]) + "/slug/theirs").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void withoutRoleRightsOrWithBadInputNothingChanges(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String[] p = project(admin);
        List<Map<String, Object>> rules = List.of(Map.of("action", "read", "subject", "secrets"));
        String roleId = admin.post(base(p[1]), tfBody(p[1], "kept", rules))
                .body()
                .path("role")
                .path("id")
                .asString();
        Api member = f.identity(p[0], "member").api();

        assertThat(member.get(base(p[1])).status()).isEqualTo(200);
        assertThat(member.post(
                                base(p[1]),
                                tfBody(p[1], "escalated", List.of(Map.of("action", "delete", "subject", "role"))))
                        .status())
                .isEqualTo(403);
        assertThat(member.patch(
                                base(p[1]) + "/" + roleId,
                                Map.of("permissions", List.of(Map.of("action", "edit", "subject", "secrets"))))
                        .status())
                .isEqualTo(403);
        assertThat(member.delete(base(p[1]) + "/" + roleId, null).status()).isEqualTo(403);

        Map<String, List<Map<String, Object>>> bad = Map.of(
                "permissions.1.subject", List.of(rules.get(0), Map.of("action", "read", "subject", "secretz")),
                "permissions.1.action", List.of(rules.get(0), Map.of("action", "fly", "subject", "secrets")),
                "permissions.1.conditions.secretPath",
                        List.of(
                                rules.get(0),
                                Map.of(
                                        "action",
                                        "read",
                                        "subject",
                                        "secrets",
                                        "conditions",
                                        Map.of("environment", "dev", "secretPath", "backend"))),
                "permissions.0.conditions.secretPath",
                        List.of(Map.of(
                                "action",
                                "read",
                                "subject",
                                "secrets",
                                "conditions",
                                Map.of("secretPath", Map.of("$glob", "/a/{b")))));
        bad.forEach((field, rulesSent) -> {
            Res res = admin.post(base(p[1]), tfBody(p[1], "bad-role", rulesSent));
            assertThat(res.status()).as(field + ": " + res).isEqualTo(422);
            assertThat(issuePath(res)).as(field).startsWith(field);
            Res patch = admin.patch(base(p[1]) + "/" + roleId, Map.of("permissions", rulesSent));
            assertThat(patch.status()).as(field + ": " + patch).isEqualTo(422);
        });
        assertThat(admin.post(base(p[1]), tfBody(p[1], "admin", rules)).status())
                .isEqualTo(422);
        assertThat(admin.post(base(p[1]), Map.of("slug", "no-name", "permissions", rules))
                        .status())
                .isEqualTo(422);
        assertThat(admin.post(base(p[1]), Map.of("slug", "no-rules", "name", "x"))
                        .status())
                .isEqualTo(422);
        assertThat(admin.patch(base(p[1]) + "/" + roleId, Map.of("slug", "viewer"))
                        .status())
                .isEqualTo(422);
        assertThat(admin.patch(base(p[1]) + "/not-a-role", Map.of("name", "x")).status())
                .isEqualTo(404);
        assertThat(admin.get(base("no-such-project-slug")).status()).isEqualTo(404);

        Res list = admin.get(base(p[1]));
        assertThat(list.body()
                        .path("roles")
                        .valueStream()
                        .map(r -> r.path("slug").asString()))
                .containsExactly("admin", "member", "viewer", "no-access", "kept");
        Res kept = admin.get("/api/v2/workspace/" + p[0] + "/roles/slug/kept");
        assertThat(kept.body().path("role").path("name").asString()).isEqualTo("kept");
        assertThat(describe(kept.body().path("role").path("permissions")))
                .containsExactly("secrets:read", "secret-imports:read", "dynamic-secrets:read-root-credential");
    }
}
