package dev.keyhaven.server.access;

import static dev.keyhaven.server.support.Fixtures.keys;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Additional privileges for identities: extra allows, denies that beat roles, temporary ones that lapse, no escalation. */
class PrivilegeApiTest {
    private static final String BASE = "/api/v2/identity-project-additional-privilege";

    private static Res grant(
            Api api, String project, String identityId, List<Map<String, Object>> rules, Map<String, Object> type) {
        return api.post(
                BASE, Map.of("identityId", identityId, "projectId", project, "permissions", rules, "type", type));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aTemporaryPrivilegeGrantsAccessUntilItLapses(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        f.createSecret(server.admin(), p, "prod", "/", "PROD_KEY", "v");
        Fixtures.Machine m = f.identity(p, "no-access");
        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "prod")
                        .status())
                .isEqualTo(403);

        Res granted = grant(
                server.admin(),
                p,
                m.id(),
                List.of(Map.of("subject", "secrets", "action", "read", "conditions", Map.of("environment", "prod"))),
                Map.of("isTemporary", true, "temporaryMode", "relative", "temporaryRange", "3s"));
        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
        assertThat(granted.body()
                        .path("privilege")
                        .path("temporaryAccessEndTime")
                        .isNull())
                .isFalse();

        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "prod")
                        .status())
                .isEqualTo(200);
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> m.api()
                                .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "prod")
                                .status()
                        == 403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aDenyPrivilegeBeatsTheRoleAndCanBeRemoved(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        f.createSecret(server.admin(), p, "dev", "/", "OPEN", "1");
        f.createSecret(server.admin(), p, "dev", "/", "DB_ROOT", "2");
        Fixtures.Machine m = f.identity(p, "viewer");
        Res deny = grant(
                server.admin(),
                p,
                m.id(),
                List.of(Map.of(
                        "subject",
                        "secrets",
                        "action",
                        List.of("describeSecret", "readValue"),
                        "inverted",
                        true,
                        "conditions",
                        Map.of("secretName", Map.of("$glob", "DB_*")))),
                Map.of("isTemporary", false));
        assertThat(deny.status()).as(deny.toString()).isEqualTo(200);
        assertThat(keys(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .body()
                        .path("secrets")))
                .containsExactly("OPEN");
        String id = deny.body().path("privilege").path("id").asString();
        Res list = server.admin().get(BASE, "identityId", m.id(), "projectId", p);
        assertThat(list.body().path("privileges").size()).isEqualTo(1);
        assertThat(list.body().path("privileges").get(0).has("permissions")).isFalse();
        assertThat(server.admin()
                        .get(BASE + "/" + id)
                        .body()
                        .path("privilege")
                        .path("permissions")
                        .size())
                .isEqualTo(1);
        assertThat(server.admin().delete(BASE + "/" + id, null).status()).isEqualTo(200);
        assertThat(keys(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .body()
                        .path("secrets")))
                .containsExactlyInAnyOrder("OPEN", "DB_ROOT");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void privilegesCannotEscalate(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        Fixtures.Machine member = f.identity(p, "member");
        Fixtures.Machine other = f.identity(p, "viewer");
        List<Map<String, Object>> rules = List.of(Map.of("subject", "secrets", "action", "read"));
        assertThat(grant(member.api(), p, other.id(), rules, Map.of("isTemporary", false))
                        .status())
                .isEqualTo(403);
        Fixtures.Machine admin = f.identity(p, "admin");
        assertThat(grant(admin.api(), p, admin.id(), rules, Map.of("isTemporary", false))
                        .status())
                .isEqualTo(403);
        Res badRule = grant(
                server.admin(),
                p,
                other.id(),
                List.of(Map.of("subject", "nope", "action", "read")),
                Map.of("isTemporary", false));
        assertThat(badRule.status()).isEqualTo(422);
        Fixtures.Machine outsider = f.identity(null, "viewer");
        assertThat(grant(server.admin(), p, outsider.id(), rules, Map.of("isTemporary", false))
                        .status())
                .isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aGrantorMayDelegateInsideItsOwnConditionsAndNoFurther(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        f.folder(p, "prod", "/", "backend");
        f.folder(p, "prod", "/backend", "api");
        f.folder(p, "prod", "/", "frontend");
        f.createSecret(admin, p, "prod", "/backend/api", "API_KEY", "api");
        f.createSecret(admin, p, "prod", "/backend", "DB_URL", "db");
        f.createSecret(admin, p, "prod", "/frontend", "CDN_KEY", "cdn");
        Res role = admin.post(
                "/api/v2/workspace/" + p + "/roles",
                Map.of(
                        "slug",
                        "backend-lead",
                        "name",
                        "backend-lead",
                        "permissions",
                        List.of(
                                Map.of(
                                        "subject",
                                        "secrets",
                                        "action",
                                        "read",
                                        "conditions",
                                        Map.of("environment", "prod", "secretPath", Map.of("$glob", "/backend/**"))),
                                Map.of("subject", "identity", "action", "grant-privileges"))));
        assertThat(role.status()).as(role.toString()).isEqualTo(200);
        Fixtures.Machine lead = f.identity(p, "backend-lead");
        Fixtures.Machine teammate = f.identity(p, "no-access");

        Res narrower = grant(
                lead.api(),
                p,
                teammate.id(),
                List.of(Map.of(
                        "subject",
                        "secrets",
                        "action",
                        "read",
                        "conditions",
                        Map.of("environment", "prod", "secretPath", Map.of("$glob", "/backend/api/**")))),
                Map.of("isTemporary", false));
        assertThat(narrower.status()).as(narrower.toString()).isEqualTo(200);
        assertThat(teammate.api()
                        .get(
                                "/api/v3/secrets/raw/API_KEY",
                                "workspaceId",
                                p,
                                "environment",
                                "prod",
                                "secretPath",
                                "/backend/api")
                        .body()
                        .path("secret")
                        .path("secretValue")
                        .asString())
                .isEqualTo("api");
        assertThat(teammate.api()
                        .get(
                                "/api/v3/secrets/raw/DB_URL",
                                "workspaceId",
                                p,
                                "environment",
                                "prod",
                                "secretPath",
                                "/backend")
                        .status())
                .isEqualTo(403);
        assertThat(teammate.api()
                        .get(
                                "/api/v3/secrets/raw/CDN_KEY",
                                "workspaceId",
                                p,
                                "environment",
                                "prod",
                                "secretPath",
                                "/frontend")
                        .status())
                .isEqualTo(403);

        Res sibling = grant(
                lead.api(),
                p,
                teammate.id(),
                List.of(Map.of(
                        "subject",
                        "secrets",
                        "action",
                        "read",
                        "conditions",
                        Map.of("environment", "prod", "secretPath", Map.of("$glob", "/frontend/**")))),
                Map.of("isTemporary", false));
        assertThat(sibling.status()).as(sibling.toString()).isEqualTo(403);
        Res everything = grant(
                lead.api(),
                p,
                teammate.id(),
                List.of(Map.of("subject", "secrets", "action", "read")),
                Map.of("isTemporary", false));
        assertThat(everything.status()).as(everything.toString()).isEqualTo(403);
        assertThat(teammate.api()
                        .get(
                                "/api/v3/secrets/raw/CDN_KEY",
                                "workspaceId",
                                p,
                                "environment",
                                "prod",
                                "secretPath",
                                "/frontend")
                        .status())
                .isEqualTo(403);
    }
}
