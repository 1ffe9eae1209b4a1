package dev.keyhaven.server.identity;

import static dev.keyhaven.server.identity.MachineIdentities.UA;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.identity.MachineIdentities.UaIdentity;
import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** Universal Auth end to end: configuration, client secrets and login, on SQLite and PostgreSQL. */
class UniversalAuthApiTest {

    private static MachineIdentities ids(Db db) {
        return new MachineIdentities(TestServers.shared(db));
    }

    private static Api admin(Db db) {
        return TestServers.shared(db).admin();
    }

    private static List<String> path(Res res) {
        return res.body()
                .path("message")
                .get(0)
                .path("path")
                .valueStream()
                .map(JsonNode::asString)
                .toList();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void attachWithAnEmptyBodyUsesInfisicalDefaults(Db db) {
        String id = ids(db).create("member");

        Res attached = admin(db).post(UA + id, Map.of());

        assertThat(attached.status()).as(attached.toString()).isEqualTo(200);
        JsonNode ua = attached.body().path("identityUniversalAuth");
        assertThat(ua.path("identityId").asString()).isEqualTo(id);
        assertThat(UUID.fromString(ua.path("clientId").asString())).isNotNull();
        assertThat(ua.path("accessTokenTTL").asLong()).isEqualTo(2592000L);
        assertThat(ua.path("accessTokenMaxTTL").asLong()).isEqualTo(2592000L);
        assertThat(ua.path("accessTokenNumUsesLimit").asLong()).isZero();
        assertThat(ua.path("accessTokenPeriod").asLong()).isZero();
        for (String field : List.of("clientSecretTrustedIps", "accessTokenTrustedIps")) {
            JsonNode ips = ua.path(field);
            assertThat(ips.size()).as(field).isEqualTo(2);
            assertThat(ips.get(0).path("ipAddress").asString()).isEqualTo("0.0.0.0");
            assertThat(ips.get(0).path("type").asString()).isEqualTo("ipv4");
            assertThat(ips.get(0).path("prefix").asInt()).isZero();
            assertThat(ips.get(1).path("ipAddress").asString()).isEqualTo("::");
            assertThat(ips.get(1).path("type").asString()).isEqualTo("ipv6");
            assertThat(ips.get(1).path("prefix").asInt()).isZero();
        }
        assertThat(ua.path("lockoutEnabled").asBoolean()).isTrue();
        assertThat(ua.path("lockoutThreshold").asInt()).isEqualTo(3);
        assertThat(ua.path("lockoutDurationSeconds").asInt()).isEqualTo(300);
        assertThat(ua.path("lockoutCounterResetSeconds").asInt()).isEqualTo(30);
        assertThat(ua.path("createdAt").asString()).isNotEmpty();

        Res identity = admin(db).get("/api/v1/identities/" + id);
        assertThat(identity.body()
                        .path("identity")
                        .path("authMethods")
                        .valueStream()
                        .map(JsonNode::asString))
                .containsExactly("universal-auth");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void attachingTwiceIsRefusedAndKeepsTheFirstConfiguration(Db db) {
        String id = ids(db).create("member");
        Res first = admin(db).post(UA + id, Map.of("accessTokenTTL", 60));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);

        Res second = admin(db).post(UA + id, Map.of("accessTokenTTL", 120));

        assertThat(second.status()).as(second.toString()).isEqualTo(400);
        assertThat(second.body().path("error").asString()).isEqualTo("BadRequest");
        Res got = admin(db).get(UA + id);
        assertThat(got.body()
                        .path("identityUniversalAuth")
                        .path("accessTokenTTL")
                        .asLong())
                .isEqualTo(60);
        assertThat(got.body().path("identityUniversalAuth").path("clientId").asString())
                .isEqualTo(first.body()
                        .path("identityUniversalAuth")
                        .path("clientId")
                        .asString());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aTtlAboveTheMaxTtlIsRefusedWith422AndNothingIsAttached(Db db) {
        String id = ids(db).create("member");

        Res res = admin(db).post(UA + id, Map.of("accessTokenTTL", 7200, "accessTokenMaxTTL", 3600));

        assertThat(res.status()).as(res.toString()).isEqualTo(422);
        assertThat(res.body().path("error").asString()).isEqualTo("ValidationFailure");
        assertThat(path(res)).containsExactly("accessTokenTTL");
        assertThat(admin(db).get(UA + id).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void outOfRangeSettingsAreRefusedWith422NamingTheField(Db db) {
        String id = ids(db).create("member");
        Map<String, Object> bad = Map.of(
                "accessTokenTTL", -1,
                "accessTokenMaxTTL", 315360001L,
                "accessTokenNumUsesLimit", -1,
                "lockoutThreshold", 31,
                "lockoutDurationSeconds", 29,
                "lockoutCounterResetSeconds", 3601);
        for (Map.Entry<String, Object> e : bad.entrySet()) {
            Res res = admin(db).post(UA + id, Map.of(e.getKey(), e.getValue()));
            assertThat(res.status()).as(e + " -> " + res).isEqualTo(422);
            assertThat(path(res)).as(e.toString()).containsExactly(e.getKey());
        }
        Res zeroThreshold = admin(db).post(UA + id, Map.of("lockoutThreshold", 0));
        assertThat(zeroThreshold.status()).isEqualTo(422);
        Res badIp =
                admin(db).post(UA + id, Map.of("clientSecretTrustedIps", List.of(Map.of("ipAddress", "not-an-ip"))));
        assertThat(badIp.status()).as(badIp.toString()).isEqualTo(422);
        assertThat(path(badIp)).containsExactly("clientSecretTrustedIps", "0", "ipAddress");
        Res noIps = admin(db).post(UA + id, Map.of("accessTokenTrustedIps", List.of()));
        assertThat(noIps.status()).as(noIps.toString()).isEqualTo(422);
        assertThat(path(noIps)).containsExactly("accessTokenTrustedIps");
        Res wrongType = admin(db).post(UA + id, Map.of("lockoutThreshold", "three"));
        assertThat(wrongType.status()).as(wrongType.toString()).isEqualTo(422);
        assertThat(path(wrongType)).containsExactly("lockoutThreshold");

        assertThat(admin(db).get(UA + id).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void patchChangesOnlyTheGivenFields(Db db) {
        String id = ids(db).create("member");
        Res attached = admin(db).post(UA + id, Map.of());

        Res patched = admin(db)
                .patch(
                        UA + id,
                        Map.of(
                                "accessTokenTTL",
                                600,
                                "lockoutThreshold",
                                5,
                                "accessTokenTrustedIps",
                                List.of(Map.of("ipAddress", "10.0.0.0/8"), Map.of("ipAddress", "2001:db8::/32"))));

        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        Res got = admin(db).get(UA + id);
        assertThat(got.status()).isEqualTo(200);
        JsonNode ua = got.body().path("identityUniversalAuth");
        assertThat(ua.path("accessTokenTTL").asLong()).isEqualTo(600);
        assertThat(ua.path("lockoutThreshold").asInt()).isEqualTo(5);
        JsonNode ips = ua.path("accessTokenTrustedIps");
        assertThat(ips.get(0).path("ipAddress").asString()).isEqualTo("10.0.0.0");
        assertThat(ips.get(0).path("type").asString()).isEqualTo("ipv4");
        assertThat(ips.get(0).path("prefix").asInt()).isEqualTo(8);
        assertThat(ips.get(1).path("type").asString()).isEqualTo("ipv6");
        assertThat(ips.get(1).path("prefix").asInt()).isEqualTo(32);
        assertThat(ua.path("accessTokenMaxTTL").asLong()).isEqualTo(2592000L);
        assertThat(ua.path("lockoutDurationSeconds").asInt()).isEqualTo(300);
        assertThat(ua.path("clientSecretTrustedIps").size()).isEqualTo(2);
        assertThat(ua.path("clientId").asString())
                .isEqualTo(attached.body()
                        .path("identityUniversalAuth")
                        .path("clientId")
                        .asString());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void patchRefusesATtlAboveTheStoredMaxTtl(Db db) {
        String id = ids(db).create("member");
        admin(db).post(UA + id, Map.of("accessTokenTTL", 60, "accessTokenMaxTTL", 3600));

        Res res = admin(db).patch(UA + id, Map.of("accessTokenTTL", 7200));

        assertThat(res.status()).as(res.toString()).isEqualTo(422);
        assertThat(path(res)).containsExactly("accessTokenTTL");
        assertThat(admin(db)
                        .get(UA + id)
                        .body()
                        .path("identityUniversalAuth")
                        .path("accessTokenTTL")
                        .asLong())
                .isEqualTo(60);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void configurationRoutesOfAnIdentityWithoutUniversalAuthAnswer404(Db db) {
        String id = ids(db).create("member");

        assertThat(admin(db).get(UA + id).status()).isEqualTo(404);
        assertThat(admin(db).patch(UA + id, Map.of("accessTokenTTL", 1)).status())
                .isEqualTo(404);
        assertThat(admin(db).delete(UA + id, null).status()).isEqualTo(404);
        assertThat(admin(db).post(UA + id + "/client-secrets", Map.of()).status())
                .isEqualTo(404);
        assertThat(admin(db).post(UA + UUID.randomUUID(), Map.of()).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void detachingMakesExistingTokensAndSecretsFailOnTheNextRequest(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of());
        String token = ids.token(m);
        assertThat(ids.probe(token, m.id()).status()).isEqualTo(200);

        Res detached = admin(db).delete(UA + m.id(), null);

        assertThat(detached.status()).as(detached.toString()).isEqualTo(200);
        assertThat(detached.body()
                        .path("identityUniversalAuth")
                        .path("clientId")
                        .asString())
                .isEqualTo(m.clientId());
        Res refused = ids.probe(token, m.id());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.body().path("error").asString()).isEqualTo("TokenError");
        assertThat(ids.login(m.clientId(), m.clientSecret()).status()).isEqualTo(401);
        assertThat(admin(db).get(UA + m.id()).status()).isEqualTo(404);
        assertThat(admin(db)
                        .get("/api/v1/identities/" + m.id())
                        .body()
                        .path("identity")
                        .path("authMethods")
                        .size())
                .isZero();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aClientSecretIsShownOnceAs64HexCharsWithAFourCharPrefix(Db db) {
        MachineIdentities ids = ids(db);
        String id = ids.create("member");
        admin(db).post(UA + id, Map.of());

        Res created = ids.newSecret(id, Map.of("description", "ci runner", "numUsesLimit", 5, "ttl", 3600));

        String secret = created.body().path("clientSecret").asString();
        JsonNode data = created.body().path("clientSecretData");
        assertThat(secret).matches("[0-9a-f]{64}");
        assertThat(data.path("clientSecretPrefix").asString()).isEqualTo(secret.substring(0, 4));
        assertThat(data.path("description").asString()).isEqualTo("ci runner");
        assertThat(data.path("clientSecretNumUses").asLong()).isZero();
        assertThat(data.path("clientSecretNumUsesLimit").asLong()).isEqualTo(5);
        assertThat(data.path("clientSecretTTL").asLong()).isEqualTo(3600);
        assertThat(data.path("isClientSecretRevoked").asBoolean()).isFalse();
        assertThat(data.path("identityUAId").asString())
                .isEqualTo(admin(db)
                        .get(UA + id)
                        .body()
                        .path("identityUniversalAuth")
                        .path("id")
                        .asString());

        Res one = admin(db).get(UA + id + "/client-secrets/" + data.path("id").asString());
        assertThat(one.status()).as(one.toString()).isEqualTo(200);
        assertThat(one.body()
                        .path("clientSecretData")
                        .path("clientSecretPrefix")
                        .asString())
                .isEqualTo(secret.substring(0, 4));
        assertThat(one.raw()).doesNotContain(secret);
        Res list = admin(db).get(UA + id + "/client-secrets");
        assertThat(list.raw()).doesNotContain(secret);
        assertThat(list.body().path("clientSecretData").size()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void clientSecretValidationNamesTheField(Db db) {
        MachineIdentities ids = ids(db);
        String id = ids.create("member");
        admin(db).post(UA + id, Map.of());

        Res negative = admin(db).post(UA + id + "/client-secrets", Map.of("numUsesLimit", -1));
        Res ttl = admin(db).post(UA + id + "/client-secrets", Map.of("ttl", -5));

        assertThat(negative.status()).as(negative.toString()).isEqualTo(422);
        assertThat(path(negative)).containsExactly("numUsesLimit");
        assertThat(ttl.status()).as(ttl.toString()).isEqualTo(422);
        assertThat(path(ttl)).containsExactly("ttl");
        assertThat(admin(db)
                        .get(UA + id + "/client-secrets")
                        .body()
                        .path("clientSecretData")
                        .size())
                .isZero();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void revokingAClientSecretHidesItBlocksLoginAndKillsOnlyItsTokens(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of());
        Res other = ids.newSecret(m.id(), Map.of("description", "other"));
        String otherSecret = other.body().path("clientSecret").asString();
        String tokenFromRevoked = ids.token(m);
        String tokenFromOther = ids.token(m.clientId(), otherSecret);
        assertThat(ids.probe(tokenFromRevoked, m.id()).status()).isEqualTo(200);

        Res revoked = admin(db).post(UA + m.id() + "/client-secrets/" + m.clientSecretId() + "/revoke", Map.of());

        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.body()
                        .path("clientSecretData")
                        .path("isClientSecretRevoked")
                        .asBoolean())
                .isTrue();
        Res refused = ids.probe(tokenFromRevoked, m.id());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.body().path("error").asString()).isEqualTo("TokenError");
        Res login = ids.login(m.clientId(), m.clientSecret());
        assertThat(login.status()).as(login.toString()).isEqualTo(401);
        assertThat(ids.probe(tokenFromOther, m.id()).status()).isEqualTo(200);
        Res list = admin(db).get(UA + m.id() + "/client-secrets");
        assertThat(list.body()
                        .path("clientSecretData")
                        .valueStream()
                        .map(s -> s.path("id").asString()))
                .containsExactly(
                        other.body().path("clientSecretData").path("id").asString());
        Res one = admin(db).get(UA + m.id() + "/client-secrets/" + m.clientSecretId());
        assertThat(one.body()
                        .path("clientSecretData")
                        .path("isClientSecretRevoked")
                        .asBoolean())
                .isTrue();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aClientSecretOfAnotherIdentityIsNotFound(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity a = ids.withUa(Map.of());
        UaIdentity b = ids.withUa(Map.of());

        Res get = admin(db).get(UA + b.id() + "/client-secrets/" + a.clientSecretId());
        Res revoke = admin(db).post(UA + b.id() + "/client-secrets/" + a.clientSecretId() + "/revoke", Map.of());

        assertThat(get.status()).as(get.toString()).isEqualTo(404);
        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(404);
        assertThat(ids.login(a.clientId(), a.clientSecret()).status()).isEqualTo(200);
        assertThat(ids.login(b.clientId(), a.clientSecret()).status()).isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aClientSecretStopsWorkingAtItsUseLimit(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of());
        String limited = ids.newSecret(m.id(), Map.of("numUsesLimit", 2))
                .body()
                .path("clientSecret")
                .asString();

        assertThat(ids.login(m.clientId(), limited).status()).isEqualTo(200);
        assertThat(ids.login(m.clientId(), limited).status()).isEqualTo(200);
        Res third = ids.login(m.clientId(), limited);

        assertThat(third.status()).as(third.toString()).isEqualTo(401);
        assertThat(ids.login(m.clientId(), m.clientSecret()).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aClientSecretStopsWorkingAfterItsTtl(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of());
        String shortLived = ids.newSecret(m.id(), Map.of("ttl", 1))
                .body()
                .path("clientSecret")
                .asString();

        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ids.login(m.clientId(), shortLived).status() == 401);

        Res again = ids.login(m.clientId(), shortLived);
        assertThat(again.status()).as(again.toString()).isEqualTo(401);
        assertThat(ids.login(m.clientId(), m.clientSecret()).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void loginReturnsABearerTokenWithItsLifetimes(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of("accessTokenTTL", 3600, "accessTokenMaxTTL", 7200));

        Res login = ids.login(m.clientId(), m.clientSecret());
        Res trailingSlash = TestServers.shared(db)
                .anonymous()
                .post(
                        MachineIdentities.LOGIN + "/",
                        Map.of("clientId", m.clientId(), "clientSecret", m.clientSecret()));

        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.body().path("accessToken").asString()).isNotEmpty().doesNotStartWith("st.");
        assertThat(login.body().path("expiresIn").asLong()).isEqualTo(3600);
        assertThat(login.body().path("accessTokenMaxTTL").asLong()).isEqualTo(7200);
        assertThat(login.body().path("tokenType").asString()).isEqualTo("Bearer");
        assertThat(trailingSlash.status()).as(trailingSlash.toString()).isEqualTo(200);
        assertThat(trailingSlash.body().path("accessToken").asString())
                .isNotEqualTo(login.body().path("accessToken").asString());
        Res secret = admin(db).get(UA + m.id() + "/client-secrets/" + m.clientSecretId());
        assertThat(secret.body()
                        .path("clientSecretData")
                        .path("clientSecretNumUses")
                        .asLong())
                .isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aWrongSecretOrUnknownClientIdGives401InvalidCredentials(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of());

        Res wrong = ids.login(m.clientId(), "0".repeat(64));
        Res samePrefix = ids.login(m.clientId(), m.clientSecret().substring(0, 4) + "0".repeat(60));
        Res unknown = ids.login(UUID.randomUUID().toString(), m.clientSecret());
        Res notAUuid = ids.login("nope", m.clientSecret());

        for (Res res : List.of(wrong, samePrefix, unknown, notAUuid)) {
            assertThat(res.status()).as(res.toString()).isEqualTo(401);
            assertThat(res.body().path("message").asString()).isEqualTo("Invalid credentials");
            assertThat(res.raw()).doesNotContain("accessToken");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void loginWithoutCredentialsIs422NamingTheField(Db db) {
        Res missingSecret = TestServers.shared(db)
                .anonymous()
                .post(
                        MachineIdentities.LOGIN,
                        Map.of("clientId", UUID.randomUUID().toString()));

        assertThat(missingSecret.status()).as(missingSecret.toString()).isEqualTo(422);
        assertThat(path(missingSecret)).containsExactly("clientSecret");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void repeatedFailuresLockTheMethodUntilLockoutsAreCleared(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of("lockoutThreshold", 3));
        UaIdentity bystander = ids.withUa(Map.of("lockoutThreshold", 3));
        for (int i = 0; i < 3; i++) {
            assertThat(ids.login(m.clientId(), "f".repeat(64)).status()).isEqualTo(401);
        }

        Res locked = ids.login(m.clientId(), m.clientSecret());

        assertThat(locked.status()).as(locked.toString()).isEqualTo(401);
        assertThat(locked.body().path("message").asString()).contains("locked");
        assertThat(ids.login(bystander.clientId(), bystander.clientSecret()).status())
                .isEqualTo(200);

        Res cleared = admin(db).post(UA + m.id() + "/clear-lockouts", Map.of());
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(cleared.body().path("deleted").asInt()).isEqualTo(1);
        Res after = ids.login(m.clientId(), m.clientSecret());
        assertThat(after.status()).as(after.toString()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void failuresBelowTheThresholdDoNotLockAndASuccessResetsTheCount(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of("lockoutThreshold", 3));

        for (int round = 0; round < 2; round++) {
            assertThat(ids.login(m.clientId(), "f".repeat(64)).status()).isEqualTo(401);
            assertThat(ids.login(m.clientId(), "e".repeat(64)).status()).isEqualTo(401);
            Res ok = ids.login(m.clientId(), m.clientSecret());
            assertThat(ok.status()).as("round " + round + ": " + ok).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void withLockoutDisabledFailuresNeverLock(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity m = ids.withUa(Map.of("lockoutEnabled", false, "lockoutThreshold", 1));
        for (int i = 0; i < 4; i++) {
            assertThat(ids.login(m.clientId(), "f".repeat(64)).status()).isEqualTo(401);
        }

        assertThat(ids.login(m.clientId(), m.clientSecret()).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void loginFromAnAddressOutsideClientSecretTrustedIpsIs403(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity outside = ids.withUa(Map.of("clientSecretTrustedIps", List.of(Map.of("ipAddress", "10.0.0.0/8"))));
        UaIdentity inside = ids.withUa(Map.of(
                "clientSecretTrustedIps",
                List.of(Map.of("ipAddress", "10.0.0.0/8"), Map.of("ipAddress", "127.0.0.1"))));

        Res refused = ids.login(outside.clientId(), outside.clientSecret());

        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.raw()).doesNotContain("accessToken");
        assertThat(ids.login(inside.clientId(), inside.clientSecret()).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aTokenUsedFromAnAddressOutsideAccessTokenTrustedIpsIs403(Db db) {
        MachineIdentities ids = ids(db);
        UaIdentity outside = ids.withUa(Map.of("accessTokenTrustedIps", List.of(Map.of("ipAddress", "10.1.2.3"))));
        UaIdentity inside = ids.withUa(Map.of(
                "accessTokenTrustedIps", List.of(Map.of("ipAddress", "::1/128"), Map.of("ipAddress", "127.0.0.0/8"))));
        String outsideToken = ids.token(outside);

        Res refused = ids.probe(outsideToken, outside.id());

        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.body().path("message").asString()).contains("IP address");
        assertThat(refused.raw()).doesNotContain(outside.name());
        assertThat(ids.probe(ids.token(inside), inside.id()).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void malformedIdentityIdsOnUniversalAuthRoutesAre404(Db db) {
        Res get = admin(db).get(UA + "not-an-id");
        Res attach = admin(db).post(UA + "not-an-id", Map.of());
        Res secrets = admin(db).get(UA + "1%27%20OR%201=1/client-secrets");

        assertThat(get.status()).as(get.toString()).isEqualTo(404);
        assertThat(attach.status()).as(attach.toString()).isEqualTo(404);
        assertThat(secrets.status()).as(secrets.toString()).isEqualTo(404);
    }
}
