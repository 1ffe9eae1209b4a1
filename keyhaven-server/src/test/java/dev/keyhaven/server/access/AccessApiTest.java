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

/** Built-in roles, temporary roles, escalation and the org boundary, through the API on both databases. */
class AccessApiTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void aViewerReadsButCannotWrite(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        f.createSecret(server.admin(), p, "dev", "/", "VISIBLE", "v");
        Api viewer = f.identity(p, "viewer").api();
        Res list = viewer.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().path("secrets").get(0).path("secretValue").asString())
                .isEqualTo("v");
        Res write = f.createSecret(viewer, p, "dev", "/", "NOPE", "x");
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.body().path("error").asString()).isEqualTo("PermissionDenied");
        assertThat(write.body().path("message").asString()).isEqualTo("You are not allowed to create on secrets");
        assertThat(keys(server.admin()
                        .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .body()
                        .path("secrets")))
                .containsExactly("VISIBLE");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void noAccessRoleAndNonMembersAreRefused(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        Api noAccess = f.identity(p, "no-access").api();
        assertThat(noAccess.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(403);
        Api outsider = f.identity(null, "viewer").api();
        Res res = outsider.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev");
        assertThat(res.status()).isEqualTo(403);
        assertThat(outsider.get("/api/v1/workspace/" + p).status()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aMemberManagesSecretsButNotTheProject(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        Api member = f.identity(p, "member").api();
        assertThat(f.createSecret(member, p, "dev", "/", "MINE", "1").status()).isEqualTo(200);
        assertThat(member.delete("/api/v3/secrets/raw/MINE", Map.of("workspaceId", p, "environment", "dev"))
                        .status())
                .isEqualTo(200);
        assertThat(member.delete("/api/v1/workspace/" + p, null).status()).isEqualTo(403);
        assertThat(server.admin().get("/api/v1/workspace/" + p).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void hiddenValuesComeBackMasked(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        f.createSecret(server.admin(), p, "dev", "/", "MASKED", "s3cr3t");
        Res res = f.identity(p, "viewer")
                .api()
                .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev", "viewSecretValue", "false");
        var secret = res.body().path("secrets").get(0);
        assertThat(secret.path("secretValue").asString()).isEqualTo("<hidden-by-infisical>");
        assertThat(secret.path("secretValueHidden").asBoolean()).isTrue();
        assertThat(res.raw()).doesNotContain("s3cr3t");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aTemporaryRoleStopsCountingAtItsEnd(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        Fixtures.Machine m = f.identity(p, "no-access");
        Res grant = server.admin()
                .patch(
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
        var temporary = grant.body()
                .path("roles")
                .valueStream()
                .filter(r -> r.path("isTemporary").asBoolean())
                .findFirst();
        assertThat(temporary).isPresent();
        assertThat(temporary.get().path("role").asString()).isEqualTo("viewer");
        assertThat(temporary.get().path("temporaryAccessEndTime").isNull()).isFalse();
        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(200);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> m.api()
                                .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                                .status()
                        == 403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void nobodyGrantsMoreThanTheyHold(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        Fixtures.Machine member = f.identity(p, "member");
        Fixtures.Machine other = f.identity(null, "viewer");
        Res escalate = member.api()
                .post("/api/v2/workspace/" + p + "/identity-memberships/" + other.id(), Map.of("role", "admin"));
        assertThat(escalate.status()).as(escalate.toString()).isEqualTo(403);
        Res self = member.api()
                .patch("/api/v2/workspace/" + p + "/identity-memberships/" + member.id(), Map.of("role", "admin"));
        assertThat(self.status()).isEqualTo(403);
        Res orgAdmin = member.api()
                .post(
                        "/api/v1/identities",
                        Map.of("name", "x", "organizationId", server.admin.orgId(), "role", "admin"));
        assertThat(orgAdmin.status()).isEqualTo(403);
        Res allowed = member.api()
                .post("/api/v2/workspace/" + p + "/identity-memberships/" + other.id(), Map.of("role", "viewer"));
        assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void membershipsAreServedAtAllThreePathGenerations(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        Fixtures.Machine m = f.identity(null, "viewer");
        Api admin = server.admin();
        assertThat(admin.post("/api/v1/projects/" + p + "/memberships/identities/" + m.id(), Map.of("role", "viewer"))
                        .status())
                .isEqualTo(200);
        Res one = admin.get("/api/v1/projects/" + p + "/identity-memberships/" + m.id());
        assertThat(one.body()
                        .path("identityMembership")
                        .path("roles")
                        .get(0)
                        .path("role")
                        .asString())
                .isEqualTo("viewer");
        assertThat(one.body()
                        .path("identityMembership")
                        .path("identity")
                        .path("id")
                        .asString())
                .isEqualTo(m.id());
        Res list = admin.get("/api/v2/workspace/" + p + "/identity-memberships");
        assertThat(list.body().path("totalCount").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(admin.delete("/api/v2/workspace/" + p + "/identity-memberships/" + m.id(), null)
                        .status())
                .isEqualTo(200);
        assertThat(m.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anotherOrgCannotReadOrNameAnything(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        Res secret = f.createSecret(server.admin(), p, "dev", "/", "CROWN_JEWEL", "the-crown-value");
        String secretId = secret.body().path("secret").path("id").asString();
        Res folder =
                server.admin().post("/api/v1/folders", Map.of("workspaceId", p, "environment", "dev", "name", "vault"));
        String folderId = folder.body().path("folder").path("id").asString();
        Api foreign = server.as(f.otherOrgAdminToken());
        List<Res> attempts = List.of(
                foreign.get("/api/v1/workspace/" + p),
                foreign.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev"),
                foreign.get("/api/v3/secrets/raw/CROWN_JEWEL", "workspaceId", p, "environment", "dev"),
                foreign.get("/api/v3/secrets/raw/id/" + secretId),
                foreign.get("/api/v1/folders/" + folderId),
                foreign.get("/api/v1/identities/" + server.admin.identityId()),
                foreign.patch(
                        "/api/v3/secrets/raw/CROWN_JEWEL",
                        Map.of("workspaceId", p, "environment", "dev", "secretValue", "x")),
                foreign.post(
                        "/api/v2/workspace/" + p + "/identity-memberships/" + server.admin.identityId(),
                        Map.of("role", "admin")));
        for (Res r : attempts) {
            assertThat(r.status()).as(r.toString()).isIn(403, 404);
            assertThat(r.raw()).doesNotContain("the-crown-value").doesNotContain("CROWN_JEWEL\"");
        }
        assertThat(server.admin()
                        .get("/api/v3/secrets/raw/CROWN_JEWEL", "workspaceId", p, "environment", "dev")
                        .body()
                        .path("secret")
                        .path("secretValue")
                        .asString())
                .isEqualTo("the-crown-value");
    }
}
