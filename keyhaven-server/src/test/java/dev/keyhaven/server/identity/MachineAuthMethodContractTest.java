package dev.keyhaven.server.identity;

import static dev.keyhaven.server.support.Res.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The contract every machine auth method keeps, whatever it is: attaching twice is refused;
 * detaching revokes the tokens the method issued (and universal auth's client secrets); an update
 * keeps what it leaves out, trims text and validates the token settings; no response carries a
 * credential of the method; a caller without the permission, or below the identity's permission
 * boundary, is refused; every change is audited. Every registered method, on both databases; a
 * new method joins {@link AuthMethodSamples} and passes this test.
 */
class MachineAuthMethodContractTest {
    static Stream<Arguments> methods() {
        return Stream.of(Db.values())
                .flatMap(db -> AuthMethodSamples.ALL.stream().map(m -> Arguments.of(db, m)));
    }

    private static TestServer server(Db db) {
        return TestServers.shared(db);
    }

    private static Api admin(Db db) {
        return server(db).admin();
    }

    private static String identity(Db db, String orgRole) {
        return new MachineIdentities(server(db)).create(orgRole);
    }

    @ParameterizedTest
    @MethodSource("methods")
    void everyMethodIsRegisteredByName(Db db, AuthMethodSamples m) {
        assertThat(server(db).bean(MachineAuthMethods.class).byName(m.name()))
                .as(m.name())
                .isPresent();
        assertThat(server(db).bean(MachineAuthMethods.class).all()).hasSize(AuthMethodSamples.ALL.size());
    }

    @ParameterizedTest
    @MethodSource("methods")
    void attachingTwiceIsRefused(Db db, AuthMethodSamples m) {
        String id = identity(db, "member");
        ok(admin(db).post(m.route(id), m.attach()));
        Res again = admin(db).post(m.route(id), m.attach());
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body().path("message").asString()).contains("The identity already has", "auth configured");
        assertThat(ok(admin(db).get("/api/v1/identities/" + id))
                        .body()
                        .path("identity")
                        .path("authMethods")
                        .valueStream()
                        .map(JsonNode::asString)
                        .toList())
                .containsExactly(m.name());
    }

    @ParameterizedTest
    @MethodSource("methods")
    void detachingRevokesTheTokensOfThatMethodOnly(Db db, AuthMethodSamples m) {
        MachineIdentities ids = new MachineIdentities(server(db));
        MachineIdentities.UaIdentity other = ids.withUa(Map.of());
        String otherToken = ids.token(other);
        if (!m.name().equals("universal-auth")) {
            ok(admin(db).post(m.route(other.id()), m.attach()));
        }
        String viaMethod = server(db)
                .bean(AccessTokenService.class)
                .issue(other.id(), m.name(), null, null, new TokenSettings(3600, 0, 0, 0, null))
                .accessToken();
        assertThat(ids.probe(viaMethod, other.id()).status()).isEqualTo(200);

        ok(admin(db).delete(m.route(other.id()), null));

        assertThat(ids.probe(viaMethod, other.id()).status()).isNotEqualTo(200);
        assertThat(admin(db).get(m.route(other.id())).status()).isEqualTo(404);
        if (m.name().equals("universal-auth")) {
            // the client secrets went with the configuration, and with them every token they got
            assertThat(ids.login(other.clientId(), other.clientSecret()).status())
                    .isEqualTo(401);
            assertThat(ids.probe(otherToken, other.id()).status()).isNotEqualTo(200);
        } else {
            assertThat(ids.probe(otherToken, other.id()).status())
                    .as("a token of another method still works")
                    .isEqualTo(200);
        }
    }

    @ParameterizedTest
    @MethodSource("methods")
    void anUpdateKeepsWhatItLeavesOutTrimsAndValidates(Db db, AuthMethodSamples m) {
        String id = identity(db, "member");
        JsonNode before = ok(admin(db).post(m.route(id), m.attach())).body().path(m.key());

        JsonNode after = ok(admin(db).patch(m.route(id), Map.of("accessTokenTTL", 60)))
                .body()
                .path(m.key());
        assertThat(after.path("accessTokenTTL").asLong()).isEqualTo(60);
        for (String field : before.propertyNames()) {
            if (!field.equals("accessTokenTTL") && !field.equals("updatedAt")) {
                assertThat(after.path(field)).as(m + " keeps " + field).isEqualTo(before.path(field));
            }
        }

        Res negative = admin(db).patch(m.route(id), Map.of("accessTokenTTL", -1));
        assertThat(negative.status()).isEqualTo(422);
        Res aboveMax = admin(db).patch(m.route(id), Map.of("accessTokenTTL", 7200, "accessTokenMaxTTL", 3600));
        assertThat(aboveMax.status()).isEqualTo(422);
        assertThat(ok(admin(db).get(m.route(id)))
                        .body()
                        .path(m.key())
                        .path("accessTokenTTL")
                        .asLong())
                .as("a refused update changes nothing")
                .isEqualTo(60);

        if (m.trimmedField() != null) {
            JsonNode trimmed = ok(admin(db)
                            .patch(m.route(id), Map.of(m.trimmedField(), "  " + m.trimmedValue() + "  ")))
                    .body()
                    .path(m.key());
            assertThat(trimmed.path(m.trimmedField()).asString()).isEqualTo(m.trimmedValue());
        }
    }

    @ParameterizedTest
    @MethodSource("methods")
    void noResponseCarriesACredentialOfTheMethod(Db db, AuthMethodSamples m) {
        String id = identity(db, "member");
        List<String> raw = new ArrayList<>();
        raw.add(ok(admin(db).post(m.route(id), m.attach())).raw());
        if (m.name().equals("universal-auth")) {
            String secret = new MachineIdentities(server(db))
                    .newSecret(id, Map.of())
                    .body()
                    .path("clientSecret")
                    .asString();
            raw.add(ok(admin(db).get(m.route(id))).raw());
            raw.add(ok(admin(db).get(m.route(id) + "/client-secrets")).raw());
            assertThat(String.join("\n", raw)).doesNotContain(secret);
        }
        raw.add(ok(admin(db).get(m.route(id))).raw());
        raw.add(ok(admin(db).patch(m.route(id), Map.of("accessTokenTTL", 60))).raw());
        raw.add(ok(admin(db).delete(m.route(id), null)).raw());
        for (String secret : m.secrets()) {
            assertThat(String.join("\n", raw)).as(m.name()).doesNotContain(secret);
        }
        assertThat(String.join("\n", raw))
                .doesNotContainIgnoringCase("password")
                .doesNotContain("bindPass");
    }

    @ParameterizedTest
    @MethodSource("methods")
    void aCallerWithoutThePermissionOrBelowTheBoundaryIsRefused(Db db, AuthMethodSamples m) {
        Fixtures f = new Fixtures(server(db));
        Api nobody = f.identity(null, "viewer").api();
        // an org member without any org role grant of identity
        String plain = identity(db, "member");
        String noAccessCaller = identity(db, "no-access");
        Api noAccess = asNewUa(db, noAccessCaller);
        assertThat(noAccess.post(m.route(plain), m.attach()).status()).isEqualTo(403);
        assertThat(noAccess.get(m.route(plain)).status()).isEqualTo(403);

        // an org member may configure identities, but not one holding more than it does
        String admin = identity(db, "admin");
        Res refused = nobody.post(m.route(admin), m.attach());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.raw()).contains(BoundaryScene.BOUNDARY);
        assertThat(admin(db).get(m.route(admin)).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @MethodSource("methods")
    void everyConfigurationChangeIsAuditedWithTheIdentity(Db db, AuthMethodSamples m) {
        String since = Instant.now().minusSeconds(1).toString();
        String id = identity(db, "member");
        ok(admin(db).post(m.route(id), m.attach()));
        ok(admin(db).patch(m.route(id), Map.of("accessTokenTTL", 60)));
        ok(admin(db).delete(m.route(id), null));

        Res res = ok(admin(db).get("/api/v1/organization/audit-logs", "startDate", since, "limit", 1000));
        List<String> types = res.body()
                .path("auditLogs")
                .valueStream()
                .filter(r -> id.equals(
                        r.path("event").path("metadata").path("identityId").asString()))
                .map(r -> r.path("event").path("type").asString())
                .toList();
        assertThat(types)
                .contains("add-identity-" + m.name(), "update-identity-" + m.name(), "revoke-identity-" + m.name());
    }

    /** Universal-auth credentials for an existing identity, logged in. */
    private static Api asNewUa(Db db, String identityId) {
        MachineIdentities ids = new MachineIdentities(server(db));
        Res ua = ok(admin(db).post(MachineIdentities.UA + identityId, new HashMap<String, Object>()));
        String clientId =
                ua.body().path("identityUniversalAuth").path("clientId").asString();
        String secret =
                ids.newSecret(identityId, Map.of()).body().path("clientSecret").asString();
        return server(db).as(ids.token(clientId, secret));
    }
}
