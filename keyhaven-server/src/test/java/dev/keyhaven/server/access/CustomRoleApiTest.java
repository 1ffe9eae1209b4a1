package dev.keyhaven.server.access;

import static dev.keyhaven.server.support.Fixtures.keys;
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

/** Custom project roles: validation on save, reserved slugs, evaluation with conditions and denies, no escalation. */
class CustomRoleApiTest {

    /** "read prod /backend/** except DB_ROOT_*", the example of the access-control issue. */
    static final List<Map<String, Object>> BACKEND_READER = List.of(
            Map.of(
                    "subject",
                    "secrets",
                    "action",
                    List.of("describeSecret", "readValue"),
                    "conditions",
                    Map.of("environment", "prod", "secretPath", Map.of("$glob", "/backend/**"))),
            Map.of(
                    "subject",
                    "secrets",
                    "action",
                    List.of("describeSecret", "readValue"),
                    "inverted",
                    true,
                    "conditions",
                    Map.of("secretName", Map.of("$glob", "DB_ROOT_*"))),
            Map.of(
                    "subject",
                    "secret-folders",
                    "action",
                    "read",
                    "conditions",
                    Map.of("environment", "prod", "secretPath", Map.of("$glob", "/backend/**"))));

    private static Res createRole(Api api, String project, String slug, List<Map<String, Object>> rules) {
        return api.post(
                "/api/v2/workspace/" + project + "/roles", Map.of("slug", slug, "name", slug, "permissions", rules));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aCustomRoleGivesExactlyItsAccess(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        f.folder(p, "prod", "/", "backend");
        f.folder(p, "prod", "/backend", "db");
        f.folder(p, "prod", "/", "frontend");
        f.createSecret(admin, p, "prod", "/backend", "API_KEY", "api");
        f.createSecret(admin, p, "prod", "/backend/db", "DB_ROOT_PASSWORD", "root");
        f.createSecret(admin, p, "prod", "/backend/db", "DB_APP_PASSWORD", "app");
        f.createSecret(admin, p, "prod", "/frontend", "CDN_KEY", "cdn");
        f.createSecret(admin, p, "dev", "/", "DEV_KEY", "dev");
        Res role = createRole(admin, p, "backend-reader", BACKEND_READER);
        assertThat(role.status()).as(role.toString()).isEqualTo(200);
        assertThat(role.body().path("role").path("permissions").size()).isEqualTo(3);

        Api reader = f.identity(p, "backend-reader").api();

        assertThat(reader.get(
                                "/api/v3/secrets/raw/API_KEY",
                                "workspaceId",
                                p,
                                "environment",
                                "prod",
                                "secretPath",
                                "/backend")
                        .body()
                        .path("secret")
                        .path("secretValue")
                        .asString())
                .isEqualTo("api");
        Res db1 =
                reader.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "prod", "secretPath", "/backend/db");
        assertThat(keys(db1.body().path("secrets"))).containsExactly("DB_APP_PASSWORD");
        assertThat(reader.get(
                                "/api/v3/secrets/raw/DB_ROOT_PASSWORD",
                                "workspaceId",
                                p,
                                "environment",
                                "prod",
                                "secretPath",
                                "/backend/db")
                        .status())
                .isEqualTo(403);
        assertThat(reader.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "prod", "secretPath", "/frontend")
                        .status())
                .isEqualTo(403);
        assertThat(reader.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(403);
        assertThat(f.createSecret(reader, p, "prod", "/backend", "NEW", "x").status())
                .isEqualTo(403);
        Res recursive = reader.get(
                "/api/v3/secrets/raw",
                "workspaceId",
                p,
                "environment",
                "prod",
                "secretPath",
                "/backend",
                "recursive",
                "true");
        assertThat(keys(recursive.body().path("secrets"))).containsExactlyInAnyOrder("API_KEY", "DB_APP_PASSWORD");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void editingOrDeletingARoleTakesEffectOnTheNextRequest(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        f.createSecret(admin, p, "dev", "/", "K", "v");
        String roleId = createRole(
                        admin,
                        p,
                        "dev-reader",
                        List.of(Map.of(
                                "subject", "secrets", "action", "read", "conditions", Map.of("environment", "dev"))))
                .body()
                .path("role")
                .path("id")
                .asString();
        Api user = f.identity(p, "dev-reader").api();
        assertThat(user.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(200);

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
        assertThat(edit.status()).as(edit.toString()).isEqualTo(200);
        assertThat(user.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(403);
        assertThat(user.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "staging")
                        .status())
                .isEqualTo(200);

        assertThat(admin.delete("/api/v1/projects/" + p + "/roles/" + roleId, null)
                        .status())
                .isEqualTo(200);
        assertThat(user.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "staging")
                        .status())
                .isEqualTo(403);
        assertThat(admin.get("/api/v1/projects/roles/" + roleId).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void invalidRulesAreRefusedNamingTheField(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String p = new Fixtures(server).project();
        Map<String, List<Map<String, Object>>> bad = Map.of(
                "subject", List.of(Map.of("subject", "secretz", "action", "read")),
                "action", List.of(Map.of("subject", "secrets", "action", "fly")),
                "$glob",
                        List.of(Map.of(
                                "subject",
                                "secrets",
                                "action",
                                "read",
                                "conditions",
                                Map.of("secretPath", Map.of("$glob", "/a/{b")))),
                "start with",
                        List.of(Map.of(
                                "subject", "secrets", "action", "read", "conditions", Map.of("secretPath", "backend"))),
                "combine", List.of(Map.of("subject", "secrets", "action", List.of("read", "readValue"))),
                "secretTags",
                        List.of(Map.of(
                                "subject",
                                "secrets",
                                "action",
                                "read",
                                "conditions",
                                Map.of("secretTags", Map.of("$eq", "x")))),
                "condition field",
                        List.of(Map.of(
                                "subject", "role", "action", "read", "conditions", Map.of("environment", "dev"))));
        bad.forEach((expected, rules) -> {
            Res res = createRole(admin, p, "bad-role", rules);
            assertThat(res.status()).as(expected + ": " + res).isEqualTo(422);
            assertThat(res.raw()).as(expected).contains("permissions");
        });
        assertThat(admin.get("/api/v1/projects/" + p + "/roles")
                        .body()
                        .path("roles")
                        .size())
                .isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void builtInSlugsAreReservedInEverySpelling(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String p = new Fixtures(server).project();
        for (String slug : List.of(
                "admin",
                "Admin",
                " admin",
                "ADMIN",
                "admin\u200b",
                "\uff41\uff44\uff4d\uff49\uff4e",
                "viewer ",
                "No-Access",
                "member\u00a0")) {
            Res res = createRole(admin, p, slug, List.of(Map.of("subject", "secrets", "action", "read")));
            assertThat(res.status()).as(slug + " -> " + res).isEqualTo(422);
        }
        assertThat(createRole(admin, p, "administrators", List.of(Map.of("subject", "secrets", "action", "read")))
                        .status())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void builtInRolesAreListedAndReadableBySlug(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String p = new Fixtures(server).project();
        createRole(admin, p, "auditor", List.of(Map.of("subject", "audit-logs", "action", "read")));
        Res list = admin.get("/api/v2/workspace/" + p + "/roles");
        assertThat(list.body()
                        .path("roles")
                        .valueStream()
                        .map(r -> r.path("slug").asString()))
                .containsExactly("admin", "member", "viewer", "no-access", "auditor");
        assertThat(list.body().path("roles").get(4).has("permissions")).isFalse();
        Res viewer = admin.get("/api/v1/projects/" + p + "/roles/slug/viewer");
        assertThat(viewer.body().path("role").path("permissions").size()).isGreaterThan(5);
        Res custom = admin.get("/api/v1/projects/" + p + "/roles/slug/auditor");
        assertThat(custom.body()
                        .path("role")
                        .path("permissions")
                        .get(0)
                        .path("action")
                        .get(0)
                        .asString())
                .isEqualTo("read");
        assertThat(admin.get("/api/v1/projects/" + p + "/roles/slug/nope").status())
                .isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void nobodyCreatesOrGrantsARoleBeyondTheirOwn(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        createRole(
                admin,
                p,
                "role-manager",
                List.of(Map.of("subject", "role", "action", List.of("read", "create", "edit"))));
        Fixtures.Machine member = f.identity(p, "member");
        assertThat(createRole(member.api(), p, "mine", List.of(Map.of("subject", "secrets", "action", "read")))
                        .status())
                .isEqualTo(403);
        Fixtures.Machine other = f.identity(null, "viewer");
        Res grant = member.api()
                .post("/api/v2/workspace/" + p + "/identity-memberships/" + other.id(), Map.of("role", "role-manager"));
        assertThat(grant.status()).as(grant.toString()).isEqualTo(403);
        Res byAdmin = admin.post(
                "/api/v2/workspace/" + p + "/identity-memberships/" + other.id(), Map.of("role", "role-manager"));
        assertThat(byAdmin.status()).isEqualTo(200);
        Res membership = admin.get("/api/v2/workspace/" + p + "/identity-memberships/" + other.id());
        var granted = membership.body().path("identityMembership").path("roles").get(0);
        assertThat(granted.path("role").asString()).isEqualTo("custom");
        assertThat(granted.path("customRoleSlug").asString()).isEqualTo("role-manager");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void explainAgreesWithWhatTheApiDoes(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        f.folder(p, "prod", "/", "backend");
        f.createSecret(admin, p, "prod", "/backend", "API_KEY", "api");
        f.createSecret(admin, p, "prod", "/backend", "DB_ROOT_PASSWORD", "root");
        createRole(admin, p, "backend-reader", BACKEND_READER);
        Fixtures.Machine reader = f.identity(p, "backend-reader");
        String explain = "/api/v1/projects/" + p + "/permissions/explain";

        for (String key : List.of("API_KEY", "DB_ROOT_PASSWORD")) {
            Res answer = admin.post(
                    explain,
                    Map.of(
                            "identityId",
                            reader.id(),
                            "subject",
                            "secrets",
                            "action",
                            "readValue",
                            "environment",
                            "prod",
                            "secretPath",
                            "/backend",
                            "secretName",
                            key));
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            int status = reader.api()
                    .get(
                            "/api/v3/secrets/raw/" + key,
                            "workspaceId",
                            p,
                            "environment",
                            "prod",
                            "secretPath",
                            "/backend")
                    .status();
            assertThat(answer.body().path("allowed").asBoolean()).as(key).isEqualTo(status == 200);
            assertThat(answer.body().path("decidedBy").get(0).path("source").asString())
                    .isEqualTo("custom-role:backend-reader");
        }
        Res denied = reader.api()
                .post(
                        explain,
                        Map.of(
                                "subject",
                                "secrets",
                                "action",
                                "readValue",
                                "environment",
                                "prod",
                                "secretPath",
                                "/backend",
                                "secretName",
                                "DB_ROOT_PASSWORD"));
        assertThat(denied.body().path("decision").asString()).contains("deny rule");
        assertThat(denied.body().path("decidedBy").get(0).path("inverted").asBoolean())
                .isTrue();
        assertThat(denied.body()
                        .path("decidedBy")
                        .get(0)
                        .path("conditions")
                        .path("secretName")
                        .path("$glob")
                        .asString())
                .isEqualTo("DB_ROOT_*");
        Res dev = reader.api()
                .post(
                        explain,
                        Map.of(
                                "subject",
                                "secrets",
                                "action",
                                "readValue",
                                "environment",
                                "dev",
                                "secretPath",
                                "/",
                                "secretName",
                                "X"));
        assertThat(dev.body().path("allowed").asBoolean()).isFalse();
        assertThat(dev.body().path("decidedBy").size()).isZero();
        assertThat(reader.api()
                        .post(
                                explain,
                                Map.of(
                                        "identityId",
                                        server.admin.identityId(),
                                        "subject",
                                        "secrets",
                                        "action",
                                        "readValue"))
                        .status())
                .isEqualTo(403);
    }

    private static Api identityWithMetadata(
            TestServer server, String project, String role, List<Map<String, Object>> metadata) {
        return templated(server, project, role, metadata).api();
    }

    private record Templated(String id, Api api) {}

    private static Templated templated(
            TestServer server, String project, String role, List<Map<String, Object>> metadata) {
        Api admin = server.admin();
        String id = admin.post(
                        "/api/v1/identities",
                        Map.of(
                                "name",
                                Fixtures.unique("templ"),
                                "organizationId",
                                server.admin.orgId(),
                                "role",
                                "no-access",
                                "metadata",
                                metadata))
                .body()
                .path("identity")
                .path("id")
                .asString();
        String clientId = admin.post("/api/v1/auth/universal-auth/identities/" + id, Map.of())
                .body()
                .path("identityUniversalAuth")
                .path("clientId")
                .asString();
        String secret = admin.post("/api/v1/auth/universal-auth/identities/" + id + "/client-secrets", Map.of())
                .body()
                .path("clientSecret")
                .asString();
        assertThat(admin.post("/api/v2/workspace/" + project + "/identity-memberships/" + id, Map.of("role", role))
                        .status())
                .isEqualTo(200);
        return new Templated(id, server.as(new Fixtures(server).login(clientId, secret)));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void changedMetadataCountsOnTheNextRequest(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        f.folder(p, "dev", "/", "payments");
        f.folder(p, "dev", "/", "billing");
        Map<String, Object> teamPath = Map.of("secretPath", Map.of("$glob", "/{{identity.metadata.team}}/**"));
        createRole(
                admin,
                p,
                "team-reader",
                List.of(
                        Map.of("subject", "secrets", "action", "read", "conditions", teamPath),
                        Map.of("subject", "secret-folders", "action", "read", "conditions", teamPath)));
        Templated templated = templated(server, p, "team-reader", List.of(Map.of("key", "team", "value", "payments")));
        Api identity = templated.api();
        String identityId = templated.id();
        assertThat(identity.get(
                                "/api/v3/secrets/raw",
                                "workspaceId",
                                p,
                                "environment",
                                "dev",
                                "secretPath",
                                "/payments")
                        .status())
                .isEqualTo(200);

        // the permission cache holds the payments set; new metadata must not be served from it
        assertThat(admin.patch(
                                "/api/v1/identities/" + identityId,
                                Map.of("metadata", List.of(Map.of("key", "team", "value", "billing"))))
                        .status())
                .isEqualTo(200);
        assertThat(identity.get(
                                "/api/v3/secrets/raw",
                                "workspaceId",
                                p,
                                "environment",
                                "dev",
                                "secretPath",
                                "/payments")
                        .status())
                .isEqualTo(403);
        assertThat(identity.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev", "secretPath", "/billing")
                        .status())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void templatedRulesAreFilledInPerIdentityAndNeverWiden(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        f.folder(p, "dev", "/", "payments");
        f.folder(p, "dev", "/", "billing");
        f.createSecret(admin, p, "dev", "/payments", "PAY_KEY", "p");
        f.createSecret(admin, p, "dev", "/billing", "BILL_KEY", "b");
        Map<String, Object> teamPath = Map.of("secretPath", Map.of("$glob", "/{{identity.metadata.team}}/**"));
        createRole(
                admin,
                p,
                "team-reader",
                List.of(
                        Map.of("subject", "secrets", "action", "read", "conditions", teamPath),
                        Map.of("subject", "secret-folders", "action", "read", "conditions", teamPath)));

        Api payments =
                identityWithMetadata(server, p, "team-reader", List.of(Map.of("key", "team", "value", "payments")));
        assertThat(payments.get(
                                "/api/v3/secrets/raw",
                                "workspaceId",
                                p,
                                "environment",
                                "dev",
                                "secretPath",
                                "/payments")
                        .status())
                .isEqualTo(200);
        assertThat(payments.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev", "secretPath", "/billing")
                        .status())
                .isEqualTo(403);
        Api nobody = identityWithMetadata(server, p, "team-reader", List.of());
        assertThat(nobody.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev", "secretPath", "/payments")
                        .status())
                .isEqualTo(403);

        createRole(
                admin,
                p,
                "reader-with-templated-deny",
                List.of(
                        Map.of("subject", "secrets", "action", "read"),
                        Map.of("subject", "secret-folders", "action", "read"),
                        Map.of(
                                "subject",
                                "secrets",
                                "action",
                                "read",
                                "inverted",
                                true,
                                "conditions",
                                Map.of("secretName", Map.of("$glob", "{{identity.metadata.hidden}}*")))));
        Api unknownVariable = identityWithMetadata(server, p, "reader-with-templated-deny", List.of());
        assertThat(unknownVariable
                        .get(
                                "/api/v3/secrets/raw/PAY_KEY",
                                "workspaceId",
                                p,
                                "environment",
                                "dev",
                                "secretPath",
                                "/payments")
                        .status())
                .isEqualTo(403);
        Api hidesBill = identityWithMetadata(
                server, p, "reader-with-templated-deny", List.of(Map.of("key", "hidden", "value", "BILL")));
        assertThat(hidesBill
                        .get(
                                "/api/v3/secrets/raw/PAY_KEY",
                                "workspaceId",
                                p,
                                "environment",
                                "dev",
                                "secretPath",
                                "/payments")
                        .status())
                .isEqualTo(200);
        assertThat(hidesBill
                        .get(
                                "/api/v3/secrets/raw/BILL_KEY",
                                "workspaceId",
                                p,
                                "environment",
                                "dev",
                                "secretPath",
                                "/billing")
                        .status())
                .isEqualTo(403);
    }
}
