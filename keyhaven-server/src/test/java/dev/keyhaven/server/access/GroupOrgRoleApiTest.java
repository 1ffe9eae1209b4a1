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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A group's org role applies to its members: their org permissions are the union of their own
 * org role and their groups' org roles in the same org (a deny from any of them wins), from the
 * next request after they join until the next request after they leave.
 */
class GroupOrgRoleApiTest {
    private static final String ROLES = "/api/v1/organization/roles";

    /** A logged-in identity of the admin's org holding {@code orgRole} itself. */
    private static Fixtures.Machine identity(TestServer server, String orgRole) {
        Api admin = server.admin();
        Res created = admin.post(
                "/api/v1/identities",
                Map.of("name", Fixtures.unique("grouped"), "organizationId", server.admin.orgId(), "role", orgRole));
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
        String token = new Fixtures(server).login(clientId, secret);
        return new Fixtures.Machine(id, clientId, secret, token, server.as(token));
    }

    private static String group(Api api, String role) {
        Res r = api.post("/api/v1/groups", Map.of("name", Fixtures.unique("org-role-group"), "role", role));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body().path("role").asString()).isEqualTo(role);
        return r.body().path("id").asString();
    }

    private static String orgRole(Api admin, List<Map<String, Object>> permissions) {
        String slug = Fixtures.unique("group-role");
        Res r = admin.post(ROLES, Map.of("slug", slug, "name", "Group role", "permissions", permissions));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return slug;
    }

    private static Res listGroups(Api api) {
        return api.get("/api/v1/groups");
    }

    private static Res listIdentities(Api api) {
        return api.get("/api/v1/identities");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anIdentityHoldsItsGroupsOrgRoleUntilItLeavesTheGroup(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        Fixtures.Machine m = identity(server, "no-access");
        String g = group(admin, "member");
        assertThat(listGroups(m.api()).status()).isEqualTo(403);
        assertThat(listIdentities(m.api()).status()).isEqualTo(403);

        assertThat(admin.post("/api/v1/groups/" + g + "/machine-identities/" + m.id(), null)
                        .status())
                .isEqualTo(200);
        Res groups = listGroups(m.api());
        assertThat(groups.status()).as(groups.toString()).isEqualTo(200);
        assertThat(listIdentities(m.api()).status()).isEqualTo(200);
        assertThat(m.api()
                        .post(
                                ROLES,
                                Map.of(
                                        "slug",
                                        Fixtures.unique("x"),
                                        "name",
                                        "x",
                                        "permissions",
                                        List.of(Map.of("subject", "groups", "action", "read"))))
                        .status())
                .as("member, not admin")
                .isEqualTo(403);

        assertThat(admin.delete("/api/v1/groups/" + g + "/machine-identities/" + m.id(), null)
                        .status())
                .isEqualTo(200);
        assertThat(listGroups(m.api()).status()).as("the very next request").isEqualTo(403);
        assertThat(listIdentities(m.api()).status()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aGroupsCustomOrgRoleGivesExactlyItsRulesAndCountsForGrants(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String slug = orgRole(admin, List.of(Map.of("subject", "identity", "action", List.of("read", "create"))));
        Fixtures.Machine m = identity(server, "no-access");
        String g = group(admin, slug);
        assertThat(admin.post("/api/v1/groups/" + g + "/machine-identities/" + m.id(), null)
                        .status())
                .isEqualTo(200);

        assertThat(listIdentities(m.api()).status()).isEqualTo(200);
        assertThat(listGroups(m.api()).status()).as("not in the group's role").isEqualTo(403);
        Res grant = m.api()
                .post(
                        "/api/v1/identities",
                        Map.of(
                                "name",
                                Fixtures.unique("made"),
                                "organizationId",
                                server.admin.orgId(),
                                "role",
                                "no-access"));
        assertThat(grant.status())
                .as("what it holds through the group, it holds: " + grant)
                .isEqualTo(200);
        assertThat(m.api()
                        .post(
                                "/api/v1/identities",
                                Map.of(
                                        "name",
                                        Fixtures.unique("made"),
                                        "organizationId",
                                        server.admin.orgId(),
                                        "role",
                                        "member"))
                        .status())
                .as("but no more")
                .isEqualTo(403);

        String roleId = admin.get(ROLES + "/slug/" + slug)
                .body()
                .path("role")
                .path("id")
                .asString();
        Res delete = admin.delete(ROLES + "/" + roleId, null);
        assertThat(delete.status()).as("a group holds it: " + delete).isEqualTo(400);

        Res patched = admin.patch("/api/v1/groups/" + g, Map.of("role", "no-access"));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(listIdentities(m.api()).status())
                .as("the group's new role applies at once")
                .isEqualTo(403);
        assertThat(admin.delete(ROLES + "/" + roleId, null).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aDenyInAGroupsOrgRoleWinsOverTheMembersOwnRole(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String slug =
                orgRole(admin, List.of(Map.of("subject", "identity", "action", List.of("read"), "inverted", true)));
        Fixtures.Machine m = identity(server, "member");
        assertThat(listIdentities(m.api()).status()).isEqualTo(200);
        String g = group(admin, slug);
        assertThat(admin.post("/api/v1/groups/" + g + "/machine-identities/" + m.id(), null)
                        .status())
                .isEqualTo(200);

        assertThat(listIdentities(m.api()).status())
                .as("denied through the group")
                .isEqualTo(403);
        assertThat(m.api().get("/api/v1/identities/" + m.id()).status()).isEqualTo(403);
        assertThat(listGroups(m.api()).status())
                .as("the rest of its own role stands")
                .isEqualTo(200);

        assertThat(admin.delete("/api/v1/groups/" + g + "/machine-identities/" + m.id(), null)
                        .status())
                .isEqualTo(200);
        assertThat(listIdentities(m.api()).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aGroupOfAnotherOrganizationGivesNothing(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Fixtures.Machine m = identity(server, "no-access");
        Api otherAdmin = server.as(f.otherOrgAdminToken());
        String foreign = group(otherAdmin, "admin");
        assertThat(otherAdmin
                        .post("/api/v1/groups/" + foreign + "/machine-identities/" + m.id(), null)
                        .status())
                .as("the API admits no identity of another org")
                .isEqualTo(404);
        // even a row that links them (written past the API) must not count outside the group's org
        server.bean(JdbcClient.class)
                .sql(
                        "INSERT INTO group_members (group_id, member_type, member_id, created_at) VALUES (?, 'identity', ?, 0)")
                .params(foreign, m.id())
                .update();

        assertThat(listGroups(m.api()).status()).isEqualTo(403);
        assertThat(listIdentities(m.api()).status()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aPersonHoldsTheGroupsOrgRoleOnlyInItsOrgAndOnlyWhileActive(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin home = people.orgAdmin("group-org-home");
        People.OrgAdmin away = people.orgAdmin("group-org-away");
        String email = people.invitedMember(home, "grouped-person", "no-access");
        Api person = server.as(people.token(email));
        assertThat(listGroups(person).status()).isEqualTo(403);

        String g = group(home.api(), "member");
        Res added = home.api().post("/api/v1/groups/" + g + "/users/" + email, null);
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(listGroups(person).status()).isEqualTo(200);
        assertThat(listIdentities(person).status()).isEqualTo(200);
        assertThat(home.api()
                        .delete("/api/v1/groups/" + g + "/users/" + email, null)
                        .status())
                .isEqualTo(200);
        assertThat(listGroups(person).status()).as("the very next request").isEqualTo(403);

        // a member of a second org, where a group makes them an admin: nothing of it at home
        Res invite = away.api()
                .post(
                        "/api/v1/invite-org/signup",
                        Map.of(
                                "inviteeEmails",
                                List.of(email),
                                "organizationId",
                                away.orgId(),
                                "organizationRoleSlug",
                                "no-access"));
        assertThat(invite.status()).as(invite.toString()).isEqualTo(200);
        String token = TestMail.find(TestMail.await(email, 2), "accept-invite\\?token=([0-9a-f]{64})");
        assertThat(server.anonymous()
                        .post("/api/v1/invite-org/accept", Map.of("token", token))
                        .status())
                .isEqualTo(200);
        String awayAdmins = group(away.api(), "admin");
        assertThat(away.api()
                        .post("/api/v1/groups/" + awayAdmins + "/users/" + email, null)
                        .status())
                .isEqualTo(200);
        assertThat(listGroups(person).status()).as("a group of the other org").isEqualTo(403);
        assertThat(person.post("/api/v1/auth/select-organization", Map.of("organizationId", away.orgId()))
                        .status())
                .isEqualTo(200);
        assertThat(listGroups(person).status())
                .as("in the group's own org it applies")
                .isEqualTo(200);
        assertThat(person.post(
                                ROLES,
                                Map.of(
                                        "slug",
                                        Fixtures.unique("made"),
                                        "name",
                                        "Made",
                                        "permissions",
                                        List.of(Map.of("subject", "groups", "action", "read"))))
                        .status())
                .as("as an admin")
                .isEqualTo(200);

        // deactivated there, the group's admin role does not lift them
        String membershipId = away.api()
                .get("/api/v2/organizations/" + away.orgId() + "/memberships")
                .body()
                .path("users")
                .valueStream()
                .filter(u -> u.path("user").path("email").asString().equals(email))
                .findFirst()
                .orElseThrow()
                .path("id")
                .asString();
        Res deactivated = away.api()
                .patch(
                        "/api/v2/organizations/" + away.orgId() + "/memberships/" + membershipId,
                        Map.of("isActive", false));
        assertThat(deactivated.status()).as(deactivated.toString()).isEqualTo(200);
        Res refused = listGroups(person);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().toString()).contains("no longer an active member");
    }
}
