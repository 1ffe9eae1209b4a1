package dev.keyhaven.server.identity;

import static dev.keyhaven.server.identity.KubernetesAuthApiTest.K8S;
import static dev.keyhaven.server.identity.KubernetesAuthApiTest.admin;
import static dev.keyhaven.server.identity.KubernetesAuthApiTest.attach;
import static dev.keyhaven.server.identity.KubernetesAuthApiTest.failureReasons;
import static dev.keyhaven.server.identity.KubernetesAuthApiTest.login;
import static dev.keyhaven.server.identity.KubernetesAuthApiTest.namespace;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Res;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Kubernetes auth in "jwks" mode on both databases: service-account tokens issued and signed by
 * {@link KubernetesApiServer} (the cluster's issuer, serving its discovery document and JWKS over
 * HTTPS with its own CA) are verified locally, with no TokenReview. Keys come from discovery, a
 * JWKS URL or static PEM keys; every bad token is a 401 with an audited reason.
 */
class KubernetesJwksAuthApiTest {
    private static KubernetesApiServer cluster;

    @BeforeAll
    static void startCluster() {
        cluster = KubernetesApiServer.start(true);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static Map<String, Object> jwksConfig(String namespace) {
        Map<String, Object> m = new HashMap<>();
        m.put("tokenReviewMode", "jwks");
        m.put("issuer", cluster.issuer());
        m.put("caCert", cluster.ca.pem());
        m.put("allowedNamespaces", namespace);
        m.put("allowedNames", "api, worker-*");
        m.put("allowedAudience", "keyhaven");
        return m;
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aTokenSignedByTheIssuersDiscoveredKeyLogsInWithoutATokenReview(Db db) {
        String since = Instant.now().minusSeconds(5).toString();
        String ns = namespace();
        String id = attach(db, jwksConfig(ns));
        String jwt = cluster.token(ns, "worker-3", "keyhaven");

        Res res = login(db, id, jwt);

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(cluster.reviewsOf(jwt)).isEmpty();
        JsonNode config = admin(db).get(K8S + id).body().path("identityKubernetesAuth");
        assertThat(config.path("tokenReviewMode").asString()).isEqualTo("jwks");
        assertThat(config.path("issuer").asString()).isEqualTo(cluster.issuer());
        assertThat(KubernetesAuthApiTest.audit(db, id, since).stream()
                        .filter(r -> r.path("event").path("type").asString().equals("login-identity-kubernetes-auth"))
                        .map(r -> r.path("event").path("metadata").path("name").asString()))
                .containsExactly("worker-3");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void staticPemKeysAndAJwksUrlAreKeySourcesToo(Db db) {
        String ns = namespace();
        Map<String, Object> pem = jwksConfig(ns);
        pem.put("publicKeys", List.of(JwtAuthApiTest.pem(publicKey(cluster.signingKey))));
        pem.remove("caCert");
        String byPem = attach(db, pem);
        Map<String, Object> url = jwksConfig(ns);
        url.put("jwksUrl", cluster.url + "/openid/v1/jwks");
        url.put("issuer", "https://oidc.cluster.example");
        String byUrl = attach(db, url);

        assertThat(login(db, byPem, cluster.token(ns, "api", "keyhaven")).status())
                .isEqualTo(200);
        Res wrongIssuer = login(db, byUrl, cluster.token(ns, "api", "keyhaven"));
        assertThat(wrongIssuer.status())
                .as("the JWKS URL does not stand in for the issuer")
                .isEqualTo(401);
        assertThat(wrongIssuer.body().path("message").asString()).contains("issuer does not match");
        Res fixed = admin(db).patch(K8S + byUrl, Map.of("issuer", cluster.issuer()));
        assertThat(fixed.status()).as(fixed.toString()).isEqualTo(200);
        assertThat(login(db, byUrl, cluster.token(ns, "api", "keyhaven")).status())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyBadTokenIsRefusedWith401AndAuditedWithItsReason(Db db) throws Exception {
        String since = Instant.now().minusSeconds(5).toString();
        String ns = namespace();
        String id = attach(db, jwksConfig(ns));
        Instant later = Instant.now().plusSeconds(600);
        RSAKey impostor =
                new RSAKeyGenerator(2048).keyID(cluster.signingKey.getKeyID()).generate();
        SignedJWT hmac = new SignedJWT(
                new JWSHeader(JWSAlgorithm.HS256),
                cluster.claims(ns, "api", later, "keyhaven").build());
        hmac.sign(new MACSigner(new byte[32]));
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(
                "expired",
                cluster.sign(cluster.claims(ns, "api", Instant.now().minusSeconds(600), "keyhaven")
                        .build()));
        bad.put(
                "no expiry",
                cluster.sign(cluster.claims(ns, "api", null, "keyhaven").build()));
        bad.put(
                "wrong issuer",
                cluster.sign(cluster.claims(ns, "api", later, "keyhaven")
                        .issuer("https://evil.example")
                        .build()));
        bad.put(
                "alg none",
                new PlainJWT(cluster.claims(ns, "api", later, "keyhaven").build()).serialize());
        bad.put("HMAC", hmac.serialize());
        bad.put(
                "another key",
                KubernetesApiServer.sign(
                        impostor, cluster.claims(ns, "api", later, "keyhaven").build()));
        bad.put("namespace", cluster.token("kube-system", "api", "keyhaven"));
        bad.put("name", cluster.token(ns, "web", "keyhaven"));
        bad.put("audience", cluster.token(ns, "api", KubernetesApiServer.API_AUDIENCE));
        bad.put(
                "subject disagrees",
                cluster.sign(cluster.claims(ns, "api", later, "keyhaven")
                        .subject(KubernetesApiServer.username("kube-system", "admin"))
                        .build()));

        for (Map.Entry<String, String> e : bad.entrySet()) {
            Res res = login(db, id, e.getValue());
            assertThat(res.status()).as(e.getKey() + " -> " + res).isEqualTo(401);
            assertThat(res.raw()).doesNotContain(e.getValue());
        }

        List<String> reasons = failureReasons(db, id, since);
        assertThat(reasons)
                .hasSize(bad.size())
                .containsExactlyInAnyOrder(
                        "token expired",
                        "token has no expiry (exp)",
                        "issuer does not match the configured issuer",
                        "unsigned token (alg none)",
                        "HMAC-signed token where a public key is expected",
                        "signature does not verify with the configured keys",
                        "namespace kube-system is not allowed",
                        "service account web is not allowed",
                        "audience is not allowed",
                        "the subject does not match the kubernetes.io claim");
        String raw = KubernetesAuthApiTest.audit(db, id, since).toString();
        bad.values().forEach(token -> assertThat(raw).doesNotContain(token));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void jwksModeNeedsAnIssuerAndAnAudience(Db db) {
        String id = KubernetesAuthApiTest.ids(db).create("member");
        Map<String, Object> noIssuer = jwksConfig("prod");
        noIssuer.remove("issuer");
        Map<String, Object> anyAudience = jwksConfig("prod");
        anyAudience.put("allowedAudience", "");
        Map<String, Object> badKey = jwksConfig("prod");
        badKey.put("publicKeys", List.of("not a key"));

        for (Map<String, Object> config : List.of(noIssuer, anyAudience, badKey)) {
            Res res = admin(db).post(K8S + id, config);
            assertThat(res.status()).as(res.toString()).isEqualTo(422);
        }
    }

    private static java.security.PublicKey publicKey(RSAKey key) {
        try {
            return key.toPublicKey();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
