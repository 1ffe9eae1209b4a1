package dev.keyhaven.server.identity;

import static dev.keyhaven.server.support.Res.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity permission boundary's test world, built through the API by the instance admin: an
 * org {@code member} (a machine identity, viewer in one project), a caller with a custom org role
 * that may also mint token-auth tokens, and identities that hold more than both, each in another
 * way (org admin role, a project role, a temporary additional privilege, a project role through a
 * group, the org admin role through a group).
 */
final class BoundaryScene {
    static final String BOUNDARY = "has permissions you do not hold";

    final TestServer server;
    final Api admin;
    final String project;
    final Fixtures.Machine member;
    final Fixtures.Machine minter;
    /** What each identity holds that the member does not, to its id. */
    final Map<String, String> beyondReach = new LinkedHashMap<>();

    private BoundaryScene(Db db) {
        server = TestServers.shared(db);
        admin = server.admin();
        Fixtures f = new Fixtures(server);
        MachineIdentities ids = new MachineIdentities(server);
        project = f.project();
        member = f.identity(project, "viewer");
        minter = machine(orgRole(List.of(Map.of(
                "subject",
                "identity",
                "action",
                List.of("read", "create", "edit", "delete", "create-token", "get-token", "delete-token")))));

        beyondReach.put("the org admin role", ids.create("admin"));

        String projectRole = ids.create("member");
        ok(admin.post(
                "/api/v2/workspace/" + project + "/identity-memberships/" + projectRole, Map.of("role", "member")));
        beyondReach.put("a project role", projectRole);

        String privileged = ids.create("member");
        ok(admin.post(
                "/api/v2/workspace/" + project + "/identity-memberships/" + privileged, Map.of("role", "viewer")));
        ok(admin.post(
                "/api/v2/identity-project-additional-privilege",
                Map.of(
                        "identityId",
                        privileged,
                        "projectId",
                        project,
                        "permissions",
                        List.of(Map.of(
                                "subject",
                                "secrets",
                                "action",
                                List.of("create"),
                                "conditions",
                                Map.of("environment", "dev"))),
                        "type",
                        Map.of("isTemporary", true, "temporaryMode", "relative", "temporaryRange", "1h"))));
        beyondReach.put("a temporary additional privilege", privileged);

        String viaGroup = ids.create("member");
        String projectGroup = group("no-access");
        ok(admin.post("/api/v2/workspace/" + project + "/groups/" + projectGroup, Map.of("role", "member")));
        ok(admin.post("/api/v1/groups/" + projectGroup + "/machine-identities/" + viaGroup, null));
        beyondReach.put("a project role through a group", viaGroup);

        String adminViaGroup = ids.create("no-access");
        ok(admin.post("/api/v1/groups/" + group("admin") + "/machine-identities/" + adminViaGroup, null));
        beyondReach.put("the org admin role through a group", adminViaGroup);
    }

    static BoundaryScene of(Db db) {
        return new BoundaryScene(db);
    }

    /** A new identity made by {@code creator} itself, with {@code role} and no project: one it fully holds. */
    String createdBy(Api creator, String role) {
        return ok(creator.post(
                        "/api/v1/identities",
                        Map.of("name", Fixtures.unique("own"), "organizationId", server.admin.orgId(), "role", role)))
                .body()
                .path("identity")
                .path("id")
                .asString();
    }

    /** Asserts the boundary refused the request: a 403 JSON error that says why. */
    static void refused(Res res, String what) {
        assertThat(res.status()).as(what + ": " + res).isEqualTo(403);
        assertThat(res.body().path("message").asString()).as(what).contains(BOUNDARY);
    }

    private String group(String orgRole) {
        return ok(admin.post("/api/v1/groups", Map.of("name", Fixtures.unique("boundary"), "role", orgRole)))
                .body()
                .path("id")
                .asString();
    }

    private String orgRole(List<Map<String, Object>> permissions) {
        String slug = Fixtures.unique("identity-operator");
        ok(admin.post(
                "/api/v1/organization/roles",
                Map.of("slug", slug, "name", "Identity operator", "permissions", permissions)));
        return slug;
    }

    private Fixtures.Machine machine(String orgRole) {
        String id = new MachineIdentities(server).create(orgRole);
        String clientId = ok(admin.post(MachineIdentities.UA + id, Map.of()))
                .body()
                .path("identityUniversalAuth")
                .path("clientId")
                .asString();
        String secret = ok(admin.post(MachineIdentities.UA + id + "/client-secrets", Map.of()))
                .body()
                .path("clientSecret")
                .asString();
        String token = new Fixtures(server).login(clientId, secret);
        return new Fixtures.Machine(id, clientId, secret, token, server.as(token));
    }
}
