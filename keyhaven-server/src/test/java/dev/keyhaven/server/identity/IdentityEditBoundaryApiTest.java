package dev.keyhaven.server.identity;

import static dev.keyhaven.server.identity.BoundaryScene.refused;
import static dev.keyhaven.server.support.Res.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The permission boundary around machine identities, for the identity itself: deleting, renaming,
 * editing the metadata or changing the org role of an identity needs everything it holds, before
 * the change and after it, and an identity never edits its own metadata. On both databases.
 */
class IdentityEditBoundaryApiTest {
    private static final String IDENTITIES = "/api/v1/identities/";

    private static List<Map<String, Object>> team(String value) {
        return List.of(Map.of("key", "team", "value", value));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anOrgMemberCannotDeleteRenameRelabelOrChangeTheRoleOfAnIdentityHoldingMore(Db db) {
        BoundaryScene scene = BoundaryScene.of(db);
        Api member = scene.member.api();
        scene.beyondReach.forEach((holds, target) -> {
            String before = ok(scene.admin.get(IDENTITIES + target)).raw();

            refused(member.patch(IDENTITIES + target, Map.of("name", Fixtures.unique("renamed"))), "rename " + holds);
            refused(member.patch(IDENTITIES + target, Map.of("metadata", team("x"))), "relabel " + holds);
            refused(member.patch(IDENTITIES + target, Map.of("role", "no-access")), "change the org role of " + holds);
            refused(member.delete(IDENTITIES + target, null), "delete " + holds);

            assertThat(ok(scene.admin.get(IDENTITIES + target)).raw())
                    .as("unchanged: " + holds)
                    .isEqualTo(before);
            ok(scene.admin.patch(
                    IDENTITIES + target, Map.of("name", Fixtures.unique("by-admin"), "metadata", team("y"))));
            ok(scene.admin.delete(IDENTITIES + target, null));
        });
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyEditStillWorksOnAnIdentityTheMemberFullyHolds(Db db) {
        BoundaryScene scene = BoundaryScene.of(db);
        Api member = scene.member.api();
        String own = scene.createdBy(member, "member");
        String name = Fixtures.unique("renamed");

        ok(member.patch(IDENTITIES + own, Map.of("name", name, "metadata", team("payments"))));
        ok(member.patch(IDENTITIES + own, Map.of("role", "no-access")));
        ok(member.patch(IDENTITIES + own, Map.of("role", "member")));
        Res got = ok(scene.admin.get(IDENTITIES + own));
        assertThat(got.body().path("identity").path("name").asString()).isEqualTo(name);
        assertThat(got.body()
                        .path("identity")
                        .path("metadata")
                        .get(0)
                        .path("value")
                        .asString())
                .isEqualTo("payments");
        assertThat(got.body().path("identity").path("role").asString()).isEqualTo("member");
        ok(member.delete(IDENTITIES + own, null));
        assertThat(scene.admin.get(IDENTITIES + own).status()).isEqualTo(404);
    }

    /**
     * Metadata fills templated rules, so relabelling an identity can widen what it may do: the
     * caller must hold what the identity would hold afterwards too, and an identity cannot relabel
     * itself at all.
     */
    @ParameterizedTest
    @EnumSource(Db.class)
    void metadataThatWouldWidenTheIdentitysAccessIsRefusedAndNoIdentityRelabelsItself(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        Map<String, Object> teamPath = Map.of("secretPath", Map.of("$glob", "/{{identity.metadata.team}}/**"));
        ok(server.admin()
                .post(
                        "/api/v2/workspace/" + p + "/roles",
                        Map.of(
                                "slug",
                                "team-reader",
                                "name",
                                "team-reader",
                                "permissions",
                                List.of(Map.of("subject", "secrets", "action", "read", "conditions", teamPath)))));
        Fixtures.Machine lead = teamReader(server, p, "payments");
        String peer = teamReader(server, p, "payments").id();

        Res widened = lead.api().patch(IDENTITIES + peer, Map.of("metadata", team("billing")));
        assertThat(widened.status()).as(widened.toString()).isEqualTo(403);
        assertThat(widened.body().path("message").asString()).contains("would have permissions you do not hold");
        assertThat(ok(server.admin().get(IDENTITIES + peer))
                        .body()
                        .path("identity")
                        .path("metadata")
                        .get(0)
                        .path("value")
                        .asString())
                .isEqualTo("payments");

        ok(lead.api()
                .patch(
                        IDENTITIES + peer,
                        Map.of(
                                "metadata",
                                List.of(
                                        Map.of("key", "team", "value", "payments"),
                                        Map.of("key", "owner", "value", "lead")))));
        ok(lead.api().patch(IDENTITIES + peer, Map.of("metadata", List.of())));

        Res self = lead.api().patch(IDENTITIES + lead.id(), Map.of("metadata", team("billing")));
        assertThat(self.status()).as(self.toString()).isEqualTo(403);
        assertThat(self.body().path("message").asString()).contains("cannot change its own metadata");
        assertThat(lead.api()
                        .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev", "secretPath", "/billing")
                        .status())
                .isEqualTo(403);
        ok(lead.api()
                .patch(IDENTITIES + lead.id(), Map.of("name", Fixtures.unique("lead"), "metadata", team("payments"))));
    }

    /** A logged-in identity (org role member) of team {@code team}, reading its team's secrets in the project. */
    private static Fixtures.Machine teamReader(TestServer server, String project, String team) {
        Api admin = server.admin();
        String id = ok(admin.post(
                        "/api/v1/identities",
                        Map.of(
                                "name",
                                Fixtures.unique("reader"),
                                "organizationId",
                                server.admin.orgId(),
                                "role",
                                "member",
                                "metadata",
                                team(team))))
                .body()
                .path("identity")
                .path("id")
                .asString();
        String clientId = ok(admin.post(MachineIdentities.UA + id, Map.of()))
                .body()
                .path("identityUniversalAuth")
                .path("clientId")
                .asString();
        String secret = ok(admin.post(MachineIdentities.UA + id + "/client-secrets", Map.of()))
                .body()
                .path("clientSecret")
                .asString();
        ok(admin.post("/api/v2/workspace/" + project + "/identity-memberships/" + id, Map.of("role", "team-reader")));
        String token = new Fixtures(server).login(clientId, secret);
        return new Fixtures.Machine(id, clientId, secret, token, server.as(token));
    }
}
