package dev.keyhaven.server.access;

import static dev.keyhaven.server.support.Res.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.People;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The permission boundary inside a project: a lead whose custom project role may manage members,
 * identities, groups and privileges, but is not admin, cannot change the roles or privileges of,
 * or remove, a person, identity or group that is admin of the project; it still can on those
 * holding no more than it does, and the project admin can on all of them. On both databases.
 */
class ProjectBoundaryApiTest {
    private static final String BOUNDARY = "has permissions you do not hold in this project";
    private static final String USER_PRIVILEGES = "/api/v1/user-project-additional-privilege";
    private static final String IDENTITY_PRIVILEGES = "/api/v2/identity-project-additional-privilege";

    private record Scene(TestServer server, People people, People.OrgAdmin owner, String project, Api lead) {
        Api admin() {
            return owner.api();
        }

        /** A new org member who joins the project with {@code role}; returns their project membership id. */
        String person(String role) {
            String email = people.invitedMember(owner, "pjb", "member");
            return ok(admin().post(
                                    "/api/v2/workspace/" + project + "/memberships",
                                    Map.of("emails", List.of(email), "roleSlugs", List.of(role))))
                    .body()
                    .path("memberships")
                    .get(0)
                    .path("id")
                    .asString();
        }

        String identity(String role) {
            String id = ok(admin().post(
                                    "/api/v1/identities",
                                    Map.of(
                                            "name",
                                            Fixtures.unique("pjb"),
                                            "organizationId",
                                            owner.orgId(),
                                            "role",
                                            "no-access")))
                    .body()
                    .path("identity")
                    .path("id")
                    .asString();
            ok(admin().post("/api/v2/workspace/" + project + "/identity-memberships/" + id, Map.of("role", role)));
            return id;
        }

        String group(String role) {
            String id = ok(admin().post("/api/v1/groups", Map.of("name", Fixtures.unique("pjb"), "role", "no-access")))
                    .body()
                    .path("id")
                    .asString();
            ok(admin().post("/api/v2/workspace/" + project + "/groups/" + id, Map.of("role", role)));
            return id;
        }

        String memberships() {
            return "/api/v1/workspace/" + project + "/memberships/";
        }
    }

    private static Scene scene(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin owner = people.orgAdmin("pjb-owner");
        String project = ok(owner.api().post("/api/v2/workspace", Map.of("projectName", Fixtures.unique("pjb"))))
                .body()
                .path("project")
                .path("id")
                .asString();
        List<String> manage = List.of("read", "create", "edit", "delete", "grant-privileges");
        ok(owner.api()
                .post(
                        "/api/v2/workspace/" + project + "/roles",
                        Map.of(
                                "slug",
                                "people-lead",
                                "name",
                                "People lead",
                                "permissions",
                                List.of(
                                        Map.of("subject", "member", "action", manage),
                                        Map.of("subject", "identity", "action", manage),
                                        Map.of(
                                                "subject",
                                                "groups",
                                                "action",
                                                List.of("read", "create", "edit", "delete"))))));
        String lead = people.invitedMember(owner, "pjb-lead", "member");
        ok(owner.api()
                .post(
                        "/api/v2/workspace/" + project + "/memberships",
                        Map.of("emails", List.of(lead), "roleSlugs", List.of("viewer", "people-lead"))));
        return new Scene(server, people, owner, project, server.as(people.token(lead)));
    }

    private static void refused(Res res, String what) {
        assertThat(res.status()).as(what + ": " + res).isEqualTo(403);
        assertThat(res.body().path("message").asString()).as(what).contains(BOUNDARY);
    }

    private static List<Map<String, Object>> viewer() {
        return List.of(Map.of("role", "viewer", "isTemporary", false));
    }

    private static List<Map<String, Object>> readSecrets() {
        return List.of(Map.of("subject", "secrets", "action", List.of("read")));
    }

    private static Map<String, Object> permanent() {
        return Map.of("isTemporary", false);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aLeadCannotChangeTheRolesOrPrivilegesOfOrRemoveAProjectAdminPerson(Db db) {
        Scene s = scene(db);
        String admin = s.person("admin");
        String privilege = ok(s.admin()
                        .post(
                                USER_PRIVILEGES,
                                Map.of(
                                        "projectMembershipId",
                                        admin,
                                        "permissions",
                                        readSecrets(),
                                        "type",
                                        permanent())))
                .body()
                .path("privilege")
                .path("id")
                .asString();
        String before = ok(s.admin().get(s.memberships() + admin)).raw();

        refused(s.lead().patch(s.memberships() + admin, Map.of("roles", viewer())), "change roles");
        refused(s.lead().delete(s.memberships() + admin, null), "remove");
        refused(
                s.lead()
                        .post(
                                USER_PRIVILEGES,
                                Map.of(
                                        "projectMembershipId",
                                        admin,
                                        "permissions",
                                        List.of(Map.of(
                                                "subject", "secrets", "action", List.of("read"), "inverted", true)),
                                        "type",
                                        permanent())),
                "grant a deny");
        refused(s.lead().patch(USER_PRIVILEGES + "/" + privilege, Map.of("slug", "renamed")), "change a privilege");
        refused(s.lead().delete(USER_PRIVILEGES + "/" + privilege, null), "revoke a privilege");

        assertThat(ok(s.admin().get(s.memberships() + admin)).raw()).isEqualTo(before);
        assertThat(ok(s.admin().get(USER_PRIVILEGES + "/" + privilege))
                        .body()
                        .path("privilege")
                        .path("slug")
                        .asString())
                .isNotEqualTo("renamed");

        ok(s.admin().delete(USER_PRIVILEGES + "/" + privilege, null));
        ok(s.admin().patch(s.memberships() + admin, Map.of("roles", viewer())));
        ok(s.admin().delete(s.memberships() + admin, null));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyChangeStillWorksOnAPersonTheLeadFullyHolds(Db db) {
        Scene s = scene(db);
        String viewer = s.person("viewer");

        String privilege = ok(s.lead()
                        .post(
                                USER_PRIVILEGES,
                                Map.of(
                                        "projectMembershipId",
                                        viewer,
                                        "permissions",
                                        readSecrets(),
                                        "type",
                                        permanent())))
                .body()
                .path("privilege")
                .path("id")
                .asString();
        ok(s.lead().patch(USER_PRIVILEGES + "/" + privilege, Map.of("slug", "renamed")));
        ok(s.lead().delete(USER_PRIVILEGES + "/" + privilege, null));
        ok(s.lead().patch(s.memberships() + viewer, Map.of("roles", viewer())));
        ok(s.lead().delete(s.memberships() + viewer, null));
        assertThat(s.admin().get(s.memberships() + viewer).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aLeadCannotChangeOrRemoveAProjectAdminIdentityOrGroup(Db db) {
        Scene s = scene(db);
        String identity = s.identity("admin");
        String identityPath = "/api/v2/workspace/" + s.project() + "/identity-memberships/" + identity;
        String group = s.group("admin");
        String groupPath = "/api/v2/workspace/" + s.project() + "/groups/" + group;

        refused(s.lead().patch(identityPath, Map.of("role", "viewer")), "change an identity's roles");
        refused(s.lead().delete(identityPath, null), "remove an identity");
        refused(
                s.lead()
                        .post(
                                IDENTITY_PRIVILEGES,
                                Map.of(
                                        "identityId",
                                        identity,
                                        "projectId",
                                        s.project(),
                                        "permissions",
                                        readSecrets(),
                                        "type",
                                        permanent())),
                "grant an identity a privilege");
        refused(s.lead().patch(groupPath, Map.of("role", "viewer")), "change a group's roles");
        refused(s.lead().delete(groupPath, null), "remove a group");

        assertThat(roles(ok(s.admin().get(identityPath)).body().path("identityMembership")))
                .containsExactly("admin");
        assertThat(roles(ok(s.admin().get(groupPath)).body().path("groupMembership")))
                .containsExactly("admin");

        String small = s.identity("viewer");
        String smallPath = "/api/v2/workspace/" + s.project() + "/identity-memberships/" + small;
        ok(s.lead()
                .post(
                        IDENTITY_PRIVILEGES,
                        Map.of(
                                "identityId",
                                small,
                                "projectId",
                                s.project(),
                                "permissions",
                                readSecrets(),
                                "type",
                                permanent())));
        ok(s.lead().patch(smallPath, Map.of("role", "viewer")));
        ok(s.lead().delete(smallPath, null));
        String smallGroup = "/api/v2/workspace/" + s.project() + "/groups/" + s.group("viewer");
        ok(s.lead().patch(smallGroup, Map.of("role", "viewer")));
        ok(s.lead().delete(smallGroup, null));

        ok(s.admin().patch(identityPath, Map.of("role", "viewer")));
        ok(s.admin().delete(identityPath, null));
        ok(s.admin().delete(groupPath, null));
    }

    private static List<String> roles(JsonNode membership) {
        return membership
                .path("roles")
                .valueStream()
                .map(r -> r.path("role").asString())
                .toList();
    }
}
