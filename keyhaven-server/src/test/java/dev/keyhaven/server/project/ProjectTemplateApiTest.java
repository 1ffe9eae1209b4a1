package dev.keyhaven.server.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Project templates: CRUD and validation with Infisical's shapes, projects made from a template,
 * and Keyhaven's drift report and apply (audited, all or nothing, never beyond the actor's rights).
 */
class ProjectTemplateApiTest {
    private static final String TEMPLATES = "/api/v1/project-templates";

    private static final List<Map<String, Object>> DEPLOYER_V1 = List.of(
            Map.of("subject", "secrets", "action", List.of("read", "edit"), "conditions", Map.of("environment", "qa")));
    private static final List<Map<String, Object>> DEPLOYER_V2 = List.of(Map.of(
            "subject",
            "secrets",
            "action",
            List.of("read", "edit"),
            "conditions",
            Map.of("environment", Map.of("$in", List.of("qa", "live")))));
    private static final List<Map<String, Object>> AUDITOR = List.of(Map.of("subject", "audit-logs", "action", "read"));

    private static Map<String, Object> env(String name, String slug, int position) {
        return Map.of("name", name, "slug", slug, "position", position);
    }

    private static Map<String, Object> role(String slug, List<Map<String, Object>> permissions) {
        return Map.of(
                "name",
                slug.substring(0, 1).toUpperCase() + slug.substring(1),
                "slug",
                slug,
                "permissions",
                permissions);
    }

    private static Map<String, Object> templateBody(String name, List<?> envs, List<?> roles) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("description", "for tests");
        body.put("type", "secret-manager");
        body.put("environments", envs);
        body.put("roles", roles);
        return body;
    }

    /** A template with environments local, qa, live and roles deployer and auditor; returns its id. */
    private static String standardTemplate(Api api, String name) {
        Res res = api.post(
                TEMPLATES,
                templateBody(
                        name,
                        List.of(env("Local", "local", 1), env("QA", "qa", 2), env("Live", "live", 3)),
                        List.of(role("deployer", DEPLOYER_V1), role("auditor", AUDITOR))));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("projectTemplate").path("id").asString();
    }

    private static String projectFrom(Api api, String template) {
        Res res = api.post("/api/v2/workspace", Map.of("projectName", Fixtures.unique("proj"), "template", template));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("project").path("id").asString();
    }

    private static List<String> envSlugs(Api api, String projectId) {
        Res res = api.get("/api/v1/workspace/" + projectId);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body()
                .path("workspace")
                .path("environments")
                .valueStream()
                .map(e -> e.path("slug").asString())
                .toList();
    }

    private static List<String> roleSlugs(Api api, String projectId) {
        return api.get("/api/v1/projects/" + projectId + "/roles")
                .body()
                .path("roles")
                .valueStream()
                .map(r -> r.path("slug").asString())
                .toList();
    }

    private static List<String> slugs(JsonNode list) {
        return list.valueStream().map(n -> n.path("slug").asString()).toList();
    }

    private static JsonNode driftOf(Api api, String templateId, String projectId) {
        Res res = api.get(TEMPLATES + "/" + templateId + "/drift");
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body()
                .path("projects")
                .valueStream()
                .filter(p -> projectId.equals(p.path("projectId").asString()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("project not in drift report: " + res));
    }

    private static Res apply(Api api, String templateId, List<String> projectIds, boolean removeExtras) {
        return api.post(
                TEMPLATES + "/" + templateId + "/apply",
                Map.of("projectIds", projectIds, "removeExtras", removeExtras));
    }

    private static List<JsonNode> auditEvents(Api api, String projectId, String type) {
        Res res = api.get(
                "/api/v1/organization/audit-logs",
                "projectId",
                projectId,
                "eventType",
                type,
                "startDate",
                Instant.now().minus(10, ChronoUnit.MINUTES).toString());
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        res.body().path("auditLogs").valueStream().forEach(out::add);
        return out;
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void templatesAreCreatedReadChangedAndDeletedInInfisicalsShape(Db db) {
        Api admin = TestServers.shared(db).admin();
        String name = Fixtures.unique("tpl");
        String id = standardTemplate(admin, name);

        JsonNode t = admin.get(TEMPLATES + "/" + id).body().path("projectTemplate");
        assertThat(t.path("name").asString()).isEqualTo(name);
        assertThat(t.path("type").asString()).isEqualTo("secret-manager");
        assertThat(t.path("version").asInt()).isEqualTo(1);
        assertThat(slugs(t.path("roles")))
                .containsExactly("admin", "member", "viewer", "no-access", "deployer", "auditor");
        assertThat(slugs(t.path("environments"))).containsExactly("local", "qa", "live");
        assertThat(t.path("environments").get(1).path("position").asInt()).isEqualTo(2);
        assertThat(t.path("users").isArray()).isTrue();
        assertThat(t.path("identities").size()).isZero();
        assertThat(t.path("projectManagedIdentities").isNull()).isTrue();

        Res list = admin.get(TEMPLATES, "type", "secret-manager");
        List<String> names = list.body()
                .path("projectTemplates")
                .valueStream()
                .map(n -> n.path("name").asString())
                .toList();
        assertThat(names.get(0)).isEqualTo("default");
        assertThat(names).contains(name);

        // Terraform always sends users/groups/identities; [] is accepted and changes nothing
        Res same = admin.patch(
                TEMPLATES + "/" + id,
                Map.of(
                        "description",
                        "for tests",
                        "users",
                        List.of(),
                        "groups",
                        List.of(),
                        "identities",
                        List.of(),
                        "type",
                        "secret-manager"));
        assertThat(same.status()).as(same.toString()).isEqualTo(200);
        assertThat(same.body().path("projectTemplate").path("version").asInt()).isEqualTo(1);
        Res changed = admin.patch(TEMPLATES + "/" + id, Map.of("description", "changed"));
        assertThat(changed.body().path("projectTemplate").path("version").asInt())
                .isEqualTo(2);
        assertThat(changed.body().path("projectTemplate").path("description").asString())
                .isEqualTo("changed");

        assertThat(admin.delete(TEMPLATES + "/" + id, null).status()).isEqualTo(200);
        assertThat(admin.get(TEMPLATES + "/" + id).status()).isEqualTo(404);
        assertThat(admin.get(TEMPLATES + "/not-a-uuid").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void badTemplatesAreRefusedNamingTheField(Db db) {
        Api admin = TestServers.shared(db).admin();
        List<Map<String, Object>> ok = List.of(env("Dev", "dev", 1));
        Map<String, Map<String, Object>> bad = new java.util.LinkedHashMap<>();
        bad.put("environments.0.slug", templateBody(Fixtures.unique("t"), List.of(env("Prod", "Prod!", 1)), List.of()));
        bad.put(
                "environments.1.slug",
                templateBody(Fixtures.unique("t"), List.of(env("A", "a", 1), env("B", "a", 2)), List.of()));
        bad.put(
                "environments.1.position",
                templateBody(Fixtures.unique("t"), List.of(env("A", "a", 1), env("B", "b", 3)), List.of()));
        bad.put(
                "roles.1.slug",
                templateBody(Fixtures.unique("t"), ok, List.of(role("ops", AUDITOR), role("ops", AUDITOR))));
        bad.put(
                "roles.0.name",
                templateBody(
                        Fixtures.unique("t"),
                        ok,
                        List.of(Map.of("name", "No Access", "slug", "nobody", "permissions", AUDITOR))));
        bad.put(
                "roles.0.permissions",
                templateBody(
                        Fixtures.unique("t"),
                        ok,
                        List.of(role("ops", List.of(Map.of("subject", "secretz", "action", "read"))))));
        bad.put("name", templateBody("default", ok, List.of()));
        Map<String, Object> withUsers = templateBody(Fixtures.unique("t"), ok, List.of());
        withUsers.put("users", List.of(Map.of("username", "someone@example.com", "roles", List.of("admin"))));
        bad.put("users", withUsers);
        bad.forEach((field, body) -> {
            Res res = admin.post(TEMPLATES, body);
            assertThat(res.status()).as(field + ": " + res).isEqualTo(422);
            String[] path = field.split("\\.");
            assertThat(res.raw())
                    .as(field)
                    .contains("\"" + path[0] + "\"")
                    .contains("\"" + path[path.length - 1] + "\"");
        });
        for (String slug : List.of(
                "admin",
                "Admin",
                " admin",
                "ADMIN",
                "admin\u200b",
                "\uff41\uff44\uff4d\uff49\uff4e",
                "No-Access",
                "member\u00a0",
                "viewer ")) {
            Res res = admin.post(
                    TEMPLATES,
                    templateBody(
                            Fixtures.unique("t"),
                            ok,
                            List.of(Map.of("name", "Custom one", "slug", slug, "permissions", AUDITOR))));
            assertThat(res.status()).as(slug + " -> " + res).isEqualTo(422);
        }
        Map<String, Object> certs = templateBody(Fixtures.unique("t"), ok, List.of());
        certs.put("type", "cert-manager");
        assertThat(admin.post(TEMPLATES, certs).status()).isEqualTo(400);
        String name = Fixtures.unique("t");
        assertThat(admin.post(TEMPLATES, templateBody(name, ok, List.of())).status())
                .isEqualTo(200);
        assertThat(admin.post(TEMPLATES, templateBody(name, ok, List.of())).status())
                .isEqualTo(400);
        assertThat(admin.get(TEMPLATES)
                        .body()
                        .path("projectTemplates")
                        .valueStream()
                        .filter(n -> n.path("name").asString().equals(name))
                        .count())
                .isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aProjectFromATemplateHasExactlyItsEnvironmentsAndRoles(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String name = Fixtures.unique("tpl");
        standardTemplate(admin, name);

        String p = projectFrom(admin, name);
        assertThat(envSlugs(admin, p)).containsExactly("local", "qa", "live");
        assertThat(roleSlugs(admin, p))
                .containsExactly("admin", "member", "viewer", "no-access", "auditor", "deployer");
        JsonNode deployer = admin.get("/api/v1/projects/" + p + "/roles/slug/deployer")
                .body()
                .path("role");
        assertThat(deployer.path("name").asString()).isEqualTo("Deployer");
        assertThat(deployer.path("permissions")
                        .get(0)
                        .path("conditions")
                        .path("environment")
                        .asString())
                .isEqualTo("qa");
        // the template's environments are real ones, with a root folder for secrets
        Res secret = new Fixtures(server).createSecret(admin, p, "qa", "/", "API_KEY", "v");
        assertThat(secret.status()).as(secret.toString()).isEqualTo(200);

        Res unknown = admin.post("/api/v2/workspace", Map.of("projectName", "x", "template", Fixtures.unique("nope")));
        assertThat(unknown.status()).isEqualTo(404);
        Res wrongType = admin.post("/api/v2/workspace", Map.of("projectName", "x", "template", name, "type", "kms"));
        assertThat(wrongType.status()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theDefaultTemplateBehavesAsBefore(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String plain = new Fixtures(server).project();
        String byName = projectFrom(admin, "default");
        for (String p : List.of(plain, byName)) {
            assertThat(envSlugs(admin, p)).containsExactly("dev", "staging", "prod");
            assertThat(roleSlugs(admin, p)).containsExactly("admin", "member", "viewer", "no-access");
        }
        Res none = admin.post(
                "/api/v2/workspace", Map.of("projectName", Fixtures.unique("p"), "shouldCreateDefaultEnvs", false));
        assertThat(none.body().path("project").path("environments").size()).isZero();

        JsonNode def = admin.get(TEMPLATES).body().path("projectTemplates").get(0);
        assertThat(def.path("name").asString()).isEqualTo("default");
        String defId = def.path("id").asString();
        JsonNode got = admin.get(TEMPLATES + "/" + defId).body().path("projectTemplate");
        assertThat(slugs(got.path("environments"))).containsExactly("dev", "staging", "prod");
        assertThat(slugs(got.path("roles"))).containsExactly("admin", "member", "viewer", "no-access");
        assertThat(admin.patch(TEMPLATES + "/" + defId, Map.of("description", "x"))
                        .status())
                .isEqualTo(400);
        assertThat(admin.delete(TEMPLATES + "/" + defId, null).status()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void driftShowsTemplateChangesAndWhatTheProjectAdded(Db db) {
        Api admin = TestServers.shared(db).admin();
        String name = Fixtures.unique("tpl");
        String id = standardTemplate(admin, name);
        String p = projectFrom(admin, name);
        String untouched = projectFrom(admin, name);
        JsonNode fresh = driftOf(admin, id, p);
        assertThat(fresh.path("inSync").asBoolean()).as(fresh.toString()).isTrue();

        Res v2 = admin.patch(
                TEMPLATES + "/" + id,
                Map.of(
                        "environments",
                                List.of(
                                        env("Local", "local", 1),
                                        env("Quality", "qa", 2),
                                        env("Live", "live", 3),
                                        env("Perf", "perf", 4)),
                        "roles", List.of(role("deployer", DEPLOYER_V2), role("oncall", AUDITOR))));
        assertThat(v2.status()).as(v2.toString()).isEqualTo(200);
        assertThat(v2.body().path("projectTemplate").path("version").asInt()).isEqualTo(2);
        assertThat(admin.post("/api/v1/projects/" + p + "/environments", Map.of("name", "Sandbox", "slug", "sandbox"))
                        .status())
                .isEqualTo(200);
        assertThat(admin.post(
                                "/api/v2/workspace/" + p + "/roles",
                                Map.of("slug", "local-role", "name", "Local role", "permissions", AUDITOR))
                        .status())
                .isEqualTo(200);

        JsonNode d = driftOf(admin, id, p);
        assertThat(d.path("templateVersion").asInt()).isEqualTo(1);
        assertThat(d.path("currentVersion").asInt()).isEqualTo(2);
        assertThat(d.path("inSync").asBoolean()).isFalse();
        assertThat(slugs(d.path("environments").path("missing"))).containsExactly("perf");
        assertThat(slugs(d.path("environments").path("extra"))).containsExactly("sandbox");
        JsonNode qa = d.path("environments").path("changed").get(0);
        assertThat(d.path("environments").path("changed").size()).isEqualTo(1);
        assertThat(qa.path("slug").asString()).isEqualTo("qa");
        assertThat(qa.path("fields").get(0).asString()).isEqualTo("name");
        assertThat(qa.path("project").path("name").asString()).isEqualTo("QA");
        assertThat(qa.path("template").path("name").asString()).isEqualTo("Quality");
        assertThat(slugs(d.path("roles").path("missing"))).containsExactly("oncall");
        assertThat(slugs(d.path("roles").path("extra"))).containsExactlyInAnyOrder("auditor", "local-role");
        assertThat(slugs(d.path("roles").path("changed"))).containsExactly("deployer");
        assertThat(d.path("roles").path("changed").get(0).path("fields").toString())
                .isEqualTo("[\"permissions\"]");

        JsonNode other = driftOf(admin, id, untouched);
        assertThat(slugs(other.path("environments").path("extra"))).isEmpty();
        assertThat(slugs(other.path("roles").path("extra"))).containsExactly("auditor");

        // the same rules written in another order are no drift
        Res reordered = admin.patch(
                TEMPLATES + "/" + id,
                Map.of(
                        "roles",
                        List.of(
                                role(
                                        "deployer",
                                        DEPLOYER_V1.stream()
                                                .map(r -> Map.<String, Object>of(
                                                        "subject",
                                                        "secrets",
                                                        "action",
                                                        List.of("edit", "read"),
                                                        "conditions",
                                                        r.get("conditions")))
                                                .toList()),
                                role("auditor", AUDITOR))));
        assertThat(reordered.body().path("projectTemplate").path("version").asInt())
                .isEqualTo(3);
        assertThat(slugs(driftOf(admin, id, untouched).path("roles").path("changed")))
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void applyKeepsWhatTheProjectAddedFixesTheRestAndIsAudited(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String name = Fixtures.unique("tpl");
        String id = standardTemplate(admin, name);
        String p = projectFrom(admin, name);
        admin.patch(
                TEMPLATES + "/" + id,
                Map.of(
                        "environments",
                                List.of(
                                        env("Local", "local", 1),
                                        env("Quality", "qa", 2),
                                        env("Live", "live", 3),
                                        env("Perf", "perf", 4)),
                        "roles", List.of(role("deployer", DEPLOYER_V2), role("oncall", AUDITOR))));
        admin.post(
                "/api/v1/projects/" + p + "/environments", Map.of("name", "Sandbox", "slug", "sandbox", "position", 1));
        admin.post(
                "/api/v2/workspace/" + p + "/roles",
                Map.of("slug", "local-role", "name", "Local role", "permissions", AUDITOR));
        assertThat(new Fixtures(server)
                        .createSecret(admin, p, "sandbox", "/", "SANDBOX_KEY", "v")
                        .status())
                .isEqualTo(200);

        Res applied = apply(admin, id, List.of(p), false);
        assertThat(applied.status()).as(applied.toString()).isEqualTo(200);
        JsonNode changes = applied.body().path("projects").get(0).path("changes");
        assertThat(changes.path("environments").path("added").toString()).isEqualTo("[\"perf\"]");
        assertThat(changes.path("environments").path("removed").size()).isZero();
        assertThat(changes.path("roles").path("added").toString()).isEqualTo("[\"oncall\"]");
        assertThat(changes.path("roles").path("updated").toString()).isEqualTo("[\"deployer\"]");

        assertThat(envSlugs(admin, p)).containsExactly("local", "qa", "live", "perf", "sandbox");
        assertThat(roleSlugs(admin, p)).contains("auditor", "local-role", "oncall", "deployer");
        JsonNode deployer = admin.get("/api/v1/projects/" + p + "/roles/slug/deployer")
                .body()
                .path("role");
        assertThat(deployer.path("permissions")
                        .get(0)
                        .path("conditions")
                        .path("environment")
                        .path("$in")
                        .size())
                .isEqualTo(2);
        JsonNode after = driftOf(admin, id, p);
        assertThat(after.path("templateVersion").asInt()).isEqualTo(2);
        assertThat(slugs(after.path("environments").path("missing"))).isEmpty();
        assertThat(after.path("environments").path("changed").size()).isZero();
        assertThat(slugs(after.path("roles").path("changed"))).isEmpty();
        assertThat(slugs(after.path("environments").path("extra"))).containsExactly("sandbox");
        assertThat(slugs(after.path("roles").path("extra"))).containsExactlyInAnyOrder("auditor", "local-role");

        List<JsonNode> events = auditEvents(admin, p, "apply-project-template");
        assertThat(events).hasSize(1);
        JsonNode metadata = events.get(0).path("event").path("metadata");
        assertThat(metadata.path("fromVersion").asInt()).isEqualTo(1);
        assertThat(metadata.path("toVersion").asInt()).isEqualTo(2);
        assertThat(metadata.path("changes").path("roles").path("added").toString())
                .isEqualTo("[\"oncall\"]");

        // removing extras stops at an environment that still holds secrets, and then changes nothing
        Res refused = apply(admin, id, List.of(p), true);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.raw()).contains("sandbox");
        assertThat(roleSlugs(admin, p)).contains("local-role", "auditor");
        assertThat(auditEvents(admin, p, "apply-project-template")).hasSize(1);

        Res deleted = admin.delete(
                "/api/v3/secrets/raw/SANDBOX_KEY",
                Map.of("workspaceId", p, "environment", "sandbox", "secretPath", "/"));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        Res cleaned = apply(admin, id, List.of(p), true);
        assertThat(cleaned.status()).as(cleaned.toString()).isEqualTo(200);
        assertThat(envSlugs(admin, p)).containsExactly("local", "qa", "live", "perf");
        assertThat(roleSlugs(admin, p)).containsExactly("admin", "member", "viewer", "no-access", "deployer", "oncall");
        assertThat(driftOf(admin, id, p).path("inSync").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void applyReachesNoProjectWhenTheActorDoesNotAdministerEveryOne(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        Fixtures.Machine manager = templateManager(server);
        String name = Fixtures.unique("tpl");
        String id = standardTemplate(admin, name);
        String own = projectFrom(manager.api(), name);
        String viewed = projectFrom(admin, name);
        String foreign = projectFrom(admin, name);
        Res viewer = admin.post(
                "/api/v2/workspace/" + viewed + "/identity-memberships/" + manager.id(), Map.of("role", "viewer"));
        assertThat(viewer.status()).as(viewer.toString()).isEqualTo(200);
        admin.patch(
                TEMPLATES + "/" + id,
                Map.of(
                        "environments",
                        List.of(
                                env("Local", "local", 1),
                                env("QA", "qa", 2),
                                env("Live", "live", 3),
                                env("Perf", "perf", 4))));

        Res refused = apply(manager.api(), id, List.of(own, viewed, foreign), false);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.body()
                        .path("details")
                        .valueStream()
                        .map(n -> n.path("projectId").asString()))
                .containsExactlyInAnyOrder(viewed, foreign);
        for (String p : List.of(own, viewed)) {
            assertThat(envSlugs(manager.api(), p)).containsExactly("local", "qa", "live");
        }
        assertThat(envSlugs(admin, foreign)).containsExactly("local", "qa", "live");
        assertThat(auditEvents(admin, own, "apply-project-template")).isEmpty();

        Res report = manager.api().get(TEMPLATES + "/" + id + "/drift");
        assertThat(report.body()
                        .path("projects")
                        .valueStream()
                        .map(n -> n.path("projectId").asString()))
                .containsExactlyInAnyOrder(own, viewed);
        assertThat(report.body().path("hiddenProjects").asInt()).isEqualTo(1);

        Res mine = apply(manager.api(), id, List.of(own), false);
        assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
        assertThat(envSlugs(manager.api(), own)).containsExactly("local", "qa", "live", "perf");

        Api member = f.identity(null, "viewer").api();
        assertThat(apply(member, id, List.of(own), false).status()).isEqualTo(403);
        assertThat(member.post(TEMPLATES, templateBody(Fixtures.unique("t"), List.of(), List.of()))
                        .status())
                .isEqualTo(403);
        assertThat(member.get(TEMPLATES).status()).isEqualTo(403);
        assertThat(member.post("/api/v2/workspace", Map.of("projectName", "x", "template", name))
                        .status())
                .isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void templatesOfAnotherOrganizationAreInvisible(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String name = Fixtures.unique("tpl");
        String id = standardTemplate(admin, name);
        String p = projectFrom(admin, name);
        Api other = server.as(new Fixtures(server).otherOrgAdminToken());
        assertThat(other.get(TEMPLATES + "/" + id).status()).isEqualTo(404);
        assertThat(other.get(TEMPLATES + "/" + id + "/drift").status()).isEqualTo(404);
        assertThat(apply(other, id, List.of(p), false).status()).isEqualTo(404);
        assertThat(other.post("/api/v2/workspace", Map.of("projectName", "x", "template", name))
                        .status())
                .isEqualTo(404);
        String otherTemplate = standardTemplate(other, name);
        assertThat(apply(other, otherTemplate, List.of(p), false).status()).isEqualTo(404);
        assertThat(apply(admin, id, List.of(new Fixtures(server).project()), false)
                        .status())
                .isEqualTo(400);
    }

    /** An identity whose org role may manage templates and create projects, and nothing else. */
    private static Fixtures.Machine templateManager(TestServer server) {
        Api admin = server.admin();
        String slug = Fixtures.unique("template-manager");
        Res role = admin.post(
                "/api/v1/organization/roles",
                Map.of(
                        "slug",
                        slug,
                        "name",
                        slug,
                        "permissions",
                        List.of(
                                Map.of(
                                        "subject",
                                        "project-templates",
                                        "action",
                                        List.of("read", "create", "edit", "delete")),
                                Map.of("subject", "workspace", "action", "create"))));
        assertThat(role.status()).as(role.toString()).isEqualTo(200);
        Res created = admin.post(
                "/api/v1/identities",
                Map.of("name", Fixtures.unique("mgr"), "organizationId", server.admin.orgId(), "role", slug));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        String identityId = created.body().path("identity").path("id").asString();
        String clientId = admin.post("/api/v1/auth/universal-auth/identities/" + identityId, Map.of())
                .body()
                .path("identityUniversalAuth")
                .path("clientId")
                .asString();
        String secret = admin.post("/api/v1/auth/universal-auth/identities/" + identityId + "/client-secrets", Map.of())
                .body()
                .path("clientSecret")
                .asString();
        Fixtures f = new Fixtures(server);
        String token = f.login(clientId, secret);
        return new Fixtures.Machine(identityId, clientId, secret, token, server.as(token));
    }
}
