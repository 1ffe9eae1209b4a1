package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.identity.MachineIdentities.UaIdentity;
import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Identity access tokens: format, renewal, revocation, lifetimes and use limits, on both databases. */
class AccessTokenApiTest {
    private static final String RENEW = "/api/v1/auth/token/renew";
    private static final String REVOKE = "/api/v1/auth/token/revoke";

    private static MachineIdentities ids(Db db) {
        return new MachineIdentities(TestServers.shared(db));
    }

    private static Api anonymous(Db db) {
        return TestServers.shared(db).anonymous();
    }

    private static void assertTokenRefused(Res res) {
        assertThat(res.status()).as(res.toString()).isEqualTo(403);
        assertThat(res.body().path("error").asString()).isEqualTo("TokenError");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void tokensNeverLookLikeLegacyServiceTokens(Db db) {
        TestServer server = TestServers.shared(db);
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of());

        String first = ids.token(m);
        String second = ids.token(m);

        assertThat(first).doesNotStartWith("st.").hasSizeGreaterThanOrEqualTo(64);
        assertThat(second).doesNotStartWith("st.").isNotEqualTo(first);
        assertThat(server.admin.token()).doesNotStartWith("st.");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aMissingOrUnknownTokenIsRefused(Db db) {
        TestServer server = TestServers.shared(db);
        String path = "/api/v1/identities/" + server.admin.identityId();

        Res missing = server.anonymous().get(path);
        Res unknown = server.as("kh_at_" + "0".repeat(64)).get(path);
        Res legacy = server.as("st.abc.def").get(path);

        assertThat(missing.status()).as(missing.toString()).isEqualTo(401);
        assertThat(missing.body().path("message").asString()).isEqualTo("Token missing");
        assertTokenRefused(unknown);
        assertThat(legacy.status()).as(legacy.toString()).isIn(401, 403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void renewReturnsTheLoginShapeAndKeepsTheTokenUsable(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of("accessTokenTTL", 3600, "accessTokenMaxTTL", 86400));
        String token = ids.token(m);

        Res renewed = anonymous(db).post(RENEW, Map.of("accessToken", token));

        assertThat(renewed.status()).as(renewed.toString()).isEqualTo(200);
        assertThat(renewed.body().path("expiresIn").asLong()).isEqualTo(3600);
        assertThat(renewed.body().path("accessTokenMaxTTL").asLong()).isEqualTo(86400);
        assertThat(renewed.body().path("tokenType").asString()).isEqualTo("Bearer");
        String next = renewed.body().path("accessToken").asString();
        assertThat(next).isNotEmpty().doesNotStartWith("st.");
        assertThat(ids.probe(next, m.id()).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void renewingARevokedTokenFails(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of());
        String token = ids.token(m);
        assertThat(anonymous(db).post(REVOKE, Map.of("accessToken", token)).status())
                .isEqualTo(200);

        Res renewed = anonymous(db).post(RENEW, Map.of("accessToken", token));

        assertThat(renewed.status()).as(renewed.toString()).isIn(401, 403);
        assertThat(renewed.raw()).doesNotContain("accessTokenMaxTTL");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void renewOrRevokeWithoutATokenIs422AndWithAnUnknownOneIsRefused(Db db) {
        Res noToken = anonymous(db).post(RENEW, Map.of());
        Res unknown = anonymous(db).post(REVOKE, Map.of("accessToken", "kh_at_" + "1".repeat(64)));

        assertThat(noToken.status()).as(noToken.toString()).isEqualTo(422);
        assertThat(noToken.body().path("message").get(0).path("path").get(0).asString())
                .isEqualTo("accessToken");
        assertThat(unknown.status()).as(unknown.toString()).isIn(401, 403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aRevokedTokenIsRefusedOnTheNextRequestWithTokenError(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of());
        String token = ids.token(m);
        String sibling = ids.token(m);
        assertThat(ids.probe(token, m.id()).status()).isEqualTo(200);

        Res revoked = anonymous(db).post(REVOKE, Map.of("accessToken", token));

        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.body().path("message").asString()).isEqualTo("Successfully revoked access token");
        assertTokenRefused(ids.probe(token, m.id()));
        assertThat(ids.probe(sibling, m.id()).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aTokenWithAUseLimitOfTwoRefusesTheThirdRequest(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of("accessTokenNumUsesLimit", 2));
        String token = ids.token(m);

        Res first = ids.probe(token, m.id());
        Res second = ids.probe(token, m.id());
        Res third = ids.probe(token, m.id());

        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertTokenRefused(third);
        assertThat(ids.probe(ids.token(m), m.id()).status()).isEqualTo(200);
        Res renewed = anonymous(db).post(RENEW, Map.of("accessToken", token));
        assertThat(renewed.status()).as(renewed.toString()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aTokenExpiresAfterItsTtl(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of("accessTokenTTL", 1, "accessTokenMaxTTL", 60));
        String token = ids.token(m);

        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ids.probe(token, m.id()).status() != 200);

        assertTokenRefused(ids.probe(token, m.id()));
        Res renewed = anonymous(db).post(RENEW, Map.of("accessToken", token));
        assertThat(renewed.status()).as(renewed.toString()).isEqualTo(401);
        assertThat(renewed.body().path("message").asString()).contains("TTL");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aTokenWithZeroTtlDoesNotExpire(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of("accessTokenTTL", 0, "accessTokenMaxTTL", 0));

        Res login = ids.login(m.clientId(), m.clientSecret());

        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.body().path("expiresIn").asLong()).isZero();
        assertThat(ids.probe(login.body().path("accessToken").asString(), m.id())
                        .status())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aPeriodicTokenReportsItsPeriodAndAHugeMaxTtl(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of("accessTokenPeriod", 120));

        Res login = ids.login(m.clientId(), m.clientSecret());

        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.body().path("expiresIn").asLong()).isEqualTo(120);
        assertThat(login.body().path("accessTokenMaxTTL").asLong()).isEqualTo(1_000_000_000L);
        Res renewed = anonymous(db)
                .post(
                        RENEW,
                        Map.of("accessToken", login.body().path("accessToken").asString()));
        assertThat(renewed.status()).as(renewed.toString()).isEqualTo(200);
        assertThat(renewed.body().path("expiresIn").asLong()).isEqualTo(120);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void deletingTheIdentityKillsItsTokens(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of());
        String token = ids.token(m);
        assertThat(ids.probe(token, m.id()).status()).isEqualTo(200);

        Res deleted = ids.admin().delete("/api/v1/identities/" + m.id(), null);

        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertTokenRefused(TestServers.shared(db).as(token).get("/api/v1/identities"));
        assertThat(ids.login(m.clientId(), m.clientSecret()).status()).isEqualTo(401);
        assertThat(anonymous(db).post(RENEW, Map.of("accessToken", token)).status())
                .isIn(401, 403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void demotingAnIdentityToNoAccessTakesEffectOnItsExistingToken(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of());
        String token = ids.token(m);
        assertThat(ids.probe(token, m.id()).status()).isEqualTo(200);

        Res demoted = ids.admin().patch("/api/v1/identities/" + m.id(), Map.of("role", "no-access"));

        assertThat(demoted.status()).as(demoted.toString()).isEqualTo(200);
        Res denied = ids.probe(token, m.id());
        assertThat(denied.status()).as(denied.toString()).isEqualTo(403);
        assertThat(denied.body().path("error").asString()).isEqualTo("PermissionDenied");
    }
}
