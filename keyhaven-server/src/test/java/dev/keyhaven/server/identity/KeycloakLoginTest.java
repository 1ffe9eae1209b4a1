package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Keycloak;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * OIDC and JWT machine logins with tokens issued by a real Keycloak (the distribution from Maven
 * Central, started once per test JVM by {@link Keycloak}): its discovery document, its key set
 * (with an encryption key beside the signing one) and its tokens, as a workload with client
 * credentials and a user with a password would get them.
 */
class KeycloakLoginTest {
    private static final String OIDC = "/api/v1/auth/oidc-auth/identities/";
    private static final String JWT = "/api/v1/auth/jwt-auth/identities/";

    private static Keycloak keycloak() {
        return Keycloak.shared();
    }

    private static Api admin(Db db) {
        return TestServers.shared(db).admin();
    }

    /** An identity whose OIDC auth trusts the Keycloak realm for a workload of the {@code keyhaven-ci} client. */
    private static String oidcIdentityForTheCiClient(Db db) {
        String id = new MachineIdentities(TestServers.shared(db)).create("member");
        Res attached = admin(db)
                .post(
                        OIDC + id,
                        Map.of(
                                "oidcDiscoveryUrl",
                                keycloak().issuer(),
                                "boundIssuer",
                                keycloak().issuer(),
                                "boundAudiences",
                                "keyhaven",
                                "boundSubject",
                                Keycloak.CI_SUBJECT,
                                "boundClaims",
                                Map.of("azp", Keycloak.CI.id(), "team", "payments")));
        assertThat(attached.status()).as(attached.toString()).isEqualTo(200);
        return id;
    }

    private static Res login(Db db, String method, String identityId, String jwt) {
        return TestServers.shared(db)
                .anonymous()
                .post("/api/v1/auth/" + method + "/login", Map.of("identityId", identityId, "jwt", jwt));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void oidcAuthAcceptsAClientCredentialsTokenAndItsKeyhavenTokenReadsASecret(Db db) {
        TestServer server = TestServers.shared(db);
        String project = new Fixtures(server).project();
        Res secret = admin(db)
                .post(
                        "/api/v3/secrets/raw/DB_URL",
                        Map.of("workspaceId", project, "environment", "dev", "secretValue", "postgres://ci"));
        assertThat(secret.status()).as(secret.toString()).isEqualTo(200);
        String id = oidcIdentityForTheCiClient(db);
        Res member = admin(db)
                .post("/api/v2/workspace/" + project + "/identity-memberships/" + id, Map.of("role", "viewer"));
        assertThat(member.status()).as(member.toString()).isEqualTo(200);

        Res login = login(db, "oidc-auth", id, keycloak().clientCredentialsToken(Keycloak.CI));

        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        Api workload = server.as(login.body().path("accessToken").asString());
        Res read = workload.get("/api/v3/secrets/raw/DB_URL", "workspaceId", project, "environment", "dev");
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.body().path("secret").path("secretValue").asString()).isEqualTo("postgres://ci");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void oidcAuthAcceptsTheIdTokenOfAUserLogin(Db db) {
        MachineIdentities ids = new MachineIdentities(TestServers.shared(db));
        String id = ids.create("member");
        Res attached = admin(db)
                .post(
                        OIDC + id,
                        Map.of(
                                "oidcDiscoveryUrl",
                                keycloak().issuer(),
                                "boundIssuer",
                                keycloak().issuer(),
                                "boundAudiences",
                                Keycloak.CLI.id(),
                                "boundSubject",
                                Keycloak.ALICE_SUBJECT,
                                "boundClaims",
                                Map.of("email", "alice@example.test", "email_verified", "true")));
        assertThat(attached.status()).as(attached.toString()).isEqualTo(200);
        Keycloak.Tokens alice = keycloak().passwordLogin(Keycloak.CLI, Keycloak.ALICE, Keycloak.ALICE_PASSWORD);

        Res login = login(db, "oidc-auth", id, alice.idToken());

        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(ids.probe(login.body().path("accessToken").asString(), id).status())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void jwtAuthInJwksModeAcceptsAClientCredentialsToken(Db db) {
        MachineIdentities ids = new MachineIdentities(TestServers.shared(db));
        String id = ids.create("member");
        Res attached = admin(db)
                .post(
                        JWT + id,
                        Map.of(
                                "configurationType",
                                "jwks",
                                "jwksUrl",
                                keycloak().jwksUrl(),
                                "boundIssuer",
                                keycloak().issuer(),
                                "boundAudiences",
                                "keyhaven",
                                "boundSubject",
                                Keycloak.CI_SUBJECT,
                                "boundClaims",
                                Map.of("team", "payments")));
        assertThat(attached.status()).as(attached.toString()).isEqualTo(200);

        Res login = login(db, "jwt-auth", id, keycloak().clientCredentialsToken(Keycloak.CI));

        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(ids.probe(login.body().path("accessToken").asString(), id).status())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void genuineTokensMeantForAnotherAudienceOrSubjectAreRefusedWith401AndAudited(Db db) {
        String since = Instant.now().minusSeconds(5).toString();
        String id = oidcIdentityForTheCiClient(db);
        Keycloak.Tokens alice = keycloak().passwordLogin(Keycloak.CLI, Keycloak.ALICE, Keycloak.ALICE_PASSWORD);

        // same realm, same key, same team claim: only aud (billing-api) differs
        Res otherService = login(db, "oidc-auth", id, keycloak().clientCredentialsToken(Keycloak.OTHER));
        // aud is keyhaven-cli
        Res idTokenForTheCli = login(db, "oidc-auth", id, alice.idToken());
        // aud is keyhaven, but it is Alice's token, not the CI workload's
        Res accessTokenOfAUser = login(db, "oidc-auth", id, alice.accessToken());

        assertThat(List.of(otherService.status(), idTokenForTheCli.status(), accessTokenOfAUser.status()))
                .containsOnly(401);
        assertThat(otherService.body().path("message").asString()).contains("audience does not match boundAudiences");
        Res audit = admin(db).get("/api/v1/organization/audit-logs", "startDate", since, "limit", 1000, "actor", id);
        List<String> reasons = audit.body()
                .path("auditLogs")
                .valueStream()
                .filter(r -> r.path("event").path("type").asString().equals("login-identity-oidc-auth-failed"))
                .map(r -> r.path("event").path("metadata").path("reason").asString())
                .toList();
        assertThat(reasons)
                .containsExactlyInAnyOrder(
                        "audience does not match boundAudiences",
                        "audience does not match boundAudiences",
                        "subject does not match boundSubject");
    }
}
