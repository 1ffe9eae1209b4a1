package dev.keyhaven.server.access;

import static dev.keyhaven.server.support.Fixtures.keys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Additional privileges for people ({@code /api/v1/user-project-additional-privilege}): exactly
 * the access granted, temporary ones lapse, nobody grants themselves or more than they hold, and
 * only a person's session may use the routes.
 */
class UserPrivilegeApiTest {
    private static final String BASE = "/api/v1/user-project-additional-privilege";
    private static final Map<String, Object> PERMANENT = Map.of("isTemporary", false);

    /** An org administered by a person, with a project holding secrets in dev /, dev /backend and prod /backend. */
    private record Setup(TestServer server, People people, People.OrgAdmin owner, String project) {
        Api admin() {
            return owner.api();
        }

        /** A new org member who joins the project with the given role; returns their session and membership id. */
        Member member(String prefix, String role) {
            String email = people.invitedMember(owner, prefix, "member");
            Res added = admin().post(
                            "/api/v2/workspace/" + project + "/memberships",
                            Map.of("emails", List.of(email), "roleSlugs", List.of(role)));
            assertThat(added.status()).as(added.toString()).isEqualTo(200);
            return new Member(
                    email,
                    server.as(people.token(email)),
                    added.body().path("memberships").get(0).path("id").asString());
        }

        Res read(Api api, String env, String path) {
            return api.get("/api/v3/secrets/raw", "workspaceId", project, "environment", env, "secretPath", path);
        }
    }

    private record Member(String email, Api api, String membershipId) {}

    private static Setup setup(Db db, String prefix) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin admin = people.orgAdmin(prefix);
        Res project = admin.api().post("/api/v2/workspace", Map.of("projectName", Fixtures.unique("p")));
        assertThat(project.status()).as(project.toString()).isEqualTo(200);
        String p = project.body().path("project").path("id").asString();
        Fixtures f = new Fixtures(server);
        for (String env : List.of("dev", "prod")) {
            Res folder = admin.api()
                    .post(
                            "/api/v1/folders",
                            Map.of("workspaceId", p, "environment", env, "path", "/", "name", "backend"));
            assertThat(folder.status()).as(folder.toString()).isEqualTo(200);
        }
        assertThat(f.createSecret(admin.api(), p, "dev", "/", "DEV_ROOT", "1").status())
                .isEqualTo(200);
        assertThat(f.createSecret(admin.api(), p, "dev", "/backend", "DEV_BACKEND", "2")
                        .status())
                .isEqualTo(200);
        assertThat(f.createSecret(admin.api(), p, "prod", "/backend", "PROD_BACKEND", "3")
                        .status())
                .isEqualTo(200);
        return new Setup(server, people, admin, p);
    }

    private static Map<String, Object> readRule(String env, String path) {
        return Map.of(
                "subject",
                "secrets",
                "action",
                List.of("read"),
                "conditions",
                Map.of("environment", env, "secretPath", path));
    }

    private static Res grant(Api api, String membershipId, List<Map<String, Object>> rules, Map<String, Object> type) {
        return api.post(BASE, Map.of("projectMembershipId", membershipId, "permissions", rules, "type", type));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aPrivilegeForOnePathGrantsExactlyThatPath(Db db) {
        Setup s = setup(db, "priv-exact");
        Member m = s.member("reader", "no-access");
        assertThat(s.read(m.api(), "dev", "/backend").status()).isEqualTo(403);

        Res granted = grant(s.admin(), m.membershipId(), List.of(readRule("dev", "/backend")), PERMANENT);
        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
        var privilege = granted.body().path("privilege");
        assertThat(privilege.path("projectMembershipId").asString()).isEqualTo(m.membershipId());
        assertThat(privilege.path("projectId").asString()).isEqualTo(s.project());
        assertThat(privilege.path("userId").asString()).isNotBlank();
        assertThat(privilege.path("isTemporary").asBoolean()).isFalse();
        assertThat(privilege.path("slug").asString()).startsWith("privilege-");
        assertThat(privilege.path("permissions").get(0).path("subject").asString())
                .isEqualTo("secrets");

        Res backend = s.read(m.api(), "dev", "/backend");
        assertThat(backend.status()).as(backend.toString()).isEqualTo(200);
        assertThat(keys(backend.body().path("secrets"))).containsExactly("DEV_BACKEND");
        assertThat(s.read(m.api(), "dev", "/").status()).isEqualTo(403);
        assertThat(s.read(m.api(), "prod", "/backend").status()).isEqualTo(403);
        assertThat(m.api()
                        .post(
                                "/api/v3/secrets/raw/NEW",
                                Map.of(
                                        "workspaceId",
                                        s.project(),
                                        "environment",
                                        "dev",
                                        "secretPath",
                                        "/backend",
                                        "secretValue",
                                        "x"))
                        .status())
                .as("read only")
                .isEqualTo(403);

        String id = privilege.path("id").asString();
        Res list = s.admin().get(BASE, "projectMembershipId", m.membershipId());
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().path("privileges").size()).isEqualTo(1);
        assertThat(list.body().path("privileges").get(0).has("permissions")).isFalse();
        assertThat(s.admin()
                        .get(BASE + "/" + id)
                        .body()
                        .path("privilege")
                        .path("permissions")
                        .size())
                .isEqualTo(1);

        Res renamed = s.admin().patch(BASE + "/" + id, Map.of("slug", "backend-reader"));
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.body().path("privilege").path("slug").asString()).isEqualTo("backend-reader");
        assertThat(s.read(m.api(), "dev", "/backend").status()).as("rules kept").isEqualTo(200);

        assertThat(s.admin().delete(BASE + "/" + id, null).status()).isEqualTo(200);
        assertThat(s.read(m.api(), "dev", "/backend").status()).isEqualTo(403);
        assertThat(s.admin().get(BASE + "/" + id).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aTemporaryPrivilegeLapsesAtItsEndTime(Db db) {
        Setup s = setup(db, "priv-temp");
        Member m = s.member("temp", "no-access");
        Res granted = grant(
                s.admin(),
                m.membershipId(),
                List.of(readRule("prod", "/backend")),
                Map.of(
                        "isTemporary",
                        true,
                        "temporaryMode",
                        "relative",
                        "temporaryRange",
                        "2s",
                        "temporaryAccessStartTime",
                        java.time.Instant.now().toString()));
        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
        var privilege = granted.body().path("privilege");
        assertThat(privilege.path("isTemporary").asBoolean()).isTrue();
        assertThat(privilege.path("temporaryRange").asString()).isEqualTo("2s");
        long end = java.time.Instant.parse(
                        privilege.path("temporaryAccessEndTime").asString())
                .toEpochMilli();
        long start = java.time.Instant.parse(
                        privilege.path("temporaryAccessStartTime").asString())
                .toEpochMilli();
        assertThat(end - start).isEqualTo(2000);

        Res during = s.read(m.api(), "prod", "/backend");
        if (System.currentTimeMillis() < end) { // the answer came back before the end, so it was decided before it
            assertThat(during.status()).as(during.toString()).isEqualTo(200);
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> s.read(m.api(), "prod", "/backend").status() == 403);
        assertThat(System.currentTimeMillis())
                .as("lapsed no earlier than its end")
                .isGreaterThanOrEqualTo(end);
        assertThat(s.admin()
                        .get(BASE, "projectMembershipId", m.membershipId())
                        .body()
                        .path("privileges")
                        .size())
                .as("an expired privilege stays listed")
                .isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void nobodyGrantsThemselvesOrMoreThanTheyHold(Db db) {
        Setup s = setup(db, "priv-escalate");
        // the granter may grant privileges and read secrets anywhere, but write none
        Res role = s.admin()
                .post(
                        "/api/v1/projects/" + s.project() + "/roles",
                        Map.of(
                                "slug",
                                "reader-granter",
                                "name",
                                "Reader granter",
                                "permissions",
                                List.of(
                                        Map.of("subject", "member", "action", List.of("read", "grant-privileges")),
                                        Map.of("subject", "secrets", "action", List.of("read")))));
        assertThat(role.status()).as(role.toString()).isEqualTo(200);
        Member granter = s.member("granter", "reader-granter");
        Member target = s.member("target", "no-access");
        Member plain = s.member("plain", "member");
        Map<String, Object> writeBackend = Map.of(
                "subject",
                "secrets",
                "action",
                List.of("read", "edit"),
                "conditions",
                Map.of("environment", "dev", "secretPath", "/backend"));

        assertThat(grant(granter.api(), target.membershipId(), List.of(writeBackend), PERMANENT)
                        .status())
                .as("more than the granter holds")
                .isEqualTo(403);
        assertThat(grant(plain.api(), target.membershipId(), List.of(readRule("dev", "/backend")), PERMANENT)
                        .status())
                .as("a project member may not grant privileges")
                .isEqualTo(403);
        assertThat(grant(granter.api(), granter.membershipId(), List.of(readRule("dev", "/backend")), PERMANENT)
                        .status())
                .as("not to oneself")
                .isEqualTo(403);
        String adminMembership = s.admin()
                .get("/api/v2/workspace/" + s.project() + "/memberships")
                .body()
                .path("memberships")
                .valueStream()
                .filter(x ->
                        x.path("user").path("email").asString().equals(s.owner().email()))
                .findFirst()
                .orElseThrow()
                .path("id")
                .asString();
        assertThat(grant(s.admin(), adminMembership, List.of(readRule("dev", "/")), PERMANENT)
                        .status())
                .as("not even an admin to itself")
                .isEqualTo(403);
        assertThat(s.admin()
                        .get(BASE, "projectMembershipId", target.membershipId())
                        .body()
                        .path("privileges")
                        .size())
                .isZero();

        Res covered = grant(granter.api(), target.membershipId(), List.of(readRule("dev", "/backend")), PERMANENT);
        assertThat(covered.status()).as(covered.toString()).isEqualTo(200);
        assertThat(s.read(target.api(), "dev", "/backend").status()).isEqualTo(200);
        String id = covered.body().path("privilege").path("id").asString();
        assertThat(granter.api()
                        .patch(BASE + "/" + id, Map.of("permissions", List.of(writeBackend)))
                        .status())
                .as("nor widened by an edit")
                .isEqualTo(403);
        assertThat(target.api()
                        .post(
                                "/api/v3/secrets/raw/DEV_BACKEND",
                                Map.of(
                                        "workspaceId",
                                        s.project(),
                                        "environment",
                                        "dev",
                                        "secretPath",
                                        "/backend",
                                        "secretValue",
                                        "x"))
                        .status())
                .isEqualTo(403);
        assertThat(s.read(target.api(), "prod", "/backend").status()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void machineIdentityTokensAreRefused(Db db) {
        Setup s = setup(db, "priv-identity");
        Member m = s.member("someone", "no-access");
        String id = grant(s.admin(), m.membershipId(), List.of(readRule("dev", "/backend")), PERMANENT)
                .body()
                .path("privilege")
                .path("id")
                .asString();
        Res created = s.admin()
                .post(
                        "/api/v1/identities",
                        Map.of(
                                "name",
                                Fixtures.unique("bot"),
                                "organizationId",
                                s.owner().orgId(),
                                "role",
                                "admin"));
        String identityId = created.body().path("identity").path("id").asString();
        assertThat(s.admin()
                        .post(
                                "/api/v2/workspace/" + s.project() + "/identity-memberships/" + identityId,
                                Map.of("role", "admin"))
                        .status())
                .isEqualTo(200);
        String clientId = s.admin()
                .post("/api/v1/auth/universal-auth/identities/" + identityId, Map.of())
                .body()
                .path("identityUniversalAuth")
                .path("clientId")
                .asString();
        String secret = s.admin()
                .post("/api/v1/auth/universal-auth/identities/" + identityId + "/client-secrets", Map.of())
                .body()
                .path("clientSecret")
                .asString();
        Api bot = s.server().as(new Fixtures(s.server()).login(clientId, secret));
        assertThat(s.read(bot, "prod", "/backend").status())
                .as("a project admin")
                .isEqualTo(200);

        Res post = grant(bot, m.membershipId(), List.of(readRule("dev", "/")), PERMANENT);
        assertThat(post.status()).isEqualTo(403);
        assertThat(post.body().path("message").asString()).contains("person");
        assertThat(bot.get(BASE, "projectMembershipId", m.membershipId()).status())
                .isEqualTo(403);
        assertThat(bot.get(BASE + "/" + id).status()).isEqualTo(403);
        assertThat(bot.patch(BASE + "/" + id, Map.of("slug", "renamed")).status())
                .isEqualTo(403);
        assertThat(bot.delete(BASE + "/" + id, null).status()).isEqualTo(403);
        Res still = s.admin().get(BASE + "/" + id);
        assertThat(still.body().path("privilege").path("slug").asString()).startsWith("privilege-");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void badInputAndOtherOrganizationsChangeNothing(Db db) {
        Setup s = setup(db, "priv-input");
        Member m = s.member("input", "no-access");
        List<Map<String, Object>> rules = List.of(readRule("dev", "/backend"));
        assertThat(s.admin()
                        .post(BASE, Map.of("permissions", rules, "type", PERMANENT))
                        .status())
                .isEqualTo(422);
        assertThat(grant(s.admin(), "00000000-0000-4000-8000-000000000000", rules, PERMANENT)
                        .status())
                .isEqualTo(404);
        assertThat(grant(s.admin(), m.membershipId(), List.of(Map.of("subject", "nope", "action", "read")), PERMANENT)
                        .status())
                .isEqualTo(422);
        assertThat(grant(
                                s.admin(),
                                m.membershipId(),
                                List.of(Map.of(
                                        "subject",
                                        "secrets",
                                        "action",
                                        "read",
                                        "conditions",
                                        Map.of("secretPath", "backend"))),
                                PERMANENT)
                        .status())
                .as("paths start with /")
                .isEqualTo(422);
        assertThat(grant(
                                s.admin(),
                                m.membershipId(),
                                rules,
                                Map.of("isTemporary", true, "temporaryMode", "absolute", "temporaryRange", "1h"))
                        .status())
                .isEqualTo(422);
        assertThat(grant(
                                s.admin(),
                                m.membershipId(),
                                rules,
                                Map.of("isTemporary", true, "temporaryMode", "relative", "temporaryRange", "soon"))
                        .status())
                .isEqualTo(422);
        assertThat(s.admin()
                        .post(
                                BASE,
                                Map.of(
                                        "projectMembershipId",
                                        m.membershipId(),
                                        "slug",
                                        "Not A Slug",
                                        "permissions",
                                        rules,
                                        "type",
                                        PERMANENT))
                        .status())
                .isEqualTo(422);
        assertThat(s.admin().get(BASE).status())
                .as("projectMembershipId is required")
                .isEqualTo(422);
        assertThat(s.admin().patch(BASE + "/not-an-id", Map.of("slug", "x")).status())
                .isEqualTo(404);
        assertThat(s.admin()
                        .get(BASE, "projectMembershipId", m.membershipId())
                        .body()
                        .path("privileges")
                        .size())
                .isZero();
        assertThat(s.read(m.api(), "dev", "/backend").status()).isEqualTo(403);

        Res named = s.admin()
                .post(
                        BASE,
                        Map.of(
                                "projectMembershipId",
                                m.membershipId(),
                                "slug",
                                "named",
                                "permissions",
                                rules,
                                "type",
                                PERMANENT));
        assertThat(named.status()).isEqualTo(200);
        assertThat(s.admin()
                        .post(
                                BASE,
                                Map.of(
                                        "projectMembershipId",
                                        m.membershipId(),
                                        "slug",
                                        "named",
                                        "permissions",
                                        rules,
                                        "type",
                                        PERMANENT))
                        .status())
                .as("slugs are unique per person")
                .isEqualTo(400);
        String id = named.body().path("privilege").path("id").asString();

        Setup other = setup(db, "priv-other-org");
        Member stranger = other.member("stranger", "no-access");
        Res cross = grant(s.admin(), stranger.membershipId(), rules, PERMANENT);
        assertThat(cross.status()).isEqualTo(404);
        assertThat(cross.body().toString()).doesNotContain(other.project());
        assertThat(s.admin()
                        .get(BASE, "projectMembershipId", stranger.membershipId())
                        .status())
                .isEqualTo(404);
        assertThat(other.admin().get(BASE + "/" + id).status()).isEqualTo(404);
        assertThat(other.admin().delete(BASE + "/" + id, null).status()).isEqualTo(404);
        assertThat(s.admin().get(BASE + "/" + id).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void leavingTheProjectTakesThePrivilegesWithIt(Db db) {
        Setup s = setup(db, "priv-leave");
        Member m = s.member("leaver", "no-access");
        assertThat(grant(s.admin(), m.membershipId(), List.of(readRule("dev", "/backend")), PERMANENT)
                        .status())
                .isEqualTo(200);
        String base = "/api/v2/workspace/" + s.project() + "/memberships";
        assertThat(s.admin().delete(base, Map.of("emails", List.of(m.email()))).status())
                .isEqualTo(200);
        Res back = s.admin().post(base, Map.of("emails", List.of(m.email()), "roleSlugs", List.of("no-access")));
        assertThat(back.status()).isEqualTo(200);
        assertThat(s.read(m.api(), "dev", "/backend").status())
                .as("not resurrected on re-joining")
                .isEqualTo(403);
        String again = back.body().path("memberships").get(0).path("id").asString();
        assertThat(s.admin()
                        .get(BASE, "projectMembershipId", again)
                        .body()
                        .path("privileges")
                        .size())
                .isZero();
    }
}
