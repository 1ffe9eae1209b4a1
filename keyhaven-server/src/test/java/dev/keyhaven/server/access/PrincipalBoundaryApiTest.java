package dev.keyhaven.server.access;

import static dev.keyhaven.server.support.Res.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestMail;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The permission boundary around people and groups in an organization: a caller whose custom org
 * role may edit and delete members and groups, but is not admin, cannot demote, deactivate,
 * remove, end the sessions of or resend the invitation of an org admin, nor rename, re-role or
 * delete an admin group or take anyone out of it; it still can on people and groups it holds
 * everything of, and an org admin can on all of them. On both databases.
 */
class PrincipalBoundaryApiTest {
    private static final String BOUNDARY = "has permissions you do not hold";

    /** An org with its admin, an operator (custom role: members and groups, not admin) and people. */
    private record Scene(TestServer server, People people, People.OrgAdmin owner, String operatorRole, Api operator) {
        Api admin() {
            return owner.api();
        }

        String members() {
            return "/api/v2/organizations/" + owner.orgId() + "/memberships";
        }

        /** The org membership of a person, as the admin sees it. */
        JsonNode membership(String email) {
            for (JsonNode u : ok(admin().get(members())).body().path("users")) {
                if (email.equals(u.path("user").path("email").asString())) {
                    return u;
                }
            }
            throw new AssertionError("no membership for " + email);
        }

        String membershipId(String email) {
            return membership(email).path("id").asString();
        }

        String group(String orgRole) {
            return ok(admin().post("/api/v1/groups", Map.of("name", Fixtures.unique("pb"), "role", orgRole)))
                    .body()
                    .path("id")
                    .asString();
        }

        String project() {
            return ok(admin().post("/api/v2/workspace", Map.of("projectName", Fixtures.unique("pb"))))
                    .body()
                    .path("project")
                    .path("id")
                    .asString();
        }
    }

    private static Scene scene(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin owner = people.orgAdmin("pb-owner");
        String role = Fixtures.unique("people-operator").toLowerCase();
        ok(owner.api()
                .post(
                        "/api/v1/organization/roles",
                        Map.of(
                                "slug",
                                role,
                                "name",
                                "People operator",
                                "permissions",
                                List.of(
                                        Map.of(
                                                "subject",
                                                "member",
                                                "action",
                                                List.of("read", "create", "edit", "delete")),
                                        Map.of(
                                                "subject",
                                                "groups",
                                                "action",
                                                List.of(
                                                        "read",
                                                        "create",
                                                        "edit",
                                                        "delete",
                                                        "add-members",
                                                        "remove-members",
                                                        "add-identities",
                                                        "remove-identities"))))));
        String operator = people.invitedMember(owner, "pb-operator", role);
        return new Scene(server, people, owner, role, server.as(people.token(operator)));
    }

    private static void refused(Res res, String what) {
        assertThat(res.status()).as(what + ": " + res).isEqualTo(403);
        assertThat(res.body().path("message").asString()).as(what).contains(BOUNDARY);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anOperatorCannotDemoteDeactivateRemoveOrEndTheSessionsOfAnOrgAdmin(Db db) {
        Scene s = scene(db);
        String adminEmail = s.people().invitedMember(s.owner(), "pb-admin", "admin");
        Api adminSession = s.server().as(s.people().token(adminEmail));
        String id = s.membershipId(adminEmail);
        String path = s.members() + "/" + id;

        refused(s.operator().patch(path, Map.of("role", "no-access")), "demote");
        refused(s.operator().patch(path, Map.of("isActive", false)), "deactivate");
        refused(s.operator().delete(path, null), "remove");
        refused(s.operator().post(path + "/revoke-sessions", Map.of()), "end sessions");

        JsonNode m = s.membership(adminEmail);
        assertThat(m.path("role").asString()).isEqualTo("admin");
        assertThat(m.path("isActive").asBoolean()).isTrue();
        assertThat(adminSession.get(s.members()).status())
                .as("the admin's session still works")
                .isEqualTo(200);

        ok(s.admin().post(path + "/revoke-sessions", Map.of()));
        ok(s.admin().patch(path, Map.of("role", "member")));
        ok(s.admin().delete(path, null));
    }

    /** A person holds their projects too: one the operator has no access to puts them out of reach. */
    @ParameterizedTest
    @EnumSource(Db.class)
    void aPersonHoldingAProjectRoleTheOperatorLacksIsOutOfReach(Db db) {
        Scene s = scene(db);
        String email = s.people().invitedMember(s.owner(), "pb-dev", "no-access");
        String project = s.project();
        ok(s.admin()
                .post(
                        "/api/v2/workspace/" + project + "/memberships",
                        Map.of("emails", List.of(email), "roleSlugs", List.of("viewer"))));
        String path = s.members() + "/" + s.membershipId(email);

        Res deactivate = s.operator().patch(path, Map.of("isActive", false));
        refused(deactivate, "deactivate a project member");
        assertThat(deactivate.body().path("message").asString()).contains("in a project you have no access to");
        refused(s.operator().delete(path, null), "remove a project member");
        assertThat(s.membership(email).path("isActive").asBoolean()).isTrue();

        ok(s.admin().patch(path, Map.of("isActive", false)));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyActionStillWorksOnAPersonTheOperatorFullyHolds(Db db) {
        Scene s = scene(db);
        String email = s.people().invitedMember(s.owner(), "pb-plain", "no-access");
        String path = s.members() + "/" + s.membershipId(email);

        ok(s.operator().patch(path, Map.of("isActive", false)));
        ok(s.operator().patch(path, Map.of("isActive", true)));
        ok(s.operator().post(path + "/revoke-sessions", Map.of()));
        ok(s.operator().patch(path, Map.of("role", s.operatorRole())));
        assertThat(s.membership(email).path("role").asString()).isEqualTo(s.operatorRole());
        ok(s.operator().patch(path, Map.of("role", "no-access")));
        ok(s.operator().delete(path, null));
        assertThat(s.admin().get(path).status()).isEqualTo(404);
    }

    /**
     * A resent invitation (or a new one to someone already invited) is a new link to the invited
     * account, whose holder sets its password: only someone holding its role may send one.
     */
    @ParameterizedTest
    @EnumSource(Db.class)
    void anOperatorCannotResendOrRepeatTheInvitationOfAnInvitedAdmin(Db db) {
        Scene s = scene(db);
        String admin = invite(s, "admin");
        String plain = invite(s, "no-access");

        refused(
                s.operator().post("/api/v1/invite-org/signup-resend", Map.of("membershipId", s.membershipId(admin))),
                "resend an admin's invitation");
        refused(
                s.operator()
                        .post(
                                "/api/v1/invite-org/signup",
                                Map.of(
                                        "inviteeEmails",
                                        List.of(admin),
                                        "organizationId",
                                        s.owner().orgId(),
                                        "organizationRoleSlug",
                                        "no-access")),
                "invite an invited admin again");
        assertThat(TestMail.to(admin)).as("no new link").hasSize(1);
        assertThat(s.membership(admin).path("role").asString()).isEqualTo("admin");

        ok(s.operator().post("/api/v1/invite-org/signup-resend", Map.of("membershipId", s.membershipId(plain))));
        ok(s.operator()
                .post(
                        "/api/v1/invite-org/signup",
                        Map.of(
                                "inviteeEmails",
                                List.of(plain),
                                "organizationId",
                                s.owner().orgId(),
                                "organizationRoleSlug",
                                "no-access")));
        TestMail.await(plain, 3);
        ok(s.admin().post("/api/v1/invite-org/signup-resend", Map.of("membershipId", s.membershipId(admin))));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anOperatorCannotRenameReroleDeleteOrTakeMembersOutOfAnAdminGroup(Db db) {
        Scene s = scene(db);
        String adminEmail = s.people().invitedMember(s.owner(), "pb-grouped", "no-access");
        String identity = ok(s.admin()
                        .post(
                                "/api/v1/identities",
                                Map.of(
                                        "name",
                                        Fixtures.unique("pb"),
                                        "organizationId",
                                        s.owner().orgId(),
                                        "role",
                                        "no-access")))
                .body()
                .path("identity")
                .path("id")
                .asString();
        String group = s.group("admin");
        ok(s.admin().post("/api/v1/groups/" + group + "/users/" + adminEmail, null));
        ok(s.admin().post("/api/v1/groups/" + group + "/machine-identities/" + identity, null));
        String before = ok(s.admin().get("/api/v1/groups/" + group)).raw();
        String path = "/api/v1/groups/" + group;

        refused(s.operator().patch(path, Map.of("name", Fixtures.unique("renamed"))), "rename");
        refused(s.operator().patch(path, Map.of("slug", Fixtures.unique("slug").toLowerCase())), "change the slug");
        refused(s.operator().patch(path, Map.of("role", "no-access")), "change the role");
        refused(s.operator().delete(path, null), "delete");
        refused(s.operator().delete(path + "/users/" + adminEmail, null), "take a person out");
        refused(s.operator().delete(path + "/machine-identities/" + identity, null), "take an identity out");
        refused(
                s.operator().patch(s.members() + "/" + s.membershipId(adminEmail), Map.of("isActive", false)),
                "deactivate an admin through a group");

        assertThat(ok(s.admin().get(path)).raw()).isEqualTo(before);
        assertThat(ok(s.admin().get(path + "/members"))
                        .body()
                        .path("totalCount")
                        .asInt())
                .isEqualTo(2);

        ok(s.admin().delete(path + "/users/" + adminEmail, null));
        ok(s.admin().patch(path, Map.of("name", Fixtures.unique("by-admin"), "role", "member")));
        ok(s.admin().delete(path, null));
    }

    /** A group holds its projects too: a no-access group that is admin of a project is out of reach. */
    @ParameterizedTest
    @EnumSource(Db.class)
    void aGroupHoldingAProjectRoleTheOperatorLacksIsOutOfReach(Db db) {
        Scene s = scene(db);
        String group = s.group("no-access");
        ok(s.admin().post("/api/v2/workspace/" + s.project() + "/groups/" + group, Map.of("role", "admin")));

        Res renamed = s.operator().patch("/api/v1/groups/" + group, Map.of("name", Fixtures.unique("renamed")));
        refused(renamed, "rename a project group");
        assertThat(renamed.body().path("message").asString()).contains("in a project you have no access to");
        refused(s.operator().delete("/api/v1/groups/" + group, null), "delete a project group");
        ok(s.admin().get("/api/v1/groups/" + group));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyGroupActionStillWorksOnAGroupTheOperatorFullyHolds(Db db) {
        Scene s = scene(db);
        String email = s.people().invitedMember(s.owner(), "pb-plain", "no-access");
        String group = s.group("no-access");
        String path = "/api/v1/groups/" + group;
        ok(s.operator().post(path + "/users/" + email, null));

        ok(s.operator()
                .patch(
                        path,
                        Map.of(
                                "name",
                                Fixtures.unique("renamed"),
                                "slug",
                                Fixtures.unique("s").toLowerCase())));
        ok(s.operator().patch(path, Map.of("role", s.operatorRole())));
        Res raised = s.operator().patch(path, Map.of("role", "admin"));
        assertThat(raised.status()).as(raised.toString()).isEqualTo(403);
        ok(s.operator().delete(path + "/users/" + email, null));
        ok(s.operator().delete(path, null));
        assertThat(s.admin().get(path).status()).isEqualTo(404);
    }

    /** Invites an address with an org role and leaves the invitation pending; returns the address. */
    private static String invite(Scene s, String role) {
        String email = Fixtures.unique("pb-invited").toLowerCase() + "@example.com";
        ok(s.admin()
                .post(
                        "/api/v1/invite-org/signup",
                        Map.of(
                                "inviteeEmails",
                                List.of(email),
                                "organizationId",
                                s.owner().orgId(),
                                "organizationRoleSlug",
                                role)));
        TestMail.await(email, 1);
        return email;
    }
}
