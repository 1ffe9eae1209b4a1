package dev.keyhaven.server.org;

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
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/organization}: the caller's organizations, for people and for machine identities. */
class CallerOrganizationsApiTest {
    private static final String ROUTE = "/api/v1/organization";

    private static List<String> ids(Res res) {
        return StreamSupport.stream(res.body().path("organizations").spliterator(), false)
                .map(o -> o.path("id").asString())
                .toList();
    }

    private static JsonNode only(Res res) {
        assertThat(res.body().path("organizations").size()).as(res.toString()).isEqualTo(1);
        return res.body().path("organizations").get(0);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aPersonSeesEveryOrganizationTheyBelongToWithTheirRole(Db db) {
        TestServer server = TestServers.shared(db);
        People people = new People(server);
        People.OrgAdmin alice = people.orgAdmin("alice");
        Res second = alice.api().post("/api/v2/organizations", Map.of("name", "Second of alice"));
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        String secondId = second.body().path("organization").path("id").asString();

        Res res = alice.api().get(ROUTE);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(ids(res)).containsExactly(alice.orgId(), secondId);
        JsonNode first = res.body().path("organizations").get(0);
        assertThat(first.path("name").asString()).isEqualTo("Org of alice");
        assertThat(first.path("slug").asString()).isNotBlank();
        assertThat(first.path("userRole").asString()).isEqualTo("admin");
        assertThat(first.path("userJoinedAt").asString()).endsWith("Z");
        assertThat(first.path("orgAuthMethod").isString()).isTrue();
        assertThat(first.path("enforceMfa").isBoolean()).isTrue();
        assertThat(first.path("createdAt").asString()).endsWith("Z");

        // someone who has just signed up belongs to no organization yet
        Res none = server.as(people.token(people.signUp("carol"))).get(ROUTE);
        assertThat(none.status()).as(none.toString()).isEqualTo(200);
        assertThat(none.body().path("organizations").isArray()).isTrue();
        assertThat(none.body().path("organizations").size()).isZero();

        // a member invited into alice's first org sees that one only, as a member
        String bob = people.invitedMember(alice, "bob", "member");
        Res bobs = server.as(people.token(bob)).get(ROUTE);
        assertThat(bobs.status()).as(bobs.toString()).isEqualTo(200);
        assertThat(only(bobs).path("id").asString()).isEqualTo(alice.orgId());
        assertThat(only(bobs).path("userRole").asString()).isEqualTo("member");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anIdentitySeesItsOneOrganizationAndNothingElse(Db db) {
        TestServer server = TestServers.shared(db);
        Api identity = new Fixtures(server).identity(null, "viewer").api();
        Res res = identity.get(ROUTE);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(only(res).path("id").asString()).isEqualTo(server.admin.orgId());
        assertThat(only(res).path("userRole").asString()).isEqualTo("member");

        // an identity of another organization sees that organization, never the first one
        Res other = server.as(new Fixtures(server).otherOrgAdminToken()).get(ROUTE);
        assertThat(other.status()).as(other.toString()).isEqualTo(200);
        assertThat(only(other).path("id").asString()).isNotEqualTo(server.admin.orgId());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void withoutATokenTheListIsRefused(Db db) {
        Res res = TestServers.shared(db).anonymous().get(ROUTE);
        assertThat(res.status()).isEqualTo(401);
        assertThat(res.raw()).doesNotContain("organizations");
    }
}
