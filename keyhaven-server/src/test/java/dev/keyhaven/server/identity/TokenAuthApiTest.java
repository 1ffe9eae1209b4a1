package dev.keyhaven.server.identity;

import static dev.keyhaven.server.support.Res.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServers;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** Token auth management: configuration, named tokens, revocation and who may mint them, on both databases. */
class TokenAuthApiTest {
    static final String TA = "/api/v1/auth/token-auth/identities/";
    static final String TOKENS = "/api/v1/auth/token-auth/tokens/";

    private static MachineIdentities ids(Db db) {
        return new MachineIdentities(TestServers.shared(db));
    }

    private static Api admin(Db db) {
        return TestServers.shared(db).admin();
    }

    private static List<String> auditTypes(Db db, String identityId, String since) {
        Res res = ok(admin(db).get("/api/v1/organization/audit-logs", "startDate", since, "limit", 1000));
        return res.body()
                .path("auditLogs")
                .valueStream()
                .filter(r -> identityId.equals(
                        r.path("event").path("metadata").path("identityId").asString()))
                .map(r -> r.path("event").path("type").asString())
                .toList();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void attachWithDefaultsCreateUseListRenameAndRevokeANamedToken(Db db) {
        String since = Instant.now().minusSeconds(5).toString();
        String id = ids(db).create("member");

        JsonNode config = ok(admin(db).post(TA + id, Map.of())).body().path("identityTokenAuth");
        assertThat(config.path("identityId").asString()).isEqualTo(id);
        assertThat(config.path("accessTokenTTL").asLong()).isEqualTo(2592000L);
        assertThat(config.path("accessTokenMaxTTL").asLong()).isEqualTo(2592000L);
        assertThat(config.path("accessTokenNumUsesLimit").asLong()).isZero();
        assertThat(config.path("accessTokenTrustedIps").size()).isEqualTo(2);
        assertThat(admin(db).post(TA + id, Map.of()).status()).isEqualTo(400);
        assertThat(ok(admin(db).get("/api/v1/identities/" + id))
                        .body()
                        .path("identity")
                        .path("authMethods")
                        .valueStream()
                        .map(JsonNode::asString))
                .contains("token-auth");

        Res created = ok(admin(db).post(TA + id + "/tokens", Map.of("name", "ci-runner")));
        String token = created.body().path("accessToken").asString();
        assertThat(token).startsWith("kh_at_");
        assertThat(created.body().path("expiresIn").asLong()).isEqualTo(2592000L);
        assertThat(created.body().path("accessTokenMaxTTL").asLong()).isEqualTo(2592000L);
        assertThat(created.body().path("tokenType").asString()).isEqualTo("Bearer");
        JsonNode data = created.body().path("tokenData");
        String tokenId = data.path("id").asString();
        assertThat(data.path("name").asString()).isEqualTo("ci-runner");
        assertThat(ids(db).probe(token, id).status()).isEqualTo(200);

        Res list = ok(admin(db).get(TA + id + "/tokens"));
        assertThat(list.body()
                        .path("tokens")
                        .valueStream()
                        .map(t -> t.path("id").asString()))
                .containsExactly(tokenId);
        assertThat(list.raw()).doesNotContain(token);

        Res renamed = ok(admin(db).patch(TOKENS + tokenId, Map.of("name", "deploy")));
        assertThat(renamed.body().path("token").path("name").asString()).isEqualTo("deploy");

        Res revoked = ok(admin(db).post(TOKENS + tokenId + "/revoke", Map.of()));
        assertThat(revoked.body().path("message").asString()).isEqualTo("Successfully revoked access token");
        assertThat(ids(db).probe(token, id).status()).isEqualTo(403);
        assertThat(ok(admin(db).get(TA + id + "/tokens")).body().path("tokens").size())
                .isZero();
        assertThat(admin(db).post(TOKENS + tokenId + "/revoke", Map.of()).status())
                .isEqualTo(404);

        assertThat(auditTypes(db, id, since))
                .contains(
                        "add-identity-token-auth",
                        "create-token-identity-token-auth",
                        "update-token-identity-token-auth",
                        "revoke-token-identity-token-auth");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void tokensFollowTheConfigurationAndDetachingRevokesThemAll(Db db) {
        String id = ids(db).create("member");
        ok(admin(db)
                .post(TA + id, Map.of("accessTokenTTL", 60, "accessTokenMaxTTL", 120, "accessTokenNumUsesLimit", 5)));
        JsonNode updated = ok(admin(db).patch(TA + id, Map.of("accessTokenTTL", 90)))
                .body()
                .path("identityTokenAuth");
        assertThat(updated.path("accessTokenTTL").asLong()).isEqualTo(90);
        assertThat(updated.path("accessTokenNumUsesLimit").asLong()).isEqualTo(5);
        assertThat(admin(db).patch(TA + id, Map.of("accessTokenTTL", 500)).status())
                .isEqualTo(422);

        Res first = ok(admin(db).post(TA + id + "/tokens", Map.of("name", "a")));
        assertThat(first.body().path("expiresIn").asLong()).isEqualTo(90);
        assertThat(first.body()
                        .path("tokenData")
                        .path("accessTokenNumUsesLimit")
                        .asLong())
                .isEqualTo(5);
        String a = first.body().path("accessToken").asString();
        String b = ok(admin(db).post(TA + id + "/tokens", Map.of("name", "b")))
                .body()
                .path("accessToken")
                .asString();
        assertThat(ids(db).probe(a, id).status()).isEqualTo(200);

        ok(admin(db).delete(TA + id, null));

        assertThat(ids(db).probe(a, id).status()).isEqualTo(403);
        assertThat(ids(db).probe(b, id).status()).isEqualTo(403);
        assertThat(admin(db).get(TA + id).status()).isEqualTo(404);
        assertThat(admin(db).post(TA + id + "/tokens", Map.of("name", "c")).status())
                .isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anOrgMemberMayConfigureTokenAuthButNotMintListOrRevokeTokens(Db db) {
        MachineIdentities ids = ids(db);
        String member = ids.token(ids.withUa("member", Map.of()));
        String target = ids.create("no-access");
        Api asMember = TestServers.shared(db).as(member);

        assertThat(asMember.post(TA + target, Map.of()).status()).isEqualTo(200);
        assertThat(asMember.get(TA + target).status()).isEqualTo(200);
        assertThat(asMember.post(TA + target + "/tokens", Map.of("name", "x")).status())
                .isEqualTo(403);
        assertThat(asMember.get(TA + target + "/tokens").status()).isEqualTo(403);

        String tokenId = ok(admin(db).post(TA + target + "/tokens", Map.of("name", "x")))
                .body()
                .path("tokenData")
                .path("id")
                .asString();
        assertThat(asMember.post(TOKENS + tokenId + "/revoke", Map.of()).status())
                .isEqualTo(403);
        assertThat(TestServers.shared(db).anonymous().get(TA + target).status()).isEqualTo(401);
    }
}
