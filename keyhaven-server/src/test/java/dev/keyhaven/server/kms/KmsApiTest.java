package dev.keyhaven.server.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The KMS API end to end on both databases: KMS projects and the project type filter, encryption
 * keys (both AES sizes, versions, tampering, other keys, sizes), signing keys (every algorithm,
 * checked with the JDK against the public key, message and digest input), enable/disable, delete,
 * permissions (built-in roles, another organization), and audit rows and stored rows that never
 * hold plaintext or key material.
 */
class KmsApiTest {
    static final String KEYS = "/api/v1/kms/keys";

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String kmsProject(Api api) {
        Res res = api.post("/api/v2/workspace", Map.of("projectName", Fixtures.unique("kms"), "type", "kms"));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.body().path("project").path("type").asString()).isEqualTo("kms");
        return res.body().path("project").path("id").asString();
    }

    static JsonNode createKey(Api api, String projectId, String name, String usage, String algorithm) {
        Map<String, Object> body = new HashMap<>(Map.of("projectId", projectId, "name", name));
        if (usage != null) {
            body.put("keyUsage", usage);
        }
        if (algorithm != null) {
            body.put("encryptionAlgorithm", algorithm);
        }
        Res res = api.post(KEYS, body);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("key");
    }

    static String encrypt(Api api, String keyId, String plaintextB64) {
        Res res = api.post(KEYS + "/" + keyId + "/encrypt", Map.of("plaintext", plaintextB64));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("ciphertext").asString();
    }

    static Res decrypt(Api api, String keyId, String ciphertext) {
        return api.post(KEYS + "/" + keyId + "/decrypt", Map.of("ciphertext", ciphertext));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void kmsProjectsAreCreatedAndTheListingHonoursTheTypeFilter(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String kms = kmsProject(admin);
        String secrets = new Fixtures(server).project();

        for (String route : List.of("/api/v1/workspace", "/api/v1/projects")) {
            String field = route.endsWith("workspace") ? "workspaces" : "projects";
            Res onlyKms = admin.get(route, "type", "kms");
            assertThat(onlyKms.status()).as(onlyKms.toString()).isEqualTo(200);
            assertThat(onlyKms.body().path(field).findValuesAsString("id"))
                    .contains(kms)
                    .doesNotContain(secrets);
            assertThat(onlyKms.body().path(field).findValuesAsString("type")).containsOnly("kms");
            Res onlySecrets = admin.get(route, "type", "secret-manager");
            assertThat(onlySecrets.body().path(field).findValuesAsString("id"))
                    .contains(secrets)
                    .doesNotContain(kms);
            Res all = admin.get(route);
            assertThat(all.body().path(field).findValuesAsString("id")).contains(kms, secrets);
            assertThat(admin.get(route, "type", "vault").status()).isEqualTo(422);
        }

        // keys live in kms projects only
        Res inSecrets = admin.post(KEYS, Map.of("projectId", secrets, "name", "nope"));
        assertThat(inSecrets.status()).as(inSecrets.toString()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void encryptionKeysRoundTripAndAreListedByName(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String project = kmsProject(admin);

        JsonNode k256 = createKey(admin, project, "alpha-256", null, null);
        assertThat(k256.path("encryptionAlgorithm").asString()).isEqualTo("aes-256-gcm");
        assertThat(k256.path("keyUsage").asString()).isEqualTo("encrypt-decrypt");
        assertThat(k256.path("version").asInt()).isEqualTo(1);
        assertThat(k256.path("isDisabled").asBoolean()).isFalse();
        assertThat(k256.path("projectId").asString()).isEqualTo(project);
        assertThat(k256.path("orgId").asString()).isEqualTo(server.admin.orgId());
        for (String f : List.of("id", "name", "description", "createdAt", "updatedAt")) {
            assertThat(k256.has(f)).as(f).isTrue();
        }
        JsonNode k128 = createKey(admin, project, "beta-128", "encrypt-decrypt", "aes-128-gcm");
        assertThat(k128.path("encryptionAlgorithm").asString()).isEqualTo("aes-128-gcm");

        for (JsonNode key : List.of(k256, k128)) {
            String id = key.path("id").asString();
            String plaintext = b64("hello, kms " + id);
            String ct = encrypt(admin, id, plaintext);
            assertThat(ct).isNotEqualTo(plaintext);
            assertThat(encrypt(admin, id, plaintext))
                    .as("a fresh nonce each time")
                    .isNotEqualTo(ct);
            Res plain = decrypt(admin, id, ct);
            assertThat(plain.status()).as(plain.toString()).isEqualTo(200);
            assertThat(plain.body().path("plaintext").asString()).isEqualTo(plaintext);
        }
        // the largest plaintext, and one byte more
        String max = Base64.getEncoder().encodeToString(new byte[KmsKeyService.MAX_DATA_BYTES]);
        String maxCt = encrypt(admin, k256.path("id").asString(), max);
        assertThat(decrypt(admin, k256.path("id").asString(), maxCt)
                        .body()
                        .path("plaintext")
                        .asString())
                .isEqualTo(max);
        String tooMuch = Base64.getEncoder().encodeToString(new byte[KmsKeyService.MAX_DATA_BYTES + 1]);
        assertThat(admin.post(KEYS + "/" + k256.path("id").asString() + "/encrypt", Map.of("plaintext", tooMuch))
                        .status())
                .isEqualTo(422);
        assertThat(admin.post(KEYS + "/" + k256.path("id").asString() + "/encrypt", Map.of("plaintext", "not base64!"))
                        .status())
                .isEqualTo(422);

        // by id, by name, listed
        Res byId = admin.get(KEYS + "/" + k128.path("id").asString());
        assertThat(byId.body().path("key").path("name").asString()).isEqualTo("beta-128");
        Res byName = admin.get(KEYS + "/key-name/alpha-256", "projectId", project);
        assertThat(byName.status()).as(byName.toString()).isEqualTo(200);
        assertThat(byName.body().path("key").path("id").asString())
                .isEqualTo(k256.path("id").asString());
        assertThat(admin.get(KEYS + "/key-name/missing", "projectId", project).status())
                .isEqualTo(404);
        createKey(admin, project, "gamma", null, "aes-256-gcm");
        Res page = admin.get(KEYS, "projectId", project, "limit", "2", "offset", "0");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.body().path("totalCount").asLong()).isEqualTo(3);
        assertThat(page.body().path("keys").findValuesAsString("name")).containsExactly("alpha-256", "beta-128");
        Res next = admin.get(KEYS, "projectId", project, "limit", "2", "offset", "2");
        assertThat(next.body().path("keys").findValuesAsString("name")).containsExactly("gamma");
        Res desc = admin.get(KEYS, "projectId", project, "orderDirection", "desc");
        assertThat(desc.body().path("keys").findValuesAsString("name"))
                .containsExactly("gamma", "beta-128", "alpha-256");
        Res search = admin.get(KEYS, "projectId", project, "search", "ETA");
        assertThat(search.body().path("keys").findValuesAsString("name")).containsExactly("beta-128");
        assertThat(search.body().path("totalCount").asLong()).isEqualTo(1);
        assertThat(admin.get(KEYS, "projectId", project, "search", "%")
                        .body()
                        .path("totalCount")
                        .asLong())
                .as("a LIKE wildcard in the search is a literal")
                .isZero();
        assertThat(admin.get(KEYS, "projectId", project, "limit", "101").status())
                .isEqualTo(422);

        // bad input changes nothing
        assertThat(admin.post(KEYS, Map.of("projectId", project, "name", "alpha-256"))
                        .status())
                .isEqualTo(400);
        assertThat(admin.post(KEYS, Map.of("projectId", project, "name", "Bad Name"))
                        .status())
                .isEqualTo(422);
        assertThat(admin.post(KEYS, Map.of("projectId", project, "name", "x".repeat(33)))
                        .status())
                .isEqualTo(422);
        assertThat(admin.post(
                                KEYS,
                                Map.of(
                                        "projectId",
                                        project,
                                        "name",
                                        "mismatch",
                                        "keyUsage",
                                        "sign-verify",
                                        "encryptionAlgorithm",
                                        "aes-256-gcm"))
                        .status())
                .isEqualTo(422);
        assertThat(admin.post(KEYS, Map.of("projectId", project, "name", "des", "encryptionAlgorithm", "des"))
                        .status())
                .isEqualTo(422);
        assertThat(admin.get(KEYS, "projectId", project)
                        .body()
                        .path("totalCount")
                        .asLong())
                .isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void tamperedCiphertextsAndOtherKeysAreRefused(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String project = kmsProject(admin);
        String a = createKey(admin, project, "a", null, null).path("id").asString();
        String b = createKey(admin, project, "b", null, null).path("id").asString();
        String ct = encrypt(admin, a, b64("attack at dawn"));

        Res wrongKey = decrypt(admin, b, ct);
        assertThat(wrongKey.status()).as(wrongKey.toString()).isEqualTo(400);
        assertThat(wrongKey.raw()).doesNotContain("attack");

        byte[] raw = Base64.getDecoder().decode(ct);
        for (int i : new int[] {0, 1, 4, 5, 20, raw.length - 1}) {
            byte[] tampered = raw.clone();
            tampered[i] ^= 0x01;
            Res res = decrypt(admin, a, Base64.getEncoder().encodeToString(tampered));
            assertThat(res.status()).as("byte " + i + ": " + res).isEqualTo(400);
        }
        byte[] truncated = java.util.Arrays.copyOf(raw, raw.length - 1);
        assertThat(decrypt(admin, a, Base64.getEncoder().encodeToString(truncated))
                        .status())
                .isEqualTo(400);
        assertThat(decrypt(admin, a, "%%%").status()).isEqualTo(400);
        assertThat(decrypt(admin, a, "A".repeat(20_000)).status()).isEqualTo(400);
        assertThat(decrypt(admin, a, ct).status())
                .as("the original still opens")
                .isEqualTo(200);

        // a key of another project of the same org does not open it either
        String other =
                createKey(admin, kmsProject(admin), "a", null, null).path("id").asString();
        assertThat(decrypt(admin, other, ct).status()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void disabledKeysRefuseOperationsRotationKeepsOldCiphertextsAndDeleteShreds(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String project = kmsProject(admin);
        String id = createKey(admin, project, "rotating", null, "aes-128-gcm")
                .path("id")
                .asString();
        String v1 = encrypt(admin, id, b64("one"));

        Res disabled = admin.patch(KEYS + "/" + id, Map.of("isDisabled", true, "description", "paused"));
        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
        assertThat(disabled.body().path("key").path("isDisabled").asBoolean()).isTrue();
        assertThat(disabled.body().path("key").path("description").asString()).isEqualTo("paused");
        Res refused = admin.post(KEYS + "/" + id + "/encrypt", Map.of("plaintext", b64("x")));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("message").asString()).contains("disabled");
        assertThat(decrypt(admin, id, v1).status()).isEqualTo(400);
        assertThat(admin.post(KEYS + "/" + id + "/rotate", Map.of()).status()).isEqualTo(400);
        assertThat(admin.patch(KEYS + "/" + id, Map.of("isDisabled", false, "name", "rotating-2"))
                        .status())
                .isEqualTo(200);

        Res rotated = admin.post(KEYS + "/" + id + "/rotate", Map.of());
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        assertThat(rotated.body().path("key").path("version").asInt()).isEqualTo(2);
        String v2 = encrypt(admin, id, b64("two"));
        assertThat(decrypt(admin, id, v1).body().path("plaintext").asString()).isEqualTo(b64("one"));
        assertThat(decrypt(admin, id, v2).body().path("plaintext").asString()).isEqualTo(b64("two"));
        assertThat(Base64.getDecoder().decode(v2)[4])
                .as("the ciphertext names its version")
                .isEqualTo((byte) 2);

        Res deleted = admin.delete(KEYS + "/" + id, null);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.body().path("key").path("id").asString()).isEqualTo(id);
        assertThat(admin.get(KEYS + "/" + id).status()).isEqualTo(404);
        assertThat(decrypt(admin, id, v1).status()).isEqualTo(404);
        assertThat(server.bean(JdbcClient.class)
                        .sql("SELECT COUNT(*) FROM kms_key_versions WHERE key_id = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .as("no material is left")
                .isZero();
        assertThat(admin.get(KEYS + "/not-a-uuid").status()).isEqualTo(404);

        // deleting the project deletes its keys and their material
        String kept = createKey(admin, project, "kept", null, null).path("id").asString();
        assertThat(admin.delete("/api/v1/workspace/" + project, null).status()).isEqualTo(200);
        assertThat(admin.get(KEYS + "/" + kept).status()).isEqualTo(404);
        assertThat(server.bean(JdbcClient.class)
                        .sql("SELECT COUNT(*) FROM kms_key_versions WHERE key_id = ?")
                        .param(kept)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void signingKeysSignAndVerifyWithEveryAlgorithmTheyList(Db db) throws Exception {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String project = kmsProject(admin);
        byte[] message = "a message to sign".getBytes(StandardCharsets.UTF_8);
        String data = Base64.getEncoder().encodeToString(message);

        Map<String, List<String>> expected = Map.of(
                "RSA_4096",
                List.of(
                        "RSASSA_PSS_SHA_512",
                        "RSASSA_PSS_SHA_384",
                        "RSASSA_PSS_SHA_256",
                        "RSASSA_PKCS1_V1_5_SHA_512",
                        "RSASSA_PKCS1_V1_5_SHA_384",
                        "RSASSA_PKCS1_V1_5_SHA_256"),
                "ECC_NIST_P256",
                List.of("ECDSA_SHA_512", "ECDSA_SHA_384", "ECDSA_SHA_256"));
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            JsonNode key =
                    createKey(admin, project, e.getKey().toLowerCase().replace('_', '-'), "sign-verify", e.getKey());
            String id = key.path("id").asString();
            assertThat(key.path("keyUsage").asString()).isEqualTo("sign-verify");
            Res algs = admin.get(KEYS + "/" + id + "/signing-algorithms");
            assertThat(algs.status()).as(algs.toString()).isEqualTo(200);
            assertThat(algs.body()
                            .path("signingAlgorithms")
                            .valueStream()
                            .map(JsonNode::asString)
                            .toList())
                    .containsExactlyElementsOf(e.getValue());
            Res pk = admin.get(KEYS + "/" + id + "/public-key");
            assertThat(pk.status()).as(pk.toString()).isEqualTo(200);
            PublicKey publicKey = KeyFactory.getInstance(e.getKey().startsWith("RSA") ? "RSA" : "EC")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder()
                            .decode(pk.body().path("publicKey").asString())));

            for (String alg : e.getValue()) {
                Res signed = admin.post(KEYS + "/" + id + "/sign", Map.of("data", data, "signingAlgorithm", alg));
                assertThat(signed.status()).as(signed.toString()).isEqualTo(200);
                assertThat(signed.body().path("keyId").asString()).isEqualTo(id);
                assertThat(signed.body().path("signingAlgorithm").asString()).isEqualTo(alg);
                String signature = signed.body().path("signature").asString();
                byte[] sig = Base64.getDecoder().decode(signature);
                assertThat(jdkVerifies(publicKey, alg, message, sig))
                        .as(alg + " checks out with the JDK")
                        .isTrue();
                assertThat(verify(admin, id, data, signature, alg, false)).isTrue();
                assertThat(verify(admin, id, b64("another message"), signature, alg, false))
                        .isFalse();

                // over a digest the caller made: the same signature scheme
                byte[] digest = MessageDigest.getInstance(hashOf(alg)).digest(message);
                String digestB64 = Base64.getEncoder().encodeToString(digest);
                Res overDigest = admin.post(
                        KEYS + "/" + id + "/sign",
                        Map.of("data", digestB64, "signingAlgorithm", alg, "isDigest", true));
                assertThat(overDigest.status()).as(overDigest.toString()).isEqualTo(200);
                byte[] digestSig = Base64.getDecoder()
                        .decode(overDigest.body().path("signature").asString());
                assertThat(jdkVerifies(publicKey, alg, message, digestSig))
                        .as(alg + " over a digest verifies as over the message")
                        .isTrue();
                assertThat(verify(admin, id, digestB64, signature, alg, true)).isTrue();
                assertThat(admin.post(
                                        KEYS + "/" + id + "/sign",
                                        Map.of("data", data, "signingAlgorithm", alg, "isDigest", true))
                                .status())
                        .as("a digest of the wrong length")
                        .isEqualTo(422);
            }
            assertThat(verify(admin, id, data, b64("garbage"), e.getValue().get(0), false))
                    .isFalse();
            String foreign = e.getKey().startsWith("RSA") ? "ECDSA_SHA_256" : "RSASSA_PSS_SHA_256";
            assertThat(admin.post(KEYS + "/" + id + "/sign", Map.of("data", data, "signingAlgorithm", foreign))
                            .status())
                    .isEqualTo(400);
            assertThat(admin.post(KEYS + "/" + id + "/encrypt", Map.of("plaintext", data))
                            .status())
                    .isEqualTo(400);
            assertThat(admin.post(KEYS + "/" + id + "/rotate", Map.of()).status())
                    .isEqualTo(400);
        }
        String aes = createKey(admin, project, "aes", null, null).path("id").asString();
        assertThat(admin.post(KEYS + "/" + aes + "/sign", Map.of("data", data, "signingAlgorithm", "ECDSA_SHA_256"))
                        .status())
                .isEqualTo(400);
        assertThat(admin.get(KEYS + "/" + aes + "/public-key").status()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void rolesDecideWhoMayUseKeysAndOtherOrganizationsSeeNothing(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures fx = new Fixtures(server);
        Api admin = server.admin();
        String project = kmsProject(admin);
        String id = createKey(admin, project, "shared", null, null).path("id").asString();
        String ct = encrypt(admin, id, b64("for operators"));

        Api operator = fx.identity(project, "kms-cryptographic-operator").api();
        assertThat(operator.post(KEYS + "/" + id + "/encrypt", Map.of("plaintext", b64("x")))
                        .status())
                .isEqualTo(200);
        assertThat(decrypt(operator, id, ct).status()).isEqualTo(200);
        assertThat(operator.get(KEYS + "/" + id).status()).isEqualTo(403);
        assertThat(operator.delete(KEYS + "/" + id, null).status()).isEqualTo(403);
        assertThat(operator.post(KEYS, Map.of("projectId", project, "name", "mine"))
                        .status())
                .isEqualTo(403);

        Api viewer = fx.identity(project, "viewer").api();
        assertThat(viewer.get(KEYS + "/" + id).status()).isEqualTo(200);
        assertThat(viewer.get(KEYS, "projectId", project).status()).isEqualTo(200);
        Res denied = viewer.post(KEYS + "/" + id + "/encrypt", Map.of("plaintext", b64("x")));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(decrypt(viewer, id, ct).status()).isEqualTo(403);
        assertThat(viewer.patch(KEYS + "/" + id, Map.of("isDisabled", true)).status())
                .isEqualTo(403);

        Api member = fx.identity(project, "member").api();
        assertThat(decrypt(member, id, ct).status()).isEqualTo(200);
        Api outsider = fx.identity(null, null).api();
        assertThat(outsider.get(KEYS + "/" + id).status()).isEqualTo(403);

        Api otherOrg = server.as(fx.otherOrgAdminToken());
        for (Res res : List.of(
                otherOrg.get(KEYS + "/" + id),
                decrypt(otherOrg, id, ct),
                otherOrg.post(KEYS + "/" + id + "/encrypt", Map.of("plaintext", b64("x"))),
                otherOrg.patch(KEYS + "/" + id, Map.of("isDisabled", true)),
                otherOrg.delete(KEYS + "/" + id, null),
                otherOrg.get(KEYS, "projectId", project),
                otherOrg.get(KEYS + "/key-name/shared", "projectId", project),
                otherOrg.post(KEYS, Map.of("projectId", project, "name", "theirs")))) {
            assertThat(res.status()).as(res.toString()).isEqualTo(404);
            assertThat(res.raw()).doesNotContain("shared");
        }
        assertThat(admin.get(KEYS + "/" + id)
                        .body()
                        .path("key")
                        .path("isDisabled")
                        .asBoolean())
                .isFalse();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void neitherTheAuditTrailNorTheDatabaseHoldsPlaintextOrKeyMaterial(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        String project = kmsProject(admin);
        String id = createKey(admin, project, "audited", null, null).path("id").asString();
        String plaintext = b64("the-plaintext-marker");
        String ct = encrypt(admin, id, plaintext);
        assertThat(decrypt(admin, id, ct).status()).isEqualTo(200);
        JsonNode signer = createKey(admin, project, "audited-signer", "sign-verify", "ECC_NIST_P256");
        Res signed = admin.post(
                KEYS + "/" + signer.path("id").asString() + "/sign",
                Map.of("data", plaintext, "signingAlgorithm", "ECDSA_SHA_256"));
        String signature = signed.body().path("signature").asString();

        JdbcClient jdbc = server.bean(JdbcClient.class);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(jdbc.sql("SELECT event_type FROM audit_logs WHERE project_id = ?")
                                .param(project)
                                .query(String.class)
                                .list())
                        .contains("create-cmek", "cmek-encrypt", "cmek-decrypt", "cmek-sign"));
        List<String> metadata = jdbc.sql(
                        "SELECT event_metadata FROM audit_logs WHERE project_id = ? AND event_type LIKE '%cmek%'")
                .param(project)
                .query(String.class)
                .list();
        assertThat(metadata)
                .allSatisfy(m -> assertThat(m)
                        .doesNotContain(plaintext, ct, signature, "the-plaintext-marker")
                        .contains(
                                m.contains("audited-signer") ? signer.path("id").asString() : id));

        List<String> sealed = jdbc.sql("SELECT sealed_material FROM kms_key_versions WHERE key_id = ?")
                .param(id)
                .query(String.class)
                .list();
        assertThat(sealed).hasSize(1);
        // the sealed form is the keyring's, bound to this key and version: it opens with the project key and its AAD
        String material = server.bean(dev.keyhaven.server.crypto.Keyring.class)
                .openForProject(project, sealed.get(0), "keyhaven:kms-key-material:v1:" + id + ":1");
        assertThat(Base64.getDecoder().decode(material)).hasSize(32);
        assertThat(sealed.get(0)).doesNotContain(material);
    }

    static boolean verify(Api api, String keyId, String data, String signature, String alg, boolean isDigest) {
        Res res = api.post(
                KEYS + "/" + keyId + "/verify",
                Map.of("data", data, "signature", signature, "signingAlgorithm", alg, "isDigest", isDigest));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.body().path("signingAlgorithm").asString()).isEqualTo(alg);
        return res.body().path("signatureValid").asBoolean();
    }

    static String hashOf(String alg) {
        return "SHA-" + alg.substring(alg.length() - 3);
    }

    /** The JDK's own check, independent of the server's code path. */
    static boolean jdkVerifies(PublicKey key, String alg, byte[] message, byte[] signature) throws Exception {
        String hash = hashOf(alg);
        String compact = hash.replace("-", "");
        Signature s;
        if (alg.startsWith("RSASSA_PSS")) {
            s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec(
                    hash,
                    "MGF1",
                    new MGF1ParameterSpec(hash),
                    Integer.parseInt(alg.substring(alg.length() - 3)) / 8,
                    1));
        } else if (alg.startsWith("RSASSA_PKCS1")) {
            s = Signature.getInstance(compact + "withRSA");
        } else {
            s = Signature.getInstance(compact + "withECDSA");
        }
        s.initVerify(key);
        s.update(message);
        return s.verify(signature);
    }
}
