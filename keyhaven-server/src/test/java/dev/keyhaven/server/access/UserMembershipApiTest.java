package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestMail;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * A person's project membership by id ({@code /api/v1/workspace/:projectId/memberships/:membershipId},
 * {@code …/memberships/details}, {@code /api/v1/projects/:projectId/user/:userId/membership}) and
 * re-sending an org invitation: shapes, role changes that never escalate, removal, 404 for ids of
 * other projects and organizations.
 */
class UserMembershipApiTest {

    private record Setup(TestServer server, People people, People.OrgAdmin owner, String project) {
        Api admin() {
            return owner.api();
        }

        String base() {
            return "/api/v1/workspace/" + project + "/memberships";
        }

        /** A new org member who joins the project with the given role. */
        Member member(String prefix, String role) {
            String email = people.invitedMember(owner, prefix, "member");
            Res added = admin().post(
                            "/api/v2/workspace/" + project + "/memberships",
                            Map.of("emails", List.of(email), "roleSlugs", List.of(role)));
            assertThat(added.status()).as(added.toString()).isEqualTo(200);
            JsonNode m = added.body().path("memberships").get(0);
            return new Member(
                    email,
                    server.as(people.token(email)),
                    m.path("id").asString(),
                    m.path("userId").asString());
        }

        int readSecrets(Api api) {
            return api.get("/api/v3/secrets/raw", "workspaceId", project, "environment", "dev")
                    .status();
        }
    }

    private record Member(String email, Api api, String membershipId, String userId) {}

    private static Setup setup(Db db, String prefix) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin admin = people.orgAdmin(prefix);
        return new Setup(server, people, admin, project(admin));
    }

    private static String project(People.OrgAdmin admin) {
        Res project = admin.api().post("/api/v2/workspace", Map.of("projectName", Fixtures.unique("p")));
        assertThat(project.status()).as(project.toString()).isEqualTo(200);
        return project.body().path("project").path("id").asString();
    }

    private static Map<String, Object> permanent(String role) {
        return Map.of("role", role, "isTemporary", false);
    }

    private static Map<String, Object> temporary(String role, String range) {
        return Map.of(
                "role",
                role,
                "isTemporary",
                true,
                "temporaryMode",
                "relative",
                "temporaryRange",
                range,
                "temporaryAccessStartTime",
                Instant.now().toString());
    }

    private static List<String> roles(JsonNode membership) {
        return membership
                .path("roles")
                .valueStream()
                .map(r -> r.path("role").asString())
                .toList();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void oneMembershipReadsTheSameByIdUsernameAndUserId(Db db) {
        Setup s = setup(db, "um-get");
        Member m = s.member("reader", "viewer");

        Res byId = s.admin().get(s.base() + "/" + m.membershipId());
        assertThat(byId.status()).as(byId.toString()).isEqualTo(200);
        JsonNode membership = byId.body().path("membership");
        assertThat(membership.path("id").asString()).isEqualTo(m.membershipId());
        assertThat(membership.path("userId").asString()).isEqualTo(m.userId());
        assertThat(membership.path("projectId").asString()).isEqualTo(s.project());
        assertThat(membership.path("user").path("id").asString()).isEqualTo(m.userId());
        assertThat(membership.path("user").path("email").asString()).isEqualTo(m.email());
        assertThat(membership.path("user").path("username").asString()).isEqualTo(m.email());
        assertThat(membership.path("user").has("firstName")).isTrue();
        assertThat(membership.path("user").has("lastName")).isTrue();
        assertThat(roles(membership)).containsExactly("viewer");
        assertThat(membership.path("roles").get(0).path("isTemporary").asBoolean())
                .isFalse();

        assertThat(s.admin()
                        .get("/api/v1/projects/" + s.project() + "/memberships/" + m.membershipId())
                        .body())
                .isEqualTo(byId.body());
        Res details = s.admin()
                .post(s.base() + "/details", Map.of("username", m.email().toUpperCase()));
        assertThat(details.status()).as(details.toString()).isEqualTo(200);
        assertThat(details.body()).isEqualTo(byId.body());
        Res byUser = s.admin().get("/api/v1/projects/" + s.project() + "/user/" + m.userId() + "/membership");
        assertThat(byUser.status()).as(byUser.toString()).isEqualTo(200);
        assertThat(byUser.body()).isEqualTo(byId.body());

        Res list = s.admin().get(s.base());
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.body()
                        .path("memberships")
                        .valueStream()
                        .map(x -> x.path("user").path("email").asString())
                        .toList())
                .containsExactlyInAnyOrder(s.owner().email(), m.email());

        // a viewer may read members (member: read) but a no-access member may not
        assertThat(m.api().get(s.base() + "/" + m.membershipId()).status()).isEqualTo(200);
        Member outsider = s.member("noaccess", "no-access");
        assertThat(outsider.api().get(s.base() + "/" + m.membershipId()).status())
                .isEqualTo(403);
        assertThat(outsider.api()
                        .post(s.base() + "/details", Map.of("username", m.email()))
                        .status())
                .isEqualTo(403);

        // an org member outside the project, and nobody at all: 404 (Terraform reads that as gone)
        String notInProject = s.people().invitedMember(s.owner(), "notin", "member");
        assertThat(s.admin()
                        .post(s.base() + "/details", Map.of("username", notInProject))
                        .status())
                .isEqualTo(404);
        assertThat(s.admin()
                        .post(s.base() + "/details", Map.of("username", "nobody@example.com"))
                        .status())
                .isEqualTo(404);
        assertThat(s.admin().post(s.base() + "/details", Map.of()).status()).isEqualTo(422);
        assertThat(s.admin()
                        .get("/api/v1/projects/" + s.project() + "/user/" + Fixtures.unique("u") + "/membership")
                        .status())
                .isEqualTo(404);
        assertThat(s.admin().get(s.base() + "/not-an-id").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void rolesChangeWithAtLeastOnePermanentAndATemporaryOneLapses(Db db) {
        Setup s = setup(db, "um-roles");
        Member m = s.member("temp", "no-access");
        assertThat(s.readSecrets(m.api())).isEqualTo(403);

        Res onlyTemporary =
                s.admin().patch(s.base() + "/" + m.membershipId(), Map.of("roles", List.of(temporary("viewer", "1h"))));
        assertThat(onlyTemporary.status()).as(onlyTemporary.toString()).isEqualTo(422);
        Res empty = s.admin().patch(s.base() + "/" + m.membershipId(), Map.of("roles", List.of()));
        assertThat(empty.status()).as(empty.toString()).isEqualTo(422);
        assertThat(roles(s.admin().get(s.base() + "/" + m.membershipId()).body().path("membership")))
                .as("nothing changed")
                .containsExactly("no-access");
        assertThat(s.readSecrets(m.api())).isEqualTo(403);

        Res patched = s.admin()
                .patch(
                        s.base() + "/" + m.membershipId(),
                        Map.of("roles", List.of(permanent("no-access"), temporary("viewer", "2s"))));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        JsonNode rows = patched.body().path("roles");
        assertThat(rows.size()).isEqualTo(2);
        JsonNode temp = rows.valueStream()
                .filter(r -> r.path("isTemporary").asBoolean())
                .findFirst()
                .orElseThrow();
        assertThat(temp.path("role").asString()).isEqualTo("viewer");
        assertThat(temp.path("temporaryRange").asString()).isEqualTo("2s");
        assertThat(temp.path("projectMembershipId").asString()).isEqualTo(m.membershipId());
        long end = Instant.parse(temp.path("temporaryAccessEndTime").asString()).toEpochMilli();

        int during = s.readSecrets(m.api());
        if (System.currentTimeMillis() < end) { // answered before the end, so decided before it
            assertThat(during).isEqualTo(200);
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> s.readSecrets(m.api()) == 403);
        assertThat(System.currentTimeMillis())
                .as("lapsed no earlier than its end")
                .isGreaterThanOrEqualTo(end);
        assertThat(roles(s.admin().get(s.base() + "/" + m.membershipId()).body().path("membership")))
                .as("a lapsed role stays listed")
                .containsExactlyInAnyOrder("no-access", "viewer");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void nobodyGrantsMoreThanTheyHoldOrChangesThemselves(Db db) {
        Setup s = setup(db, "um-escalate");
        Res role = s.admin()
                .post(
                        "/api/v1/projects/" + s.project() + "/roles",
                        Map.of(
                                "slug",
                                "member-editor",
                                "name",
                                "Member editor",
                                "permissions",
                                List.of(
                                        Map.of("subject", "member", "action", List.of("read", "edit")),
                                        Map.of("subject", "secrets", "action", List.of("read")))));
        assertThat(role.status()).as(role.toString()).isEqualTo(200);
        Member editor = s.member("editor", "member-editor");
        Member target = s.member("target", "no-access");
        Member plain = s.member("plain", "member");
        String path = s.base() + "/" + target.membershipId();

        Res toAdmin = editor.api().patch(path, Map.of("roles", List.of(permanent("admin"))));
        assertThat(toAdmin.status()).as(toAdmin.toString()).isEqualTo(403);
        assertThat(plain.api()
                        .patch(path, Map.of("roles", List.of(permanent("admin"))))
                        .status())
                .as("a project member may not edit members")
                .isEqualTo(403);
        assertThat(plain.api()
                        .patch(s.base() + "/" + plain.membershipId(), Map.of("roles", List.of(permanent("admin"))))
                        .status())
                .isEqualTo(403);
        assertThat(roles(s.admin().get(path).body().path("membership"))).containsExactly("no-access");
        assertThat(s.readSecrets(target.api())).isEqualTo(403);

        Res covered = editor.api().patch(path, Map.of("roles", List.of(permanent("member-editor"))));
        assertThat(covered.status()).as("a role the editor holds itself").isEqualTo(200);
        assertThat(s.readSecrets(target.api())).isEqualTo(200);

        Res self = editor.api()
                .patch(s.base() + "/" + editor.membershipId(), Map.of("roles", List.of(permanent("no-access"))));
        assertThat(self.status()).as(self.toString()).isEqualTo(403);
        String adminMembership = s.admin()
                .post(s.base() + "/details", Map.of("username", s.owner().email()))
                .body()
                .path("membership")
                .path("id")
                .asString();
        assertThat(s.admin()
                        .patch(s.base() + "/" + adminMembership, Map.of("roles", List.of(permanent("viewer"))))
                        .status())
                .as("not even an admin changes its own roles")
                .isEqualTo(403);
        assertThat(s.admin().delete(s.base() + "/" + adminMembership, null).status())
                .isEqualTo(403);
        assertThat(roles(s.admin().get(s.base() + "/" + adminMembership).body().path("membership")))
                .containsExactly("admin");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void removalEndsAccessOnTheNextRequest(Db db) {
        Setup s = setup(db, "um-delete");
        Member m = s.member("leaver", "viewer");
        assertThat(s.readSecrets(m.api())).isEqualTo(200);
        Res privilege = s.admin()
                .post(
                        "/api/v1/user-project-additional-privilege",
                        Map.of(
                                "projectMembershipId",
                                m.membershipId(),
                                "permissions",
                                List.of(Map.of("subject", "secrets", "action", List.of("read"))),
                                "type",
                                Map.of("isTemporary", false)));
        assertThat(privilege.status()).as(privilege.toString()).isEqualTo(200);

        assertThat(m.api().delete(s.base() + "/" + m.membershipId(), null).status())
                .as("viewer may not delete")
                .isEqualTo(403);
        Res removed = s.admin().delete(s.base() + "/" + m.membershipId(), null);
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(removed.body().path("membership").path("id").asString()).isEqualTo(m.membershipId());
        assertThat(removed.body().path("membership").path("userId").asString()).isEqualTo(m.userId());

        assertThat(s.readSecrets(m.api())).isEqualTo(403);
        assertThat(s.admin().get(s.base() + "/" + m.membershipId()).status()).isEqualTo(404);
        assertThat(s.admin()
                        .post(s.base() + "/details", Map.of("username", m.email()))
                        .status())
                .isEqualTo(404);
        assertThat(s.admin()
                        .get("/api/v1/user-project-additional-privilege/"
                                + privilege.body().path("privilege").path("id").asString())
                        .status())
                .as("their privileges go too")
                .isEqualTo(404);
        assertThat(s.admin().delete(s.base() + "/" + m.membershipId(), null).status())
                .isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void idsOfOtherProjectsAndOrganizationsAreNotFound(Db db) {
        Setup s = setup(db, "um-cross");
        Member m = s.member("mine", "viewer");
        String otherProject = project(s.owner());
        String other = "/api/v1/workspace/" + otherProject + "/memberships/" + m.membershipId();
        for (Res r : List.of(
                s.admin().get(other),
                s.admin().patch(other, Map.of("roles", List.of(permanent("admin")))),
                s.admin().delete(other, null))) {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(r.raw()).doesNotContain(m.email());
        }
        assertThat(s.admin()
                        .get("/api/v1/projects/" + otherProject + "/user/" + m.userId() + "/membership")
                        .status())
                .isEqualTo(404);
        assertThat(s.admin()
                        .post(
                                "/api/v1/workspace/" + otherProject + "/memberships/details",
                                Map.of("username", m.email()))
                        .status())
                .isEqualTo(404);

        // an identity's membership id is not a person's
        Res identity = s.admin()
                .post(
                        "/api/v1/identities",
                        Map.of(
                                "name",
                                Fixtures.unique("id"),
                                "organizationId",
                                s.owner().orgId(),
                                "role",
                                "no-access"));
        assertThat(identity.status()).as(identity.toString()).isEqualTo(200);
        Res idm = s.admin()
                .post(
                        "/api/v2/workspace/" + s.project() + "/identity-memberships/"
                                + identity.body().path("identity").path("id").asString(),
                        Map.of("role", "viewer"));
        assertThat(idm.status()).as(idm.toString()).isEqualTo(200);
        String identityMembership =
                idm.body().path("identityMembership").path("id").asString();
        assertThat(s.admin().get(s.base() + "/" + identityMembership).status()).isEqualTo(404);
        assertThat(s.admin().delete(s.base() + "/" + identityMembership, null).status())
                .isEqualTo(404);

        Setup stranger = setup(db, "um-stranger");
        Res foreign = stranger.admin().get("/api/v1/workspace/" + s.project() + "/memberships/" + m.membershipId());
        assertThat(foreign.status()).as(foreign.toString()).isEqualTo(404);
        assertThat(foreign.raw()).doesNotContain(m.email());
        assertThat(stranger.admin()
                        .get(stranger.base() + "/" + m.membershipId())
                        .status())
                .isEqualTo(404);
        assertThat(stranger.admin()
                        .delete(stranger.base() + "/" + m.membershipId(), null)
                        .status())
                .isEqualTo(404);
        assertThat(s.readSecrets(m.api())).as("untouched").isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aResentInvitationHasANewLinkAndTheOldOneStopsWorking(Db db) {
        Setup s = setup(db, "um-resend");
        String email = Fixtures.unique("invitee").toLowerCase() + "@example.com";
        Res invite = s.admin()
                .post(
                        "/api/v1/invite-org/signup",
                        Map.of(
                                "inviteeEmails",
                                List.of(email),
                                "organizationId",
                                s.owner().orgId(),
                                "projects",
                                List.of(Map.of("id", s.project(), "projectRoleSlug", List.of("viewer")))));
        assertThat(invite.status()).as(invite.toString()).isEqualTo(200);
        String oldToken = TestMail.find(TestMail.await(email, 1), "accept-invite\\?token=([0-9a-f]{64})");
        String membershipId = s.admin()
                .get("/api/v2/organizations/" + s.owner().orgId() + "/memberships")
                .body()
                .path("users")
                .valueStream()
                .filter(u -> u.path("user").path("email").asString().equals(email))
                .findFirst()
                .orElseThrow()
                .path("id")
                .asString();

        String noAccess = s.people().invitedMember(s.owner(), "noaccess", "no-access");
        Api noAccessApi = s.server().as(s.people().token(noAccess));
        assertThat(noAccessApi
                        .post("/api/v1/invite-org/signup-resend", Map.of("membershipId", membershipId))
                        .status())
                .as("needs member: create")
                .isEqualTo(403);
        People.OrgAdmin otherOrg = s.people().orgAdmin("um-resend-other");
        assertThat(otherOrg.api()
                        .post("/api/v1/invite-org/signup-resend", Map.of("membershipId", membershipId))
                        .status())
                .as("another org's membership")
                .isEqualTo(404);
        assertThat(s.admin().post("/api/v1/invite-org/signup-resend", Map.of()).status())
                .isEqualTo(422);
        assertThat(TestMail.to(email)).hasSize(1);

        Res resent = s.admin().post("/api/v1/invite-org/signup-resend", Map.of("membershipId", membershipId));
        assertThat(resent.status()).as(resent.toString()).isEqualTo(200);
        String newToken = TestMail.find(TestMail.await(email, 2), "accept-invite\\?token=([0-9a-f]{64})");
        assertThat(newToken).isNotEqualTo(oldToken);

        assertThat(s.server()
                        .anonymous()
                        .post("/api/v1/invite-org/accept", Map.of("token", oldToken, "password", People.PASSWORD))
                        .status())
                .as("the old link no longer works")
                .isEqualTo(400);
        Res accepted = s.server()
                .anonymous()
                .post("/api/v1/invite-org/accept", Map.of("token", newToken, "password", People.PASSWORD));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        Api member = s.server().as(s.people().token(email));
        assertThat(s.readSecrets(member))
                .as("the project role the invitation carried")
                .isEqualTo(200);

        Res again = s.admin().post("/api/v1/invite-org/signup-resend", Map.of("membershipId", membershipId));
        assertThat(again.status()).as("already accepted").isEqualTo(400);
        assertThat(TestMail.to(email)).hasSize(2);
    }
}
