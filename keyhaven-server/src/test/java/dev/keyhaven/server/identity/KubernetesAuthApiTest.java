package dev.keyhaven.server.identity;

import static dev.keyhaven.server.identity.KubernetesApiServer.API_AUDIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Kubernetes auth in "api" (TokenReview) mode end to end, on both databases, against
 * {@link KubernetesApiServer}: a loopback HTTPS stand-in for kube-apiserver with its own CA that
 * checks each TokenReview as Kubernetes does and answers with real TokenReview objects. Every
 * refusal must be a 401 with an audited reason and never a token.
 */
class KubernetesAuthApiTest {
    static final String K8S = "/api/v1/auth/kubernetes-auth/identities/";
    static final String LOGIN = "/api/v1/auth/kubernetes-auth/login";
    private static final String REVIEWER_NS = "kube-system";
    private static final String REVIEWER = "keyhaven-reviewer";

    private static KubernetesApiServer cluster;
    private static String reviewerJwt;

    @BeforeAll
    static void startCluster() {
        cluster = KubernetesApiServer.start(true);
        cluster.grantTokenReview(REVIEWER_NS, REVIEWER);
        reviewerJwt = cluster.token(REVIEWER_NS, REVIEWER, API_AUDIENCE);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    static Api admin(Db db) {
        return TestServers.shared(db).admin();
    }

    static Res login(Db db, String identityId, String jwt) {
        return TestServers.shared(db).anonymous().post(LOGIN, Map.of("identityId", identityId, "jwt", jwt));
    }

    static MachineIdentities ids(Db db) {
        return new MachineIdentities(TestServers.shared(db));
    }

    /** A namespace no other test uses, so reviews and audit rows are this test's own. */
    static String namespace() {
        return "ns-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, Object> apiConfig(String namespaces, String names, String audience) {
        Map<String, Object> m = new HashMap<>();
        m.put("kubernetesHost", cluster.url);
        m.put("caCert", cluster.ca.pem());
        m.put("tokenReviewerJwt", reviewerJwt);
        m.put("allowedNamespaces", namespaces);
        m.put("allowedNames", names);
        m.put("allowedAudience", audience);
        return m;
    }

    static String attach(Db db, Map<String, Object> config) {
        String id = ids(db).create("member");
        Res res = admin(db).post(K8S + id, config);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return id;
    }

    static List<JsonNode> audit(Db db, String identityId, String since) {
        Res res = admin(db)
                .get("/api/v1/organization/audit-logs", "startDate", since, "limit", 1000, "actor", identityId);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("auditLogs").valueStream().toList();
    }

    static List<String> failureReasons(Db db, String identityId, String since) {
        return audit(db, identityId, since).stream()
                .filter(r -> r.path("event").path("type").asString().equals("login-identity-kubernetes-auth-failed"))
                .map(r -> r.path("event").path("metadata").path("reason").asString())
                .toList();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anAllowedServiceAccountLogsInThroughATokenReviewByTheReviewer(Db db) {
        String since = Instant.now().minusSeconds(5).toString();
        String ns = namespace();
        String id = attach(db, apiConfig(ns + ", staging", "api", "keyhaven"));
        String jwt = cluster.token(ns, "api", "keyhaven");

        Res res = login(db, id, jwt);

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.body().path("expiresIn").asLong()).isEqualTo(2592000L);
        assertThat(res.body().path("tokenType").asString()).isEqualTo("Bearer");
        assertThat(ids(db).probe(res.body().path("accessToken").asString(), id).status())
                .isEqualTo(200);
        KubernetesApiServer.Received review = cluster.reviewsOf(jwt).get(0);
        assertThat(review.method()).isEqualTo("POST");
        assertThat(review.contentType()).startsWith("application/json");
        assertThat(review.authorization()).isEqualTo("Bearer " + reviewerJwt);
        assertThat(review.json().path("spec").path("audiences").valueStream().map(JsonNode::asString))
                .containsExactly("keyhaven");
        List<JsonNode> rows = audit(db, id, since);
        JsonNode success = rows.stream()
                .filter(r -> r.path("event").path("type").asString().equals("login-identity-kubernetes-auth"))
                .findFirst()
                .orElseThrow();
        assertThat(success.path("event").path("metadata").path("namespace").asString())
                .isEqualTo(ns);
        assertThat(success.path("event").path("metadata").path("name").asString())
                .isEqualTo("api");
        assertThat(rows.toString()).doesNotContain(jwt).doesNotContain(reviewerJwt);
        assertThat(admin(db)
                        .get("/api/v1/identities/" + id)
                        .body()
                        .path("identity")
                        .path("authMethods")
                        .valueStream()
                        .map(JsonNode::asString))
                .contains("kubernetes-auth");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aFormEncodedLoginIsAcceptedAsInfisicalsSdksSendIt(Db db) {
        String ns = namespace();
        String id = attach(db, apiConfig(ns, "api", "keyhaven"));
        String jwt = cluster.token(ns, "api", "keyhaven");

        Res res = TestServers.shared(db).anonymous().postForm(LOGIN, Map.of("identityId", id, "jwt", jwt));

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(ids(db).probe(res.body().path("accessToken").asString(), id).status())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theConfigurationReadsBackWithInfisicalsDefaultsButNeverTheReviewerToken(Db db) {
        String id = attach(db, apiConfig("prod", "api", ""));

        Res res = admin(db).get(K8S + id);

        assertThat(res.status()).isEqualTo(200);
        JsonNode c = res.body().path("identityKubernetesAuth");
        assertThat(c.path("tokenReviewMode").asString()).isEqualTo("api");
        assertThat(c.path("kubernetesHost").asString()).isEqualTo(cluster.url);
        assertThat(c.path("caCert").asString()).isEqualTo(cluster.ca.pem().trim());
        assertThat(c.path("hasTokenReviewerJwt").asBoolean()).isTrue();
        assertThat(c.path("allowedNamespaces").asString()).isEqualTo("prod");
        assertThat(c.path("accessTokenTTL").asLong()).isEqualTo(2592000L);
        assertThat(c.path("accessTokenMaxTTL").asLong()).isEqualTo(2592000L);
        assertThat(c.path("accessTokenNumUsesLimit").asLong()).isZero();
        assertThat(c.path("accessTokenTrustedIps").size()).isEqualTo(2);
        assertThat(res.raw()).doesNotContain(reviewerJwt);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void namespacesNamesAndAudiencesOutsideTheConfigurationAreRefused(Db db) {
        String since = Instant.now().minusSeconds(5).toString();
        String ns = namespace();
        String id = attach(db, apiConfig(ns, "api, worker-*", "keyhaven"));
        assertThat(login(db, id, cluster.token(ns, "worker-7", "keyhaven")).status())
                .as("glob")
                .isEqualTo(200);
        Map<String, String> bad = Map.of(
                "namespace", cluster.token("dev", "api", "keyhaven"),
                "name", cluster.token(ns, "web", "keyhaven"),
                "audience", cluster.token(ns, "api", "vault"));

        for (Map.Entry<String, String> e : bad.entrySet()) {
            Res res = login(db, id, e.getValue());
            assertThat(res.status()).as(e.getKey() + " -> " + res).isEqualTo(401);
            assertThat(res.raw()).doesNotContain(e.getValue());
        }

        assertThat(failureReasons(db, id, since))
                .hasSize(3)
                .contains("namespace dev is not allowed", "service account web is not allowed")
                .anyMatch(r -> r.contains("did not authenticate the token")
                        && r.contains(
                                "token audiences [\"vault\"] is invalid for the target audiences [\"keyhaven\"]"));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anApiServerThatIgnoresAudiencesDoesNotWidenTheAllowedAudience(Db db) {
        String since = Instant.now().minusSeconds(5).toString();
        try (KubernetesApiServer old = KubernetesApiServer.start(false)) {
            old.grantTokenReview(REVIEWER_NS, REVIEWER);
            Map<String, Object> config = apiConfig("prod", "api", "keyhaven");
            config.put("kubernetesHost", old.url);
            config.put("caCert", old.ca.pem());
            config.put("tokenReviewerJwt", old.token(REVIEWER_NS, REVIEWER, API_AUDIENCE));
            String id = attach(db, config);
            String jwt = old.token("prod", "api", API_AUDIENCE);

            Res res = login(db, id, jwt);

            assertThat(old.reviewsOf(jwt)).hasSize(1);
            assertThat(res.status()).as(res.toString()).isEqualTo(401);
            assertThat(failureReasons(db, id, since)).containsExactly("audience is not allowed");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theApiServersDenialIsA401CarryingItsError(Db db) throws Exception {
        String since = Instant.now().minusSeconds(5).toString();
        String ns = namespace();
        String id = attach(db, apiConfig(ns, "", "keyhaven"));
        String jwt = cluster.token(ns, "gone", "keyhaven");
        cluster.deleteServiceAccount(ns, "gone");

        Res res = login(db, id, jwt);

        assertThat(res.status()).as(res.toString()).isEqualTo(401);
        assertThat(res.body().path("message").asString())
                .contains("did not authenticate the token")
                .contains("has been deleted")
                .doesNotContain(jwt);
        assertThat(failureReasons(db, id, since))
                .singleElement()
                .asString()
                .contains("service account " + ns + "/gone has been deleted");
        Res forged = login(
                db,
                id,
                KubernetesApiServer.sign(
                        new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048)
                                .keyID(cluster.signingKey.getKeyID())
                                .generate(),
                        cluster.claims(ns, "api", Instant.now().plusSeconds(600), "keyhaven")
                                .build()));
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.body().path("message").asString()).contains("error in cryptographic primitive");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aReviewerWithoutTheRightToReviewOrWithAnExpiredTokenIsRefused(Db db) {
        String since = Instant.now().minusSeconds(5).toString();
        String ns = namespace();
        Map<String, Object> config = apiConfig(ns, "api", "keyhaven");
        config.put("tokenReviewerJwt", cluster.token(ns, "not-a-delegator", API_AUDIENCE));
        String unprivileged = attach(db, config);
        config.put(
                "tokenReviewerJwt",
                cluster.sign(cluster.claims(REVIEWER_NS, REVIEWER, Instant.now().minusSeconds(60), API_AUDIENCE)
                        .build()));
        String expired = attach(db, config);
        String jwt = cluster.token(ns, "api", "keyhaven");

        Res forbidden = login(db, unprivileged, jwt);
        Res unauthorized = login(db, expired, jwt);

        assertThat(forbidden.status()).as(forbidden.toString()).isEqualTo(401);
        assertThat(forbidden.body().path("message").asString()).contains("may not create TokenReviews");
        assertThat(failureReasons(db, unprivileged, since))
                .singleElement()
                .asString()
                .contains("system:auth-delegator")
                .contains("cannot create resource");
        assertThat(unauthorized.status()).as(unauthorized.toString()).isEqualTo(401);
        assertThat(unauthorized.body().path("message").asString()).contains("refused the reviewer token (401)");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void withoutAReviewerTokenTheCallersOwnTokenAuthenticatesTheReview(Db db) {
        String ns = namespace();
        cluster.grantTokenReview(ns, "self-reviewing");
        Map<String, Object> config = apiConfig(ns, "self-reviewing", "");
        config.remove("tokenReviewerJwt");
        String id = attach(db, config);
        assertThat(admin(db)
                        .get(K8S + id)
                        .body()
                        .path("identityKubernetesAuth")
                        .path("hasTokenReviewerJwt")
                        .asBoolean())
                .isFalse();
        String jwt = cluster.token(ns, "self-reviewing", API_AUDIENCE);

        Res res = login(db, id, jwt);

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        KubernetesApiServer.Received review = cluster.reviewsOf(jwt).get(0);
        assertThat(review.authorization()).isEqualTo("Bearer " + jwt);
        assertThat(review.json().path("spec").has("audiences")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anApiServerWhoseCertificateTheConfiguredCaDoesNotVouchForIsA401NotA500(Db db) throws Exception {
        String since = Instant.now().minusSeconds(5).toString();
        String ns = namespace();
        Map<String, Object> config = apiConfig(ns, "api", "keyhaven");
        config.put("caCert", KubernetesApiServer.Ca.generate("impostor").pem());
        String id = attach(db, config);
        String jwt = cluster.token(ns, "api", "keyhaven");

        Res res = login(db, id, jwt);

        assertThat(res.status()).as(res.toString()).isEqualTo(401);
        assertThat(res.body().path("message").asString())
                .contains("certificate is not trusted (check caCert)")
                .doesNotContain("127.0.0.1");
        assertThat(failureReasons(db, id, since)).singleElement().asString().contains("TLS handshake");
        assertThat(cluster.reviewsOf(jwt))
                .as("nothing was sent over the untrusted connection")
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void detachingRevokesTheTokensIssuedThroughKubernetesAuth(Db db) {
        String ns = namespace();
        String id = attach(db, apiConfig(ns, "api", "keyhaven"));
        String jwt = cluster.token(ns, "api", "keyhaven");
        String token = login(db, id, jwt).body().path("accessToken").asString();
        assertThat(ids(db).probe(token, id).status()).isEqualTo(200);

        Res detached = admin(db).delete(K8S + id, null);

        assertThat(detached.status()).as(detached.toString()).isEqualTo(200);
        assertThat(detached.raw()).doesNotContain(reviewerJwt);
        assertThat(ids(db).probe(token, id).status()).isEqualTo(403);
        assertThat(login(db, id, jwt).status()).isEqualTo(401);
        assertThat(admin(db).get(K8S + id).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theReviewerTokenIsSealedAtRestAndOnlyGoesToTheServerItWasGivenFor(Db db) throws Exception {
        String ns = namespace();
        String id = attach(db, apiConfig(ns, "api", "keyhaven"));
        String stored = storedReviewer(TestServers.shared(db), id);
        assertThat(stored)
                .isNotNull()
                .doesNotContain(reviewerJwt)
                .doesNotContain(reviewerJwt.substring(reviewerJwt.lastIndexOf('.') + 1));

        Res moved = admin(db).patch(K8S + id, Map.of("kubernetesHost", "https://attacker.example:6443"));
        Res recertified = admin(db)
                .patch(
                        K8S + id,
                        Map.of("caCert", KubernetesApiServer.Ca.generate("x").pem()));
        Res renamed = admin(db).patch(K8S + id, Map.of("allowedNames", "api, web"));

        assertThat(moved.status()).as(moved.toString()).isEqualTo(400);
        assertThat(moved.body().path("message").asString()).contains("requires tokenReviewerJwt");
        assertThat(recertified.status()).isEqualTo(400);
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.body()
                        .path("identityKubernetesAuth")
                        .path("kubernetesHost")
                        .asString())
                .isEqualTo(cluster.url);
        assertThat(login(db, id, cluster.token(ns, "web", "keyhaven")).status()).isEqualTo(200);

        Map<String, Object> removeAndMove = new HashMap<>();
        removeAndMove.put("tokenReviewerJwt", null);
        removeAndMove.put("kubernetesHost", "kubernetes.example:6443");
        Res removed = admin(db).patch(K8S + id, removeAndMove);
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(removed.body()
                        .path("identityKubernetesAuth")
                        .path("hasTokenReviewerJwt")
                        .asBoolean())
                .isFalse();
        assertThat(storedReviewer(TestServers.shared(db), id)).isNull();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aSealedReviewerTokenCopiedToAnotherConfigurationDoesNotOpen(Db db) throws Exception {
        String ns = namespace();
        String source = attach(db, apiConfig(ns, "api", "keyhaven"));
        Map<String, Object> config = apiConfig(ns, "api", "keyhaven");
        config.remove("tokenReviewerJwt");
        String target = attach(db, config);
        TestServer server = TestServers.shared(db);
        try (Connection c = connect(server);
                PreparedStatement s = c.prepareStatement(
                        "UPDATE identity_kubernetes_auths SET token_reviewer_jwt = ? WHERE identity_id = ?")) {
            s.setString(1, storedReviewer(server, source));
            s.setString(2, target);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        String jwt = cluster.token(ns, "api", "keyhaven");

        Res res = login(db, target, jwt);

        assertThat(res.status()).isEqualTo(500);
        assertThat(res.body().path("error").asString()).isEqualTo("IntegrityError");
        assertThat(res.raw()).doesNotContain(jwt).doesNotContain(reviewerJwt);
        assertThat(cluster.reviewsOf(jwt)).isEmpty();
        assertThat(login(db, source, jwt).status()).isEqualTo(200);
    }

    private static Connection connect(TestServer server) throws Exception {
        return server.db == Db.SQLITE
                ? DriverManager.getConnection(server.dbUrl)
                : DriverManager.getConnection(server.dbUrl, TestServers.pgUser(), null);
    }

    private static String storedReviewer(TestServer server, String identityId) throws Exception {
        try (Connection c = connect(server);
                PreparedStatement s = c.prepareStatement(
                        "SELECT token_reviewer_jwt FROM identity_kubernetes_auths WHERE identity_id = ?")) {
            s.setString(1, identityId);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void invalidConfigurationsAreRefusedWith4xx(Db db) {
        String id = ids(db).create("member");
        Map<String, Map<String, Object>> bad = new java.util.LinkedHashMap<>();
        bad.put("no allowedNamespaces", without(apiConfig("a", "b", ""), "allowedNamespaces"));
        bad.put("no allowedAudience", without(apiConfig("a", "b", ""), "allowedAudience"));
        bad.put("no host", without(apiConfig("a", "b", ""), "kubernetesHost"));
        bad.put("plain http", with(apiConfig("a", "b", ""), "kubernetesHost", "http://10.0.0.1:6443"));
        bad.put("user info", with(apiConfig("a", "b", ""), "kubernetesHost", "https://u:p@k8s.example"));
        bad.put(
                "bad CA",
                with(
                        apiConfig("a", "b", ""),
                        "caCert",
                        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"));
        bad.put("gateway", with(apiConfig("a", "b", ""), "tokenReviewMode", "gateway"));
        bad.put("unknown mode", with(apiConfig("a", "b", ""), "tokenReviewMode", "webhook"));
        bad.put("bad glob", apiConfig("a", "api-{x", ""));
        bad.put("reviewer not a string", with(apiConfig("a", "b", ""), "tokenReviewerJwt", 42));
        bad.put("reviewer with a newline", with(apiConfig("a", "b", ""), "tokenReviewerJwt", "abc\ndef"));
        bad.put("negative ttl", with(apiConfig("a", "b", ""), "accessTokenTTL", -1));

        for (Map.Entry<String, Map<String, Object>> e : bad.entrySet()) {
            Res res = admin(db).post(K8S + id, e.getValue());
            assertThat(res.status()).as(e.getKey() + " -> " + res).isEqualTo(422);
            assertThat(res.raw()).doesNotContain(reviewerJwt);
        }
        assertThat(admin(db).get(K8S + id).status()).isEqualTo(404);

        assertThat(admin(db)
                        .post(K8S + id, with(apiConfig("a", "b", ""), "kubernetesHost", "k8s.example:6443"))
                        .status())
                .isEqualTo(200);
        assertThat(admin(db).post(K8S + id, apiConfig("a", "b", "")).status())
                .as("attached twice")
                .isEqualTo(400);
        assertThat(admin(db).patch(K8S + id, Map.of("tokenReviewMode", "jwks")).status())
                .as("jwks needs an issuer")
                .isEqualTo(422);
    }

    static Map<String, Object> without(Map<String, Object> m, String key) {
        m.remove(key);
        return m;
    }

    static Map<String, Object> with(Map<String, Object> m, String key, Object value) {
        m.put(key, value);
        return m;
    }
}
