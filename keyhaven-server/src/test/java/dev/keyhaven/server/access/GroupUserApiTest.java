package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * People in groups: they inherit the group's project roles without being project members, lose
 * them on the next request after leaving, and only people of the group's organization can join,
 * under the same no-escalation rule as identities.
 */
class GroupUserApiTest {

    private static String project(Api api) {
        Res r = api.post("/api/v2/workspace", Map.of("projectName", Fixtures.unique("p")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body().path("project").path("id").asString();
    }

    private static String group(Api api, Map<String, Object> body) {
        Res r = api.post("/api/v1/groups", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body().path("id").asString();
    }

    private static Res read(Api api, String project) {
        return api.get("/api/v3/secrets/raw", "workspaceId", project, "environment", "dev");
    }

    private static String orgMembershipId(People.OrgAdmin admin, String email) {
        return admin.api()
                .get("/api/v2/organizations/" + admin.orgId() + "/memberships")
                .body()
                .path("users")
                .valueStream()
                .filter(u -> u.path("user").path("email").asString().equals(email))
                .findFirst()
                .orElseThrow()
                .path("id")
                .asString();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aPersonInAGroupReadsWhereTheGroupHasARoleUntilRemoved(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin admin = people.orgAdmin("group-user");
        String p = project(admin.api());
        assertThat(new Fixtures(server)
                        .createSecret(admin.api(), p, "dev", "/", "SHARED", "v")
                        .status())
                .isEqualTo(200);
        String email = people.invitedMember(admin, "grouped", "member");
        Api member = server.as(people.token(email));
        assertThat(read(member, p).status()).isEqualTo(403);

        String g = group(admin.api(), Map.of("name", Fixtures.unique("readers")));
        assertThat(admin.api()
                        .post("/api/v2/workspace/" + p + "/groups/" + g, Map.of("role", "viewer"))
                        .status())
                .isEqualTo(200);
        Res added = admin.api().post("/api/v1/groups/" + g + "/users/" + email.toUpperCase(), null);
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(added.body().path("email").asString()).isEqualTo(email);
        assertThat(added.body().path("username").asString()).isEqualTo(email);
        assertThat(added.body().has("firstName")).isTrue();
        assertThat(added.body().has("lastName")).isTrue();
        String userId = added.body().path("id").asString();

        Res secrets = read(member, p);
        assertThat(secrets.status()).as(secrets.toString()).isEqualTo(200);
        assertThat(Fixtures.keys(secrets.body().path("secrets"))).containsExactly("SHARED");
        assertThat(member.post(
                                "/api/v3/secrets/raw/NOPE",
                                Map.of("workspaceId", p, "environment", "dev", "secretValue", "x"))
                        .status())
                .as("viewer only")
                .isEqualTo(403);
        assertThat(member.get("/api/v1/workspace")
                        .body()
                        .path("workspaces")
                        .valueStream()
                        .map(w -> w.path("id").asString()))
                .as("listed through the group")
                .contains(p);
        assertThat(admin.api()
                        .get("/api/v2/workspace/" + p + "/memberships")
                        .body()
                        .path("memberships")
                        .valueStream()
                        .map(m -> m.path("user").path("email").asString()))
                .as("not a direct member")
                .doesNotContain(email);
        assertThat(admin.api()
                        .post("/api/v1/groups/" + g + "/users/" + email, null)
                        .status())
                .isEqualTo(400);

        Res removed = admin.api().delete("/api/v1/groups/" + g + "/users/" + email, null);
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.body().path("id").asString()).isEqualTo(userId);
        assertThat(read(member, p).status()).as("the very next request").isEqualTo(403);
        assertThat(member.get("/api/v1/workspace")
                        .body()
                        .path("workspaces")
                        .valueStream()
                        .map(w -> w.path("id").asString()))
                .doesNotContain(p);
        assertThat(admin.api()
                        .delete("/api/v1/groups/" + g + "/users/" + email, null)
                        .status())
                .isEqualTo(404);

        Res audit = admin.api().get("/api/v1/organization/audit-logs", "eventType", "add-user-to-group");
        assertThat(audit.body()
                        .path("auditLogs")
                        .get(0)
                        .path("event")
                        .path("metadata")
                        .path("userId")
                        .asString())
                .isEqualTo(userId);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void groupListsPageFilterAndSearch(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin admin = people.orgAdmin("group-lists");
        List<String> emails = new ArrayList<>();
        for (String prefix : List.of("alpha", "bravo", "charlie")) {
            emails.add(people.invitedMember(admin, prefix, "member"));
        }
        String g = group(admin.api(), Map.of("name", Fixtures.unique("listed")));
        admin.api().post("/api/v1/groups/" + g + "/users/" + emails.get(0), null);
        admin.api().post("/api/v1/groups/" + g + "/users/" + emails.get(1), null);
        String botName = Fixtures.unique("bot");
        String bot = admin.api()
                .post(
                        "/api/v1/identities",
                        Map.of("name", botName, "organizationId", admin.orgId(), "role", "no-access"))
                .body()
                .path("identity")
                .path("id")
                .asString();
        assertThat(admin.api()
                        .post("/api/v1/groups/" + g + "/machine-identities/" + bot, null)
                        .status())
                .isEqualTo(200);
        String users = "/api/v1/groups/" + g + "/users";

        Res first = admin.api().get(users, "limit", 2);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.body().path("totalCount").asInt())
                .as("the admin and three members")
                .isEqualTo(4);
        assertThat(first.body().path("users").size()).isEqualTo(2);
        Res second = admin.api().get(users, "offset", 2, "limit", 2);
        Set<String> seen = new HashSet<>();
        first.body().path("users").forEach(u -> seen.add(u.path("email").asString()));
        second.body().path("users").forEach(u -> seen.add(u.path("email").asString()));
        assertThat(seen).hasSize(4).containsAll(emails).contains(admin.email());
        assertThat(admin.api().get(users).body().path("users").size())
                .as("default limit 10")
                .isEqualTo(4);

        JsonNode members = admin.api().get(users, "filter", "existingMembers").body();
        assertThat(members.path("totalCount").asInt()).isEqualTo(2);
        members.path("users").forEach(u -> {
            assertThat(u.path("isPartOfGroup").asBoolean()).isTrue();
            assertThat(u.path("joinedGroupAt").asString()).isNotBlank();
        });
        JsonNode others = admin.api().get(users, "filter", "nonMembers").body();
        assertThat(others.path("totalCount").asInt()).isEqualTo(2);
        others.path("users").forEach(u -> {
            assertThat(u.path("isPartOfGroup").asBoolean()).isFalse();
            assertThat(u.path("joinedGroupAt").isNull()).isTrue();
        });
        String charlie = emails.get(2).substring(0, emails.get(2).indexOf('@'));
        JsonNode found = admin.api().get(users, "search", charlie).body();
        assertThat(found.path("totalCount").asInt()).isEqualTo(1);
        assertThat(found.path("users").get(0).path("email").asString()).isEqualTo(emails.get(2));
        assertThat(admin.api()
                        .get(users, "username", emails.get(0))
                        .body()
                        .path("totalCount")
                        .asInt())
                .isEqualTo(1);

        for (Object[] bad : List.of(
                new Object[] {"limit", 101},
                new Object[] {"limit", 0},
                new Object[] {"offset", -1},
                new Object[] {"offset", Integer.MAX_VALUE},
                new Object[] {"limit", "ten"},
                new Object[] {"search", "a b"},
                new Object[] {"search", "x%"},
                new Object[] {"filter", "everyone"})) {
            assertThat(admin.api().get(users, bad[0], bad[1]).status())
                    .as(bad[0] + "=" + bad[1])
                    .isEqualTo(422);
        }

        String all = "/api/v1/groups/" + g + "/members";
        JsonNode listed = admin.api().get(all).body();
        assertThat(listed.path("totalCount").asInt()).isEqualTo(3);
        assertThat(listed.path("members").valueStream().map(m -> m.path("type").asString()))
                .containsExactlyInAnyOrder("user", "user", "machineIdentity");
        JsonNode machine = listed.path("members")
                .valueStream()
                .filter(m -> m.path("type").asString().equals("machineIdentity"))
                .findFirst()
                .orElseThrow();
        assertThat(machine.path("id").asString()).isEqualTo(bot);
        assertThat(machine.path("machineIdentity").path("name").asString()).isEqualTo(botName);
        JsonNode person = listed.path("members")
                .valueStream()
                .filter(m -> m.path("type").asString().equals("user"))
                .findFirst()
                .orElseThrow();
        assertThat(person.path("user").path("email").asString()).isIn(emails.get(0), emails.get(1));
        assertThat(person.path("joinedGroupAt").asString()).isNotBlank();

        assertThat(admin.api()
                        .get(all, "memberTypeFilter", "users")
                        .body()
                        .path("totalCount")
                        .asInt())
                .isEqualTo(2);
        assertThat(admin.api()
                        .get(all, "memberTypeFilter", "machineIdentities")
                        .body()
                        .path("members")
                        .size())
                .isEqualTo(1);
        Res paged = admin.api().get(all, "limit", 1, "offset", 1);
        assertThat(paged.body().path("members").size()).isEqualTo(1);
        assertThat(paged.body().path("totalCount").asInt()).isEqualTo(3);
        List<String> asc = admin.api()
                .get(all)
                .body()
                .path("members")
                .valueStream()
                .map(m -> m.path("id").asString())
                .toList();
        List<String> desc = admin.api()
                .get(all, "orderDirection", "desc")
                .body()
                .path("members")
                .valueStream()
                .map(m -> m.path("id").asString())
                .toList();
        List<String> reversed = new ArrayList<>(asc);
        java.util.Collections.reverse(reversed);
        assertThat(desc).isEqualTo(reversed);
        assertThat(admin.api()
                        .get(all, "search", botName)
                        .body()
                        .path("members")
                        .get(0)
                        .path("id")
                        .asString())
                .isEqualTo(bot);
        assertThat(admin.api().get(all, "memberTypeFilter", "robots").status()).isEqualTo(422);
        assertThat(admin.api().get(all, "orderDirection", "up").status()).isEqualTo(422);
        assertThat(admin.api().get(all, "limit", 500).status()).isEqualTo(422);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void peopleOfOtherOrganizationsCannotJoinOrSeeTheGroup(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin admin = people.orgAdmin("group-home");
        People.OrgAdmin outsider = people.orgAdmin("group-away");
        String g = group(admin.api(), Map.of("name", Fixtures.unique("closed")));

        Res cross = admin.api().post("/api/v1/groups/" + g + "/users/" + outsider.email(), null);
        assertThat(cross.status()).isEqualTo(404);
        String outsiderId = outsider.api()
                .get("/api/v1/user/me")
                .body()
                .path("user")
                .path("id")
                .asString();
        assertThat(cross.body().toString()).doesNotContain(outsiderId).doesNotContain(outsider.orgId());
        assertThat(admin.api()
                        .post("/api/v1/groups/" + g + "/users/nobody@example.com", null)
                        .status())
                .isEqualTo(404);
        assertThat(admin.api()
                        .get("/api/v1/groups/" + g + "/members")
                        .body()
                        .path("totalCount")
                        .asInt())
                .isZero();

        assertThat(outsider.api()
                        .post("/api/v1/groups/" + g + "/users/" + outsider.email(), null)
                        .status())
                .isEqualTo(404);
        assertThat(outsider.api().get("/api/v1/groups/" + g + "/users").status())
                .isEqualTo(404);
        assertThat(outsider.api().get("/api/v1/groups/" + g + "/members").status())
                .isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void addingAPersonIsAGrantThatCannotEscalate(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin admin = people.orgAdmin("group-grant");
        String p = project(admin.api());
        Res role = admin.api()
                .post(
                        "/api/v1/organization/roles",
                        Map.of(
                                "slug",
                                "group-keeper",
                                "name",
                                "Group keeper",
                                "permissions",
                                List.of(Map.of(
                                        "subject",
                                        "groups",
                                        "action",
                                        List.of("read", "add-members", "remove-members")))));
        assertThat(role.status()).as(role.toString()).isEqualTo(200);
        String keeperEmail = people.invitedMember(admin, "keeper", "member");
        assertThat(admin.api()
                        .patch(
                                "/api/v2/organizations/" + admin.orgId() + "/memberships/"
                                        + orgMembershipId(admin, keeperEmail),
                                Map.of("role", "group-keeper"))
                        .status())
                .isEqualTo(200);
        Api keeper = server.as(people.token(keeperEmail));
        String target = people.invitedMember(admin, "target", "member");
        Api plain = server.as(people.token(target));

        String projectAdmins = group(admin.api(), Map.of("name", Fixtures.unique("project-admins")));
        admin.api().post("/api/v2/workspace/" + p + "/groups/" + projectAdmins, Map.of("role", "admin"));
        String orgAdmins = group(admin.api(), Map.of("name", Fixtures.unique("org-admins"), "role", "admin"));
        String harmless = group(admin.api(), Map.of("name", Fixtures.unique("harmless")));

        assertThat(keeper.post("/api/v1/groups/" + projectAdmins + "/users/" + target, null)
                        .status())
                .as("the group's project role exceeds the keeper's")
                .isEqualTo(403);
        assertThat(keeper.post("/api/v1/groups/" + orgAdmins + "/users/" + target, null)
                        .status())
                .as("the group's org role exceeds the keeper's")
                .isEqualTo(403);
        assertThat(keeper.post("/api/v1/groups/" + harmless + "/users/" + keeperEmail, null)
                        .status())
                .as("nobody adds themselves")
                .isEqualTo(403);
        assertThat(plain.post("/api/v1/groups/" + harmless + "/users/" + target, null)
                        .status())
                .as("an org member may not add members")
                .isEqualTo(403);
        assertThat(admin.api()
                        .get("/api/v1/groups/" + projectAdmins + "/members")
                        .body()
                        .path("totalCount")
                        .asInt())
                .isZero();
        assertThat(admin.api()
                        .get("/api/v1/groups/" + orgAdmins + "/members")
                        .body()
                        .path("totalCount")
                        .asInt())
                .isZero();

        assertThat(keeper.post("/api/v1/groups/" + harmless + "/users/" + target, null)
                        .status())
                .isEqualTo(200);
        assertThat(keeper.delete("/api/v1/groups/" + harmless + "/users/" + target, null)
                        .status())
                .isEqualTo(200);
        assertThat(admin.api()
                        .post("/api/v1/groups/" + projectAdmins + "/users/" + target, null)
                        .status())
                .as("an org admin may")
                .isEqualTo(200);
        assertThat(read(plain, p).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void leavingTheOrganizationTakesGroupPlacesAndPrivilegesButOnlyThere(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin admin = people.orgAdmin("group-leave");
        String p = project(admin.api());
        String email = people.invitedMember(admin, "leaving", "member");
        Api member = server.as(people.token(email));
        Res joined = admin.api()
                .post(
                        "/api/v2/workspace/" + p + "/memberships",
                        Map.of("emails", List.of(email), "roleSlugs", List.of("no-access")));
        String projectMembership =
                joined.body().path("memberships").get(0).path("id").asString();
        assertThat(admin.api()
                        .post(
                                "/api/v1/user-project-additional-privilege",
                                Map.of(
                                        "projectMembershipId",
                                        projectMembership,
                                        "permissions",
                                        List.of(Map.of("subject", "secrets", "action", "read")),
                                        "type",
                                        Map.of("isTemporary", false)))
                        .status())
                .isEqualTo(200);
        String g = group(admin.api(), Map.of("name", Fixtures.unique("leavers")));
        assertThat(admin.api()
                        .post("/api/v1/groups/" + g + "/users/" + email, null)
                        .status())
                .isEqualTo(200);
        String userId = admin.api()
                .get("/api/v1/groups/" + g + "/members")
                .body()
                .path("members")
                .get(0)
                .path("id")
                .asString();

        // the member also runs an organization of their own, which must not be touched
        String ownOrg = member.post("/api/v2/organizations", Map.of("name", "Own"))
                .body()
                .path("organization")
                .path("id")
                .asString();
        assertThat(member.post("/api/v1/auth/select-organization", Map.of("organizationId", ownOrg))
                        .status())
                .isEqualTo(200);
        String ownProject = project(member);

        assertThat(admin.api()
                        .delete(
                                "/api/v2/organizations/" + admin.orgId() + "/memberships/"
                                        + orgMembershipId(admin, email),
                                null)
                        .status())
                .isEqualTo(200);

        JdbcClient jdbc = server.bean(JdbcClient.class);
        assertThat(count(
                        jdbc,
                        "SELECT COUNT(*) FROM group_members WHERE member_type = 'user' AND member_id = ?",
                        userId))
                .isZero();
        assertThat(count(
                        jdbc,
                        "SELECT COUNT(*) FROM additional_privileges WHERE actor_type = 'user' AND actor_id = ?",
                        userId))
                .isZero();
        assertThat(count(
                        jdbc,
                        "SELECT COUNT(*) FROM project_memberships WHERE actor_type = 'user' AND actor_id = ?",
                        userId))
                .as("only the membership of their own project is left")
                .isEqualTo(1);
        assertThat(read(member, ownProject).status()).isEqualTo(200);
        assertThat(admin.api()
                        .get("/api/v1/groups/" + g + "/members")
                        .body()
                        .path("totalCount")
                        .asInt())
                .isZero();
    }

    private static long count(JdbcClient jdbc, String sql, String id) {
        return jdbc.sql(sql).param(id).query(Long.class).single();
    }
}
