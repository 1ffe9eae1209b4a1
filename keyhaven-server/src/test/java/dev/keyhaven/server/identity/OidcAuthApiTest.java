package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * OIDC auth end to end against a provider stand-in on loopback that serves a discovery document
 * and its JWKS, with ID tokens signed by the provider's RSA key, on both databases.
 */
class OidcAuthApiTest {
    static final String OIDC = "/api/v1/auth/oidc-auth/identities/";
    static final String LOGIN = "/api/v1/auth/oidc-auth/login";

    private static RSAKey providerKey;
    private static HttpServer provider;
    private static String issuer;
    private static final AtomicInteger DISCOVERY_FETCHES = new AtomicInteger();

    @BeforeAll
    static void startProvider() throws Exception {
        providerKey = new RSAKeyGenerator(2048).keyID("oidc-1").generate();
        provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + provider.getAddress().getPort() + "/realms/ci";
        provider.createContext("/realms/ci/.well-known/openid-configuration", ex -> {
            DISCOVERY_FETCHES.incrementAndGet();
            send(ex, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/keys\"}");
        });
        provider.createContext("/realms/ci/keys", ex -> send(ex, new JWKSet(providerKey.toPublicJWK()).toString()));
        provider.start();
    }

    @AfterAll
    static void stopProvider() {
        provider.stop(0);
    }

    private static void send(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Api admin(Db db) {
        return TestServers.shared(db).admin();
    }

    private static String idToken(String iss, String sub) throws Exception {
        Instant now = Instant.now();
        return JwtAuthApiTest.rs256(
                providerKey,
                new JWTClaimsSet.Builder()
                        .issuer(iss)
                        .subject(sub)
                        .audience("keyhaven")
                        .issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(300)))
                        .claim("repository", "acme/app")
                        .build());
    }

    private static Res login(Db db, String id, String jwt) {
        return TestServers.shared(db).anonymous().post(LOGIN, Map.of("identityId", id, "jwt", jwt));
    }

    private static String attach(Db db) {
        MachineIdentities ids = new MachineIdentities(TestServers.shared(db));
        String id = ids.create("member");
        Res res = admin(db)
                .post(
                        OIDC + id,
                        Map.of(
                                "oidcDiscoveryUrl",
                                issuer,
                                "boundIssuer",
                                issuer,
                                "boundAudiences",
                                "keyhaven",
                                "boundSubject",
                                "repo:acme/app:*",
                                "boundClaims",
                                Map.of("repository", "acme/*"),
                                "accessTokenTTL",
                                600));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return id;
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anIdTokenFromTheDiscoveredProviderLogsInAndDetachingRevokesItsTokens(Db db) throws Exception {
        String id = attach(db);
        JsonNode config = admin(db).get(OIDC + id).body().path("identityOidcAuth");
        assertThat(config.path("oidcDiscoveryUrl").asString()).isEqualTo(issuer);
        assertThat(config.path("accessTokenTTL").asLong()).isEqualTo(600);

        Res res = login(db, id, idToken(issuer, "repo:acme/app:main"));

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.body().path("expiresIn").asLong()).isEqualTo(600);
        String token = res.body().path("accessToken").asString();
        MachineIdentities ids = new MachineIdentities(TestServers.shared(db));
        assertThat(ids.probe(token, id).status()).isEqualTo(200);
        int fetches = DISCOVERY_FETCHES.get();
        assertThat(login(db, id, idToken(issuer, "repo:acme/app:main")).status())
                .isEqualTo(200);
        assertThat(DISCOVERY_FETCHES.get()).as("discovery is cached").isEqualTo(fetches);

        assertThat(admin(db).delete(OIDC + id, null).status()).isEqualTo(200);
        assertThat(ids.probe(token, id).status()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aWrongIssuerOrSubjectIsRefusedWith401AndAudited(Db db) throws Exception {
        String since = Instant.now().minusSeconds(5).toString();
        String id = attach(db);

        assertThat(login(db, id, idToken("https://other.example", "repo:acme/app:main"))
                        .status())
                .isEqualTo(401);
        assertThat(login(db, id, idToken(issuer, "repo:evil/app:main")).status())
                .isEqualTo(401);

        Res audit = admin(db).get("/api/v1/organization/audit-logs", "startDate", since, "limit", 1000, "actor", id);
        List<String> reasons = audit.body()
                .path("auditLogs")
                .valueStream()
                .filter(r -> r.path("event").path("type").asString().equals("login-identity-oidc-auth-failed"))
                .map(r -> r.path("event").path("metadata").path("reason").asString())
                .toList();
        assertThat(reasons)
                .containsExactlyInAnyOrder("issuer does not match boundIssuer", "subject does not match boundSubject");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aDiscoveryUrlAndIssuerAreRequired(Db db) {
        String id = new MachineIdentities(TestServers.shared(db)).create("member");
        assertThat(admin(db).post(OIDC + id, Map.of("boundIssuer", "x")).status())
                .isEqualTo(422);
        assertThat(admin(db).post(OIDC + id, Map.of("oidcDiscoveryUrl", issuer)).status())
                .isEqualTo(422);
        assertThat(admin(db)
                        .post(OIDC + id, Map.of("oidcDiscoveryUrl", "nope", "boundIssuer", "x"))
                        .status())
                .isEqualTo(422);
    }
}
