package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.identity.MachineIdentities.UaIdentity;
import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** Machine identities of an organization through {@code /api/v1/identities}, on both databases. */
class IdentityApiTest {
    private static final String IDENTITIES = "/api/v1/identities";

    private static TestServer server(Db db) {
        return TestServers.shared(db);
    }

    private static Api admin(Db db) {
        return TestServers.shared(db).admin();
    }

    private static Res create(Api api, Db db, String name, String role) {
        return api.post(
                IDENTITIES,
                Map.of("name", name, "organizationId", server(db).admin.orgId(), "role", role));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void createWithARoleThenGetReturnsTheIdentity(Db db) {
        String name = Fixtures.unique("deployer");

        Res created = admin(db)
                .post(
                        IDENTITIES,
                        Map.of(
                                "name",
                                name,
                                "organizationId",
                                server(db).admin.orgId(),
                                "role",
                                "member",
                                "metadata",
                                List.of(Map.of("key", "team", "value", "platform"))));

        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode identity = created.body().path("identity");
        String id = identity.path("id").asString();
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(identity.path("name").asString()).isEqualTo(name);
        assertThat(identity.path("orgId").asString()).isEqualTo(server(db).admin.orgId());
        assertThat(identity.path("authMethods").isArray()).isTrue();
        assertThat(identity.path("authMethods").size()).isZero();
        assertThat(identity.path("createdAt").asString()).isNotEmpty();
        assertThat(identity.path("updatedAt").asString()).isNotEmpty();

        Res got = admin(db).get(IDENTITIES + "/" + id);
        assertThat(got.status()).as(got.toString()).isEqualTo(200);
        assertThat(got.body().path("identity").path("name").asString()).isEqualTo(name);
        assertThat(got.body().path("identity").path("role").asString()).isEqualTo("member");
        assertThat(got.body()
                        .path("identity")
                        .path("metadata")
                        .get(0)
                        .path("value")
                        .asString())
                .isEqualTo("platform");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theRoleDefaultsToNoAccess(Db db) {
        Res created = admin(db)
                .post(
                        IDENTITIES,
                        Map.of(
                                "name",
                                Fixtures.unique("plain"),
                                "organizationId",
                                server(db).admin.orgId()));

        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        String id = created.body().path("identity").path("id").asString();
        assertThat(admin(db)
                        .get(IDENTITIES + "/" + id)
                        .body()
                        .path("identity")
                        .path("role")
                        .asString())
                .isEqualTo("no-access");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void listReturnsIdentitiesAndTheirTotalCount(Db db) {
        String a = create(admin(db), db, Fixtures.unique("list"), "member")
                .body()
                .path("identity")
                .path("id")
                .asString();
        String b = create(admin(db), db, Fixtures.unique("list"), "no-access")
                .body()
                .path("identity")
                .path("id")
                .asString();

        Res list = admin(db).get(IDENTITIES, "orgId", server(db).admin.orgId(), "limit", "1000");

        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        JsonNode identities = list.body().path("identities");
        assertThat(identities.valueStream().map(i -> i.path("id").asString()))
                .contains(a, b, server(db).admin.identityId());
        assertThat(list.body().path("totalCount").asLong()).isEqualTo(identities.size());
        Res page = admin(db).get(IDENTITIES, "limit", "1");
        assertThat(page.body().path("identities").size()).isEqualTo(1);
        assertThat(page.body().path("totalCount").asLong()).isEqualTo(identities.size());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void pagingOutOfRangeIs422NamingTheParameter(Db db) {
        for (Object[] bad : List.of(
                new Object[] {"offset", -1},
                new Object[] {"offset", Integer.MAX_VALUE},
                new Object[] {"offset", "ten"},
                new Object[] {"limit", 0},
                new Object[] {"limit", 1001})) {
            Res res = admin(db).get(IDENTITIES, bad[0], bad[1]);

            assertThat(res.status()).as(bad[0] + "=" + bad[1] + ": " + res).isEqualTo(422);
            assertThat(res.body().path("message").get(0).path("path").get(0).asString())
                    .isEqualTo(bad[0]);
        }
        assertThat(admin(db)
                        .get(IDENTITIES, "offset", 1_000_000)
                        .body()
                        .path("identities")
                        .size())
                .isZero();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void listingAnotherOrgIsRefused(Db db) {
        Res other = admin(db).get(IDENTITIES, "orgId", UUID.randomUUID().toString());

        assertThat(other.status()).as(other.toString()).isEqualTo(403);
        assertThat(other.body().has("identities")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void patchRenamesTheIdentity(Db db) {
        String id = create(admin(db), db, Fixtures.unique("old"), "member")
                .body()
                .path("identity")
                .path("id")
                .asString();
        String renamed = Fixtures.unique("new");

        Res patched = admin(db).patch(IDENTITIES + "/" + id, Map.of("name", renamed));

        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.body().path("identity").path("name").asString()).isEqualTo(renamed);
        JsonNode got = admin(db).get(IDENTITIES + "/" + id).body().path("identity");
        assertThat(got.path("name").asString()).isEqualTo(renamed);
        assertThat(got.path("role").asString()).isEqualTo("member");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anInvalidNameOrUnknownRoleIs422NamingTheField(Db db) {
        Res blank = create(admin(db), db, "  ", "member");
        Res tooLong = create(admin(db), db, "x".repeat(129), "member");
        Res role = create(admin(db), db, Fixtures.unique("r"), "overlord");

        assertThat(blank.status()).as(blank.toString()).isEqualTo(422);
        assertThat(blank.body().path("message").get(0).path("path").get(0).asString())
                .isEqualTo("name");
        assertThat(tooLong.status()).as(tooLong.toString()).isEqualTo(422);
        assertThat(tooLong.body().path("message").get(0).path("path").get(0).asString())
                .isEqualTo("name");
        assertThat(role.status()).as(role.toString()).isEqualTo(422);
        assertThat(role.body().path("message").get(0).path("path").get(0).asString())
                .isEqualTo("role");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void deleteRemovesTheIdentity(Db db) {
        String id = create(admin(db), db, Fixtures.unique("gone"), "member")
                .body()
                .path("identity")
                .path("id")
                .asString();

        Res deleted = admin(db).delete(IDENTITIES + "/" + id, null);

        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.body().path("identity").path("id").asString()).isEqualTo(id);
        Res after = admin(db).get(IDENTITIES + "/" + id);
        assertThat(after.status()).as(after.toString()).isEqualTo(404);
        assertThat(after.body().path("error").asString()).isEqualTo("NotFound");
        assertThat(admin(db).delete(IDENTITIES + "/" + id, null).status()).isEqualTo(404);
        assertThat(admin(db)
                        .get(IDENTITIES, "limit", "1000")
                        .body()
                        .path("identities")
                        .valueStream()
                        .map(i -> i.path("id").asString()))
                .doesNotContain(id);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void deletingAnIdentityRemovesItFromEveryProject(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String project = f.project();
        Fixtures.Machine m = f.identity(project, "viewer");

        assertThat(admin(db).delete(IDENTITIES + "/" + m.id(), null).status()).isEqualTo(200);

        Res list = admin(db).get("/api/v2/workspace/" + project + "/identity-memberships");
        assertThat(list.body()
                        .path("identityMemberships")
                        .valueStream()
                        .map(x -> x.path("identityId").asString()))
                .doesNotContain(m.id());
        assertThat(list.body().path("totalCount").asInt())
                .isEqualTo(list.body().path("identityMemberships").size());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anOrgMemberCannotCreateOrPromoteToAdmin(Db db) {
        MachineIdentities ids = new MachineIdentities(server(db));
        UaIdentity member = ids.withUa("member", Map.of());
        Api asMember = server(db).as(ids.token(member));

        String bossName = Fixtures.unique("boss");
        Res escalate = create(asMember, db, bossName, "admin");
        Res allowed = create(asMember, db, Fixtures.unique("peer"), "member");

        assertThat(escalate.status()).as(escalate.toString()).isEqualTo(403);
        assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
        String peer = allowed.body().path("identity").path("id").asString();
        Res promote = asMember.patch(IDENTITIES + "/" + peer, Map.of("role", "admin"));
        assertThat(promote.status()).as(promote.toString()).isEqualTo(403);
        assertThat(admin(db)
                        .get(IDENTITIES + "/" + peer)
                        .body()
                        .path("identity")
                        .path("role")
                        .asString())
                .isEqualTo("member");
        Res self = asMember.patch(IDENTITIES + "/" + member.id(), Map.of("role", "admin"));
        assertThat(self.status()).as(self.toString()).isEqualTo(403);
        assertThat(admin(db)
                        .get(IDENTITIES, "limit", "1000")
                        .body()
                        .path("identities")
                        .valueStream()
                        .map(i -> i.path("name").asString()))
                .doesNotContain(bossName);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aNoAccessIdentityCannotManageIdentities(Db db) {
        MachineIdentities ids = new MachineIdentities(server(db));
        UaIdentity none = ids.withUa("no-access", Map.of());
        Api asNone = server(db).as(ids.token(none));

        Res list = asNone.get(IDENTITIES);
        Res createOne = create(asNone, db, Fixtures.unique("x"), "no-access");

        assertThat(list.status()).as(list.toString()).isEqualTo(403);
        assertThat(list.body().path("error").asString()).isEqualTo("PermissionDenied");
        assertThat(createOne.status()).as(createOne.toString()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void malformedOrUnknownIdentityIdsAre404(Db db) {
        for (String bad : List.of("not-an-id", "123", UUID.randomUUID().toString(), "%27%3B--")) {
            Res get = admin(db).get(IDENTITIES + "/" + bad);
            Res patch = admin(db).patch(IDENTITIES + "/" + bad, Map.of("name", "x"));
            Res delete = admin(db).delete(IDENTITIES + "/" + bad, null);
            assertThat(get.status()).as(bad + ": " + get).isEqualTo(404);
            assertThat(patch.status()).as(bad + ": " + patch).isEqualTo(404);
            assertThat(delete.status()).as(bad + ": " + delete).isEqualTo(404);
        }
    }
}
