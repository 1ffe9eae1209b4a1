package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServers;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JWKS and OIDC happy paths against a real OAuth2/OIDC provider implementation
 * ({@code no.nav.security:mock-oauth2-server}) on loopback, rather than a hand-written stand-in:
 * its discovery document, key set and token signing are those of a provider we did not write.
 */
class MockOAuth2ServerLoginTest {
    private static MockOAuth2Server provider;

    @BeforeAll
    static void startProvider() {
        provider = new MockOAuth2Server();
        provider.start();
    }

    @AfterAll
    static void stopProvider() {
        provider.shutdown();
    }

    private static Api admin(Db db) {
        return TestServers.shared(db).admin();
    }

    private static String issuer() {
        // the provider answers on localhost; pin 127.0.0.1 so the test does not depend on how localhost resolves
        return provider.issuerUrl("ci")
                .toString()
                .replace("localhost", "127.0.0.1")
                .replaceAll("/$", "");
    }

    private static String token(String subject) {
        String jwt = provider.issueToken("ci", subject, "keyhaven", Map.of("repository", "acme/app"))
                .serialize();
        return jwt;
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void oidcAuthLogsInWithAProviderToken(Db db) {
        MachineIdentities ids = new MachineIdentities(TestServers.shared(db));
        String id = ids.create("member");
        String iss = provider.issuerUrl("ci").toString().replaceAll("/$", "");
        Res attached = admin(db)
                .post(
                        "/api/v1/auth/oidc-auth/identities/" + id,
                        Map.of(
                                "oidcDiscoveryUrl",
                                issuer(),
                                "boundIssuer",
                                iss,
                                "boundAudiences",
                                "keyhaven",
                                "boundSubject",
                                "repo:acme/app:*",
                                "boundClaims",
                                Map.of("repository", "acme/app")));
        assertThat(attached.status()).as(attached.toString()).isEqualTo(200);

        Res ok = TestServers.shared(db)
                .anonymous()
                .post("/api/v1/auth/oidc-auth/login", Map.of("identityId", id, "jwt", token("repo:acme/app:main")));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ids.probe(ok.body().path("accessToken").asString(), id).status())
                .isEqualTo(200);

        Res wrongSubject = TestServers.shared(db)
                .anonymous()
                .post("/api/v1/auth/oidc-auth/login", Map.of("identityId", id, "jwt", token("repo:other/app:main")));
        assertThat(wrongSubject.status()).isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void jwtAuthInJwksModeLogsInWithAProviderToken(Db db) {
        MachineIdentities ids = new MachineIdentities(TestServers.shared(db));
        String id = ids.create("member");
        String jwks = provider.jwksUrl("ci").toString().replace("localhost", "127.0.0.1");
        Res attached = admin(db)
                .post(
                        "/api/v1/auth/jwt-auth/identities/" + id,
                        Map.of(
                                "configurationType",
                                "jwks",
                                "jwksUrl",
                                jwks,
                                "boundAudiences",
                                "keyhaven",
                                "boundSubject",
                                "workload-*"));
        assertThat(attached.status()).as(attached.toString()).isEqualTo(200);

        Res ok = TestServers.shared(db)
                .anonymous()
                .post("/api/v1/auth/jwt-auth/login", Map.of("identityId", id, "jwt", token("workload-7")));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        Res otherIssuer = TestServers.shared(db)
                .anonymous()
                .post(
                        "/api/v1/auth/jwt-auth/login",
                        Map.of(
                                "identityId",
                                id,
                                "jwt",
                                provider.issueToken("another", "workload-7", "keyhaven")
                                        .serialize()));
        assertThat(otherIssuer.status()).as("signed by another issuer's key").isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void kubernetesJwksModeLogsInWithAProviderIssuedServiceAccountToken(Db db) {
        MachineIdentities ids = new MachineIdentities(TestServers.shared(db));
        String id = ids.create("member");
        String iss = provider.issuerUrl("ci").toString().replaceAll("/$", "");
        Map<String, Object> config = new java.util.HashMap<>();
        config.put("tokenReviewMode", "jwks");
        config.put("issuer", iss);
        config.put("jwksUrl", provider.jwksUrl("ci").toString().replace("localhost", "127.0.0.1"));
        config.put("allowedNamespaces", "prod");
        config.put("allowedNames", "api");
        config.put("allowedAudience", "keyhaven");
        Res attached = admin(db).post("/api/v1/auth/kubernetes-auth/identities/" + id, config);
        assertThat(attached.status()).as(attached.toString()).isEqualTo(200);

        Res ok = TestServers.shared(db)
                .anonymous()
                .post(
                        "/api/v1/auth/kubernetes-auth/login",
                        Map.of("identityId", id, "jwt", serviceAccountToken("prod", "api")));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ids.probe(ok.body().path("accessToken").asString(), id).status())
                .isEqualTo(200);
        Res otherNamespace = TestServers.shared(db)
                .anonymous()
                .post(
                        "/api/v1/auth/kubernetes-auth/login",
                        Map.of("identityId", id, "jwt", serviceAccountToken("kube-system", "api")));
        assertThat(otherNamespace.status()).isEqualTo(401);
    }

    /** A projected service-account token as the cluster's issuer would sign it, here signed by the provider. */
    private static String serviceAccountToken(String namespace, String name) {
        Map<String, Object> k8s = Map.of(
                "namespace",
                namespace,
                "serviceaccount",
                Map.of("name", name, "uid", "6f1c2d3e-0000-4000-8000-000000000001"));
        return provider.issueToken(
                        "ci",
                        "system:serviceaccount:" + namespace + ":" + name,
                        "keyhaven",
                        Map.of("kubernetes.io", k8s))
                .serialize();
    }
}
