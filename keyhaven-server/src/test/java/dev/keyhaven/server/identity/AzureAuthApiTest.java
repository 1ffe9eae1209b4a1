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
import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.CloudProviderStandIn;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Azure auth end to end on both databases, against {@link CloudProviderStandIn} playing Entra ID's
 * key endpoint. Tokens have the shape IMDS hands a managed identity ({@code /metadata/identity/oauth2/token}):
 * a v1 access token for {@code https://management.azure.com/} with {@code tid}, {@code oid},
 * {@code appid}, {@code xms_mirid} and {@code idtyp: app}; a v2 token is accepted too.
 */
class AzureAuthApiTest {
    static final String AZURE = "/api/v1/auth/azure-auth/identities/";
    static final String LOGIN = "/api/v1/auth/azure-auth/login";
    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String OTHER_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
    static final String RESOURCE = "https://management.azure.com/";
    static final String OID = "9b1c5d3e-2f4a-4c8e-b7d6-0a1e2f3c4d5e";
    static final String APP_ID = "4f6c2a1b-8d3e-4a5f-9c7b-1e2d3f4a5b6c";

    private static TestServer server(Db db) {
        return CloudProviderStandIn.keyhaven(db);
    }

    private static Api admin(Db db) {
        return server(db).admin();
    }

    private static String attach(Db db, String principals) {
        String id = new MachineIdentities(server(db)).create("member");
        Res res = admin(db)
                .post(
                        AZURE + id,
                        Map.of(
                                "tenantId",
                                TENANT,
                                "resource",
                                RESOURCE,
                                "allowedServicePrincipalIds",
                                principals,
                                "accessTokenTTL",
                                1200));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return id;
    }

    /** A v1 access token of a user-assigned managed identity, as IMDS returns it. */
    static JWTClaimsSet.Builder managedIdentityToken() {
        Instant now = Instant.now();
        String iss = "https://sts.windows.net/" + TENANT + "/";
        return new JWTClaimsSet.Builder()
                .audience(RESOURCE)
                .issuer(iss)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(86399)))
                .claim("aio", "k2BgYGj5fnL3c+Ue2Xxz3fzNvq/FAA==")
                .claim("appid", APP_ID)
                .claim("appidacr", "2")
                .claim("idp", iss)
                .claim("idtyp", "app")
                .claim("oid", OID)
                .claim("rh", "0.AAAAv4j5cvGGr0GRqy180BHbRw.")
                .subject(OID)
                .claim("tid", TENANT)
                .claim("uti", "Xq3cQ7y0zEKWl1mXcF0KAA")
                .claim("ver", "1.0")
                .claim(
                        "xms_mirid",
                        "/subscriptions/3b1a5c7e-0000-4000-8000-1234567890ab/resourcegroups/payments"
                                + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/api-mi")
                .claim("xms_tcdt", 1289241547L);
    }

    private static String signed(JWTClaimsSet.Builder claims) {
        return CloudProviderStandIn.sign(CloudProviderStandIn.entra(), claims.build());
    }

    private static String tweaked(Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder b = managedIdentityToken();
        change.accept(b);
        return signed(b);
    }

    private static Res login(Db db, String identityId, String jwt) {
        return server(db).anonymous().post(LOGIN, Map.of("identityId", identityId, "jwt", jwt));
    }

    private static List<JsonNode> audit(Db db, String identityId, String since) {
        Res res = admin(db)
                .get("/api/v1/organization/audit-logs", "startDate", since, "limit", 1000, "actor", identityId);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("auditLogs").valueStream().toList();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aManagedIdentityTokenLogsInAndDetachingRevokesItsTokens(Db db) {
        String since = Instant.now().minusSeconds(5).toString();
        String id = attach(db, OID + ",0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70");
        JsonNode config = admin(db).get(AZURE + id).body().path("identityAzureAuth");
        assertThat(config.path("tenantId").asString()).isEqualTo(TENANT);
        assertThat(config.path("resource").asString()).isEqualTo(RESOURCE);
        assertThat(config.path("allowedServicePrincipalIds").asString())
                .isEqualTo(OID + ", 0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70");

        Res res = login(db, id, signed(managedIdentityToken()));

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.body().path("expiresIn").asLong()).isEqualTo(1200);
        String token = res.body().path("accessToken").asString();
        MachineIdentities ids = new MachineIdentities(server(db));
        assertThat(ids.probe(token, id).status()).isEqualTo(200);
        assertThat(admin(db)
                        .get("/api/v1/identities/" + id)
                        .body()
                        .path("identity")
                        .path("authMethods")
                        .valueStream()
                        .map(JsonNode::asString))
                .contains("azure-auth");
        assertThat(audit(db, id, since).stream()
                        .map(r -> r.path("event").path("type").asString()))
                .contains("login-identity-azure-auth");
        String keys = "/" + TENANT + "/discovery/v2.0/keys";
        int fetches = CloudProviderStandIn.fetches(keys);
        assertThat(fetches).as("the tenant's keys were fetched").isPositive();
        assertThat(login(db, id, signed(managedIdentityToken())).status()).isEqualTo(200);
        assertThat(CloudProviderStandIn.fetches(keys))
                .as("the tenant's keys are cached")
                .isEqualTo(fetches);

        assertThat(admin(db).delete(AZURE + id, null).status()).isEqualTo(200);

        assertThat(ids.probe(token, id).status()).isEqualTo(403);
        assertThat(login(db, id, signed(managedIdentityToken())).status()).isEqualTo(401);
        assertThat(admin(db).get(AZURE + id).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void v2TokensAndAnAudienceWithoutTheTrailingSlashAreAccepted(Db db) {
        String id = attach(db, "");

        Res v2 = login(
                db,
                id,
                tweaked(b -> b.issuer("https://login.microsoftonline.com/" + TENANT + "/v2.0")
                        .claim("ver", "2.0")
                        .claim("appid", null)
                        .claim("azp", APP_ID)));
        Res noSlash = login(db, id, tweaked(b -> b.audience("https://management.azure.com")));

        assertThat(v2.status()).as(v2.toString()).isEqualTo(200);
        assertThat(noSlash.status()).as(noSlash.toString()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyBadTokenIsRefusedWith401AndAuditedWithItsReason(Db db) throws Exception {
        String since = Instant.now().minusSeconds(5).toString();
        String id = attach(db, OID);
        Instant now = Instant.now();
        RSAKey entra = CloudProviderStandIn.entra();
        RSAKey sameKidOtherKey =
                new RSAKeyGenerator(2048).keyID(entra.getKeyID()).generate();
        RSAKey unknownKid =
                new RSAKeyGenerator(2048).keyID("L1KfKFI_jnXbwWc22xZxw1sUHH0").generate();
        SignedJWT hmac = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(entra.getKeyID())
                        .build(),
                managedIdentityToken().build());
        hmac.sign(new MACSigner(entra.toPublicKey().getEncoded()));
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("unsigned token (alg none)", new PlainJWT(managedIdentityToken().build()).serialize());
        bad.put("HMAC-signed token where a public key is expected", hmac.serialize());
        bad.put("token expired", tweaked(b -> b.expirationTime(Date.from(now.minusSeconds(600)))));
        bad.put("token not yet valid", tweaked(b -> b.notBeforeTime(Date.from(now.plusSeconds(600)))));
        bad.put("token has no expiry (exp)", tweaked(b -> b.expirationTime(null)));
        bad.put(
                "unknown key id (kid)",
                CloudProviderStandIn.sign(unknownKid, managedIdentityToken().build()));
        bad.put(
                "signature does not verify with the configured keys",
                CloudProviderStandIn.sign(
                        sameKidOtherKey, managedIdentityToken().build()));
        // Entra ID signs every tenant's tokens with the same keys: only the claims tell tenants apart
        bad.put(
                "issuer is not Entra ID for the configured tenant",
                tweaked(b -> b.issuer("https://sts.windows.net/" + OTHER_TENANT + "/")
                        .claim("tid", OTHER_TENANT)));
        bad.put("tenant (tid) does not match tenantId", tweaked(b -> b.claim("tid", OTHER_TENANT)));
        bad.put("audience does not match resource", tweaked(b -> b.audience("https://vault.azure.net")));
        bad.put(
                "service principal (oid) is not in allowedServicePrincipalIds",
                tweaked(b -> b.claim("oid", "00000000-1111-4222-8333-444444444444")));
        bad.put("malformed token", "not.a.jwt");

        for (Map.Entry<String, String> e : bad.entrySet()) {
            Res res = login(db, id, e.getValue());
            assertThat(res.status()).as(e.getKey() + " -> " + res).isEqualTo(401);
            assertThat(res.raw()).doesNotContain(e.getValue());
        }

        List<String> reasons = audit(db, id, since).stream()
                .filter(r -> r.path("event").path("type").asString().equals("login-identity-azure-auth-failed"))
                .map(r -> r.path("event").path("metadata").path("reason").asString())
                .toList();
        assertThat(reasons).containsExactlyInAnyOrderElementsOf(bad.keySet());
        String raw = admin(db)
                .get("/api/v1/organization/audit-logs", "startDate", since, "limit", 1000, "actor", id)
                .raw();
        bad.values().forEach(token -> assertThat(raw).doesNotContain(token));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void invalidConfigurationsAreRefusedWith422(Db db) {
        String id = new MachineIdentities(server(db)).create("member");
        Api admin = admin(db);
        assertThat(admin.get(AZURE + id).status()).isEqualTo(404);
        assertThat(admin.post(AZURE + id, Map.of("resource", RESOURCE)).status())
                .isEqualTo(422);
        assertThat(admin.post(AZURE + id, Map.of("tenantId", "contoso.onmicrosoft.com", "resource", RESOURCE))
                        .status())
                .isEqualTo(422);
        assertThat(admin.post(AZURE + id, Map.of("tenantId", "../../evil", "resource", RESOURCE))
                        .status())
                .isEqualTo(422);
        assertThat(admin.post(AZURE + id, Map.of("tenantId", TENANT)).status()).isEqualTo(422);
        assertThat(admin.post(
                                AZURE + id,
                                Map.of(
                                        "tenantId",
                                        TENANT,
                                        "resource",
                                        RESOURCE,
                                        "accessTokenTrustedIps",
                                        List.of(Map.of("ipAddress", "not-an-ip"))))
                        .status())
                .isEqualTo(422);

        assertThat(admin.post(AZURE + id, Map.of("tenantId", TENANT, "resource", RESOURCE))
                        .status())
                .isEqualTo(200);
        assertThat(admin.post(AZURE + id, Map.of("tenantId", TENANT, "resource", RESOURCE))
                        .status())
                .isEqualTo(400);
        Res patched = admin.patch(AZURE + id, Map.of("allowedServicePrincipalIds", " " + OID + " ,"));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.body()
                        .path("identityAzureAuth")
                        .path("allowedServicePrincipalIds")
                        .asString())
                .isEqualTo(OID);
        assertThat(patched.body().path("identityAzureAuth").path("tenantId").asString())
                .isEqualTo(TENANT);
        assertThat(admin.patch(AZURE + id, Map.of("resource", " ")).status()).isEqualTo(422);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void loginsForOneIdentityAreRateLimited(Db db) {
        String id = attach(db, "");
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
    }
}
