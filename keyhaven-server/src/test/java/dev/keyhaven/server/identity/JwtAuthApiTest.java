package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServers;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * JWT auth end to end with real signatures: static PEM keys and a JWKS endpoint served from
 * loopback (allowed for the shared test servers by {@code keyhaven.outbound-allowlist}), on both
 * databases. Every refusal must be a 401 with an audited reason and never the token.
 */
class JwtAuthApiTest {
    static final String JWT = "/api/v1/auth/jwt-auth/identities/";
    static final String LOGIN = "/api/v1/auth/jwt-auth/login";
    static final String ISSUER = "https://issuer.keyhaven.test";

    private static RSAKey signer;
    private static RSAKey other;
    private static RSAKey rotated;
    private static ECKey ecSigner;
    private static HttpServer jwksServer;
    private static final AtomicReference<String> JWKS = new AtomicReference<>();
    private static final AtomicInteger FETCHES = new AtomicInteger();

    @BeforeAll
    static void keysAndJwksServer() throws Exception {
        signer = new RSAKeyGenerator(2048).keyID("k1").generate();
        other = new RSAKeyGenerator(2048).keyID("k1").generate();
        rotated = new RSAKeyGenerator(2048).keyID("k2").generate();
        ecSigner = new ECKeyGenerator(Curve.P_256).keyID("ec1").generate();
        JWKS.set(new JWKSet(List.of(signer.toPublicJWK(), ecSigner.toPublicJWK())).toString());
        jwksServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwksServer.createContext("/jwks", ex -> {
            FETCHES.incrementAndGet();
            byte[] body = JWKS.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        jwksServer.start();
    }

    @AfterAll
    static void stopJwksServer() {
        jwksServer.stop(0);
    }

    private static String jwksUrl() {
        return "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks";
    }

    private static MachineIdentities ids(Db db) {
        return new MachineIdentities(TestServers.shared(db));
    }

    private static Api admin(Db db) {
        return TestServers.shared(db).admin();
    }

    private static Api anonymous(Db db) {
        return TestServers.shared(db).anonymous();
    }

    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(List.of("keyhaven"))
                .subject("system:serviceaccount:prod:api")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .claim("repository_owner", "acme")
                .claim("ctx", Map.of("env", "production"));
    }

    static String rs256(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String tweaked(Consumer<JWTClaimsSet.Builder> change) throws Exception {
        JWTClaimsSet.Builder b = claims();
        change.accept(b);
        return rs256(signer, b.build());
    }

    private static Map<String, Object> bounds() {
        Map<String, Object> m = new HashMap<>();
        m.put("boundIssuer", ISSUER);
        m.put("boundAudiences", "other, keyhaven");
        m.put("boundSubject", "system:serviceaccount:prod:*");
        m.put("boundClaims", Map.of("repository_owner", "acme,acme-*", "ctx.env", "prod*"));
        return m;
    }

    private static String attachStatic(Db db) throws Exception {
        String id = ids(db).create("member");
        Map<String, Object> body = bounds();
        body.put("configurationType", "static");
        body.put("publicKeys", List.of(pem(signer.toPublicKey())));
        Res res = admin(db).post(JWT + id, body);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return id;
    }

    private static String attachJwks(Db db) {
        String id = ids(db).create("member");
        Map<String, Object> body = bounds();
        body.put("configurationType", "jwks");
        body.put("jwksUrl", jwksUrl());
        Res res = admin(db).post(JWT + id, body);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return id;
    }

    private static Res login(Db db, String identityId, String jwt) {
        return anonymous(db).post(LOGIN, Map.of("identityId", identityId, "jwt", jwt));
    }

    private static List<JsonNode> audit(Db db, String identityId, String since) {
        Res res = admin(db)
                .get("/api/v1/organization/audit-logs", "startDate", since, "limit", 1000, "actor", identityId);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("auditLogs").valueStream().toList();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aTokenSignedByTheStaticKeyLogsInAndTheConfigurationReadsBack(Db db) throws Exception {
        String since = Instant.now().minusSeconds(5).toString();
        String id = attachStatic(db);

        JsonNode config = admin(db).get(JWT + id).body().path("identityJwtAuth");
        assertThat(config.path("configurationType").asString()).isEqualTo("static");
        assertThat(config.path("publicKeys").size()).isEqualTo(1);
        assertThat(config.path("boundClaims").path("ctx.env").asString()).isEqualTo("prod*");
        assertThat(config.path("accessTokenTTL").asLong()).isEqualTo(2592000L);

        Res res = login(db, id, rs256(signer, claims().build()));

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.body().path("expiresIn").asLong()).isEqualTo(2592000L);
        assertThat(res.body().path("accessTokenMaxTTL").asLong()).isEqualTo(2592000L);
        assertThat(res.body().path("tokenType").asString()).isEqualTo("Bearer");
        assertThat(ids(db).probe(res.body().path("accessToken").asString(), id).status())
                .isEqualTo(200);
        assertThat(audit(db, id, since).stream()
                        .map(r -> r.path("event").path("type").asString()))
                .contains("login-identity-jwt-auth");
        assertThat(admin(db)
                        .get("/api/v1/identities/" + id)
                        .body()
                        .path("identity")
                        .path("authMethods")
                        .valueStream()
                        .map(JsonNode::asString))
                .contains("jwt-auth");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyBadTokenIsRefusedWith401AndAuditedWithItsReason(Db db) throws Exception {
        String since = Instant.now().minusSeconds(5).toString();
        String id = attachStatic(db);
        Instant now = Instant.now();
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        hmac.sign(new MACSigner(signer.toPublicKey().getEncoded()));
        Map<String, String> bad = new HashMap<>();
        bad.put("alg none", new PlainJWT(claims().build()).serialize());
        bad.put("HMAC", hmac.serialize());
        bad.put("expired", tweaked(b -> b.expirationTime(Date.from(now.minusSeconds(600)))));
        bad.put("not yet valid", tweaked(b -> b.notBeforeTime(Date.from(now.plusSeconds(600)))));
        bad.put("audience", tweaked(b -> b.audience("someone-else")));
        bad.put("issuer", tweaked(b -> b.issuer("https://evil.test")));
        bad.put("subject", tweaked(b -> b.subject("system:serviceaccount:dev:api")));
        bad.put("claim repository_owner", tweaked(b -> b.claim("repository_owner", "mallory")));
        bad.put("claim ctx.env", tweaked(b -> b.claim("ctx", Map.of("env", "staging"))));
        bad.put("signature", rs256(other, claims().build()));
        bad.put("malformed", "not.a.jwt");

        for (Map.Entry<String, String> e : bad.entrySet()) {
            Res res = login(db, id, e.getValue());
            assertThat(res.status()).as(e.getKey() + " -> " + res).isEqualTo(401);
            assertThat(res.raw()).doesNotContain(e.getValue());
        }

        List<JsonNode> rows = audit(db, id, since).stream()
                .filter(r -> r.path("event").path("type").asString().equals("login-identity-jwt-auth-failed"))
                .toList();
        List<String> reasons = rows.stream()
                .map(r -> r.path("event").path("metadata").path("reason").asString())
                .toList();
        assertThat(reasons)
                .hasSize(bad.size())
                .contains(
                        "unsigned token (alg none)",
                        "HMAC-signed token where a public key is expected",
                        "token expired",
                        "token not yet valid",
                        "audience does not match boundAudiences",
                        "issuer does not match boundIssuer",
                        "subject does not match boundSubject",
                        "claim repository_owner does not match boundClaims",
                        "claim ctx.env does not match boundClaims",
                        "signature does not verify with the configured keys");
        String raw = admin(db)
                .get("/api/v1/organization/audit-logs", "startDate", since, "limit", 1000, "actor", id)
                .raw();
        bad.values().forEach(token -> assertThat(raw).doesNotContain(token));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void jwksKeysAreCachedAndRefetchedOnceForAnUnknownKid(Db db) throws Exception {
        String id = attachJwks(db);
        JWKS.set(new JWKSet(List.of(signer.toPublicJWK(), ecSigner.toPublicJWK())).toString());

        assertThat(login(db, id, rs256(signer, claims().build())).status()).isEqualTo(200);
        int afterFirst = FETCHES.get();
        SignedJWT ec = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec1").build(), claims().build());
        ec.sign(new ECDSASigner(ecSigner));
        assertThat(login(db, id, ec.serialize()).status()).isEqualTo(200);
        assertThat(FETCHES.get()).as("served from the cache").isEqualTo(afterFirst);

        JWKS.set(new JWKSet(List.of(signer.toPublicJWK(), rotated.toPublicJWK())).toString());
        Res afterRotation = login(db, id, rs256(rotated, claims().build()));
        assertThat(afterRotation.status()).as(afterRotation.toString()).isEqualTo(200);
        assertThat(FETCHES.get()).isEqualTo(afterFirst + 1);

        RSAKey unknown = new RSAKeyGenerator(2048).keyID("nope").generate();
        Res refused = login(db, id, rs256(unknown, claims().build()));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body().path("message").asString()).contains("unknown key id");
        assertThat(FETCHES.get()).isEqualTo(afterFirst + 2);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aJwksUrlOnABlockedAddressIsNeverFetchedAndTheLoginIsRefused(Db db) throws Exception {
        String since = Instant.now().minusSeconds(5).toString();
        String id = ids(db).create("member");
        // 0.0.0.0 is "unspecified", blocked and outside the test allowlist (127.0.0.0/8, ::1/128)
        Res attached =
                admin(db).post(JWT + id, Map.of("configurationType", "jwks", "jwksUrl", "http://0.0.0.0:9/jwks"));
        assertThat(attached.status()).as(attached.toString()).isEqualTo(200);

        Res res = login(db, id, rs256(signer, claims().build()));

        assertThat(res.status()).isEqualTo(401);
        assertThat(res.body().path("message").asString())
                .contains("could not be fetched")
                .doesNotContain("0.0.0.0");
        assertThat(audit(db, id, since).stream()
                        .map(r ->
                                r.path("event").path("metadata").path("reason").asString()))
                .anyMatch(reason -> reason.contains("blocked address"));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void detachingRevokesTheTokensIssuedThroughJwtAuth(Db db) throws Exception {
        String id = attachStatic(db);
        String token = login(db, id, rs256(signer, claims().build()))
                .body()
                .path("accessToken")
                .asString();
        assertThat(ids(db).probe(token, id).status()).isEqualTo(200);

        Res detached = admin(db).delete(JWT + id, null);

        assertThat(detached.status()).as(detached.toString()).isEqualTo(200);
        assertThat(ids(db).probe(token, id).status()).isEqualTo(403);
        assertThat(login(db, id, rs256(signer, claims().build())).status()).isEqualTo(401);
        assertThat(admin(db).get(JWT + id).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void invalidConfigurationsAreRefusedWith422(Db db) {
        String id = ids(db).create("member");
        assertThat(admin(db).post(JWT + id, Map.of()).status()).isEqualTo(422);
        assertThat(admin(db)
                        .post(JWT + id, Map.of("configurationType", "static", "publicKeys", List.of()))
                        .status())
                .isEqualTo(422);
        assertThat(admin(db)
                        .post(JWT + id, Map.of("configurationType", "static", "publicKeys", List.of("nope")))
                        .status())
                .isEqualTo(422);
        assertThat(admin(db)
                        .post(JWT + id, Map.of("configurationType", "jwks", "jwksUrl", "ftp://x"))
                        .status())
                .isEqualTo(422);
        assertThat(admin(db).post(JWT + id, Map.of("configurationType", "hmac")).status())
                .isEqualTo(422);
        assertThat(admin(db).get(JWT + id).status()).isEqualTo(404);

        Res ok = admin(db).post(JWT + id, Map.of("configurationType", "jwks", "jwksUrl", jwksUrl()));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        Res patched = admin(db).patch(JWT + id, Map.of("boundSubject", "a*", "accessTokenTTL", 60));
        assertThat(patched.body().path("identityJwtAuth").path("boundSubject").asString())
                .isEqualTo("a*");
        assertThat(patched.body().path("identityJwtAuth").path("jwksUrl").asString())
                .isEqualTo(jwksUrl());
        assertThat(admin(db)
                        .patch(JWT + id, Map.of("configurationType", "static"))
                        .status())
                .isEqualTo(422);
        assertThat(login(db, id, "x").status()).isEqualTo(401);
    }
}
