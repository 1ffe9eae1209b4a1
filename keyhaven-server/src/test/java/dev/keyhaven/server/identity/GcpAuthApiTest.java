package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.keyhaven.server.support.CloudProviderStandIn;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * GCP auth end to end on both databases, against {@link CloudProviderStandIn} playing Google's key
 * endpoints. Tokens carry the claims Google really puts in them: a metadata-server ID token
 * ({@code format=full}) for type {@code gce}, and a {@code signJwt} payload {@code {sub, aud, exp}}
 * for type {@code iam}; in both the audience is the identity id, as Infisical's clients request it.
 */
class GcpAuthApiTest {
    static final String GCP = "/api/v1/auth/gcp-auth/identities/";
    static final String LOGIN = "/api/v1/auth/gcp-auth/login";
    static final String SA = "api-runner@acme-prod.iam.gserviceaccount.com";
    static final String SA_NUMERIC_ID = "113045487812348917283";

    private static TestServer server(Db db) {
        return CloudProviderStandIn.keyhaven(db);
    }

    private static String identity(Db db) {
        return new MachineIdentities(server(db)).create("member");
    }

    private static String attach(Db db, Map<String, Object> body) {
        String id = identity(db);
        Res res = server(db).admin().post(GCP + id, body);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return id;
    }

    private static String attachGce(Db db) {
        return attach(
                db,
                Map.of(
                        "type",
                        "gce",
                        "allowedServiceAccounts",
                        SA + ",ci@acme-prod.iam.gserviceaccount.com",
                        "allowedProjects",
                        "acme-prod ,acme-staging",
                        "allowedZones",
                        "europe-west1-b",
                        "accessTokenTTL",
                        900));
    }

    /** A metadata-server identity token, {@code ?audience=<identityId>&format=full}. */
    static JWTClaimsSet.Builder idToken(String audience) {
        Instant now = Instant.now();
        Map<String, Object> gce = new LinkedHashMap<>();
        gce.put("instance_creation_timestamp", 1717000000L);
        gce.put("instance_id", "4672398163849123456");
        gce.put("instance_name", "api-1");
        gce.put("project_id", "acme-prod");
        gce.put("project_number", 123456789012L);
        gce.put("zone", "europe-west1-b");
        return new JWTClaimsSet.Builder()
                .issuer("https://accounts.google.com")
                .audience(audience)
                .claim("azp", SA_NUMERIC_ID)
                .subject(SA_NUMERIC_ID)
                .claim("email", SA)
                .claim("email_verified", true)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("google", Map.of("compute_engine", gce));
    }

    private static String googleSigned(JWTClaimsSet.Builder claims) {
        return CloudProviderStandIn.sign(CloudProviderStandIn.google(), claims.build());
    }

    private static String tweaked(String audience, Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder b = idToken(audience);
        change.accept(b);
        return googleSigned(b);
    }

    /** What the IAM Credentials API signs for {@code signJwt} with payload {@code {sub, aud}}: it adds exp. */
    private static JWTClaimsSet.Builder signJwtPayload(String email, String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .subject(email)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)));
    }

    private static Res login(Db db, String identityId, String jwt) {
        return server(db).anonymous().post(LOGIN, Map.of("identityId", identityId, "jwt", jwt));
    }

    private static List<JsonNode> audit(Db db, String identityId, String since) {
        Res res = server(db)
                .admin()
                .get("/api/v1/organization/audit-logs", "startDate", since, "limit", 1000, "actor", identityId);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("auditLogs").valueStream().toList();
    }

    private static List<String> failureReasons(Db db, String identityId, String since) {
        return audit(db, identityId, since).stream()
                .filter(r -> r.path("event").path("type").asString().equals("login-identity-gcp-auth-failed"))
                .map(r -> r.path("event").path("metadata").path("reason").asString())
                .toList();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aMetadataServerIdTokenLogsInAndDetachingRevokesItsTokens(Db db) {
        String since = Instant.now().minusSeconds(5).toString();
        String id = attachGce(db);
        JsonNode config = server(db).admin().get(GCP + id).body().path("identityGcpAuth");
        assertThat(config.path("type").asString()).isEqualTo("gce");
        assertThat(config.path("allowedServiceAccounts").asString())
                .isEqualTo(SA + ", ci@acme-prod.iam.gserviceaccount.com");
        assertThat(config.path("allowedProjects").asString()).isEqualTo("acme-prod, acme-staging");
        assertThat(config.path("accessTokenTTL").asLong()).isEqualTo(900);
        assertThat(config.path("accessTokenMaxTTL").asLong()).isEqualTo(2592000L);

        Res res = login(db, id, googleSigned(idToken(id)));

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.body().path("expiresIn").asLong()).isEqualTo(900);
        assertThat(res.body().path("tokenType").asString()).isEqualTo("Bearer");
        String token = res.body().path("accessToken").asString();
        MachineIdentities ids = new MachineIdentities(server(db));
        assertThat(ids.probe(token, id).status()).isEqualTo(200);
        assertThat(server(db)
                        .admin()
                        .get("/api/v1/identities/" + id)
                        .body()
                        .path("identity")
                        .path("authMethods")
                        .valueStream()
                        .map(JsonNode::asString))
                .contains("gcp-auth");
        assertThat(audit(db, id, since).stream()
                        .map(r -> r.path("event").path("type").asString()))
                .contains("login-identity-gcp-auth");
        int fetches = CloudProviderStandIn.fetches("/oauth2/v3/certs");
        assertThat(login(db, id, googleSigned(idToken(id))).status()).isEqualTo(200);
        assertThat(CloudProviderStandIn.fetches("/oauth2/v3/certs"))
                .as("Google's keys are cached")
                .isEqualTo(fetches);

        assertThat(server(db).admin().delete(GCP + id, null).status()).isEqualTo(200);

        assertThat(ids.probe(token, id).status()).isEqualTo(403);
        assertThat(login(db, id, googleSigned(idToken(id))).status()).isEqualTo(401);
        assertThat(server(db).admin().get(GCP + id).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyBadIdTokenIsRefusedWith401AndAuditedWithItsReason(Db db) throws Exception {
        String since = Instant.now().minusSeconds(5).toString();
        String id = attachGce(db);
        Instant now = Instant.now();
        RSAKey google = CloudProviderStandIn.google();
        RSAKey sameKidOtherKey =
                new RSAKeyGenerator(2048).keyID(google.getKeyID()).generate();
        RSAKey unknownKid = new RSAKeyGenerator(2048)
                .keyID("0123456789abcdef0123456789abcdef01234567")
                .generate();
        SignedJWT hmac = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(google.getKeyID())
                        .build(),
                idToken(id).build());
        hmac.sign(new MACSigner(google.toPublicKey().getEncoded()));
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("unsigned token (alg none)", new PlainJWT(idToken(id).build()).serialize());
        bad.put("HMAC-signed token where a public key is expected", hmac.serialize());
        bad.put("token expired", tweaked(id, b -> b.expirationTime(Date.from(now.minusSeconds(600)))));
        bad.put("token not yet valid", tweaked(id, b -> b.notBeforeTime(Date.from(now.plusSeconds(600)))));
        bad.put("token has no expiry (exp)", tweaked(id, b -> b.expirationTime(null)));
        bad.put("audience is not the identity id", tweaked(id, b -> b.audience("https://other.example")));
        bad.put("issuer is not https://accounts.google.com", tweaked(id, b -> b.issuer("https://evil.example")));
        bad.put(
                "unknown key id (kid)",
                CloudProviderStandIn.sign(unknownKid, idToken(id).build()));
        bad.put(
                "signature does not verify with the configured keys",
                CloudProviderStandIn.sign(sameKidOtherKey, idToken(id).build()));
        bad.put(
                "service account is not in allowedServiceAccounts",
                tweaked(id, b -> b.claim("email", "intruder@acme-prod.iam.gserviceaccount.com")));
        bad.put("email is not verified", tweaked(id, b -> b.claim("email_verified", false)));
        bad.put(
                "project is not in allowedProjects",
                tweaked(
                        id,
                        b -> b.claim(
                                "google",
                                Map.of(
                                        "compute_engine",
                                        Map.of("project_id", "someone-else", "zone", "europe-west1-b")))));
        bad.put(
                "zone is not in allowedZones",
                tweaked(
                        id,
                        b -> b.claim(
                                "google",
                                Map.of("compute_engine", Map.of("project_id", "acme-prod", "zone", "us-central1-a")))));
        // format=standard (or Cloud Run) tokens carry no compute_engine block: the project cannot be checked
        bad.put(
                "token names no project (google.compute_engine.project_id; request the token with format=full)",
                tweaked(id, b -> b.claim("google", null)));
        bad.put("malformed token", "not.a.jwt");

        for (Map.Entry<String, String> e : bad.entrySet()) {
            Res res = login(db, id, e.getValue());
            assertThat(res.status()).as(e.getKey() + " -> " + res).isEqualTo(401);
            assertThat(res.raw()).doesNotContain(e.getValue());
        }

        assertThat(failureReasons(db, id, since)).containsExactlyInAnyOrderElementsOf(bad.keySet());
        String raw = server(db)
                .admin()
                .get("/api/v1/organization/audit-logs", "startDate", since, "limit", 1000, "actor", id)
                .raw();
        bad.values().forEach(token -> assertThat(raw).doesNotContain(token));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anIdTokenForAnotherIdentityCannotBeReplayedHere(Db db) {
        String mine = attachGce(db);
        String other = attachGce(db);

        Res res = login(db, mine, googleSigned(idToken(other)));

        assertThat(res.status()).isEqualTo(401);
        assertThat(res.body().path("message").asString()).contains("audience is not the identity id");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aJwtSignedByAnAllowedServiceAccountLogsInWithTypeIam(Db db) {
        String since = Instant.now().minusSeconds(5).toString();
        String id = attach(db, Map.of("type", "iam", "allowedProjects", "acme-prod"));
        String otherProject = "deployer@acme-dev.iam.gserviceaccount.com";
        String unknownToGoogle = "ghost@acme-prod.iam.gserviceaccount.com";
        RSAKey saKey = CloudProviderStandIn.serviceAccount(SA);
        RSAKey otherKey = CloudProviderStandIn.serviceAccount(otherProject);

        Res ok = login(
                db, id, CloudProviderStandIn.sign(saKey, signJwtPayload(SA, id).build()));

        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(new MachineIdentities(server(db))
                        .probe(ok.body().path("accessToken").asString(), id)
                        .status())
                .isEqualTo(200);
        Map<String, String> bad = new HashMap<>();
        bad.put(
                "project is not in allowedProjects",
                CloudProviderStandIn.sign(
                        otherKey, signJwtPayload(otherProject, id).build()));
        // another account's key, claiming to be SA: SA's published keys do not include it
        bad.put(
                "unknown key id (kid)",
                CloudProviderStandIn.sign(otherKey, signJwtPayload(SA, id).build()));
        bad.put(
                "subject is not a service-account email",
                CloudProviderStandIn.sign(
                        saKey,
                        signJwtPayload("123456789012-compute@developer.gserviceaccount.com", id)
                                .build()));
        bad.put(
                "audience is not the identity id",
                CloudProviderStandIn.sign(saKey, signJwtPayload(SA, "other").build()));
        bad.put(
                "cannot fetch JWKS: status 404",
                CloudProviderStandIn.sign(
                        saKey, signJwtPayload(unknownToGoogle, id).build()));
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Res res = login(db, id, e.getValue());
            assertThat(res.status()).as(e.getKey() + " -> " + res).isEqualTo(401);
        }
        assertThat(failureReasons(db, id, since)).containsExactlyInAnyOrderElementsOf(bad.keySet());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anIamTokenIsCheckedAgainstAllowedServiceAccounts(Db db) {
        String id = attach(db, Map.of("type", "iam", "allowedServiceAccounts", SA));
        String colleague = "ci@acme-prod.iam.gserviceaccount.com";

        assertThat(login(
                                db,
                                id,
                                CloudProviderStandIn.sign(
                                        CloudProviderStandIn.serviceAccount(SA),
                                        signJwtPayload(SA, id).build()))
                        .status())
                .isEqualTo(200);
        Res refused = login(
                db,
                id,
                CloudProviderStandIn.sign(
                        CloudProviderStandIn.serviceAccount(colleague),
                        signJwtPayload(colleague, id).build()));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body().path("message").asString())
                .contains("service account is not in allowedServiceAccounts");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void invalidConfigurationsAreRefusedWith422(Db db) {
        String id = identity(db);
        var admin = server(db).admin();
        assertThat(admin.get(GCP + id).status()).isEqualTo(404);
        assertThat(admin.post(GCP + id, Map.of("allowedProjects", "acme-prod")).status())
                .isEqualTo(422);
        assertThat(admin.post(GCP + id, Map.of("type", "gke", "allowedProjects", "acme-prod"))
                        .status())
                .isEqualTo(422);
        Res open = admin.post(GCP + id, Map.of("type", "gce", "allowedZones", "europe-west1-b"));
        assertThat(open.status()).isEqualTo(422);
        assertThat(open.raw()).contains("allowedServiceAccounts");
        assertThat(admin.post(GCP + id, Map.of("type", "iam", "allowedProjects", "p", "allowedZones", "europe-west1-b"))
                        .status())
                .isEqualTo(422);
        assertThat(admin.post(
                                GCP + id,
                                Map.of(
                                        "type",
                                        "gce",
                                        "allowedProjects",
                                        "p",
                                        "accessTokenTTL",
                                        100,
                                        "accessTokenMaxTTL",
                                        50))
                        .status())
                .isEqualTo(422);

        assertThat(admin.post(GCP + id, Map.of("type", "gce", "allowedProjects", "acme-prod"))
                        .status())
                .isEqualTo(200);
        assertThat(admin.post(GCP + id, Map.of("type", "gce", "allowedProjects", "acme-prod"))
                        .status())
                .isEqualTo(400);
        Res patched = admin.patch(GCP + id, Map.of("allowedZones", "europe-west1-b, europe-west1-c"));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.body()
                        .path("identityGcpAuth")
                        .path("allowedProjects")
                        .asString())
                .isEqualTo("acme-prod");
        assertThat(admin.patch(GCP + id, Map.of("type", "iam")).status()).isEqualTo(422);
        assertThat(admin.patch(GCP + id, Map.of("allowedProjects", "")).status())
                .isEqualTo(422);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void loginsForOneIdentityAreRateLimited(Db db) {
        String id = attachGce(db);
        Res limited = null;
        // fixed one-minute windows: 65 attempts exceed the limit of 30 even across one window change
        for (int i = 0; i < 2 * CloudProviderStandIn.LOGIN_RATE_PER_IDENTITY + 5 && limited == null; i++) {
            Res res = login(db, id, "x");
            if (res.status() == 429) {
                limited = res;
            } else {
                assertThat(res.status()).isEqualTo(401);
            }
        }
        assertThat(limited).as("no 429 for one identity").isNotNull();
        assertThat(limited.header("Retry-After")).isNotNull();
        assertThat(login(db, attachGce(db), googleSigned(idToken("irrelevant"))).status())
                .as("another identity is not limited")
                .isEqualTo(401);
    }
}
