package dev.keyhaven.server.secret;

import static dev.keyhaven.server.support.Fixtures.keys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bad input gets a clear 4xx with the Infisical error body and changes nothing: each test ends by
 * checking the project still holds exactly what it held before.
 */
class BadInputApiTest {

    private record Ctx(TestServer server, Api api, Fixtures f, String project) {
        void assertOnlySeed() {
            Res list =
                    api.get("/api/v3/secrets/raw", "workspaceId", project, "environment", "dev", "recursive", "true");
            assertThat(keys(list.body().path("secrets"))).containsExactly("SEED");
            assertThat(list.body().path("secrets").get(0).path("version").asInt())
                    .isEqualTo(1);
        }
    }

    private static Ctx ctx(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        f.createSecret(server.admin(), p, "dev", "/", "SEED", "seed");
        return new Ctx(server, server.admin(), f, p);
    }

    private static void assertErrorBody(Res res, int status) {
        assertThat(res.status()).as(res.toString()).isEqualTo(status);
        assertThat(res.body().path("reqId").asString()).startsWith("req-");
        assertThat(res.body().path("statusCode").asInt()).isEqualTo(status);
        assertThat(res.body().has("message")).isTrue();
        assertThat(res.body().path("error").isString()).isTrue();
        assertThat(res.raw()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void traversalInSecretPathIsRefused(Db db) {
        Ctx c = ctx(db);
        for (String path : List.of(
                "/../etc", "/a/./b", "/a/%2e%2e/b", "//a", "/a//b", "/a\u0000b", "/a\\b", "/a/..", "/%252e%252e")) {
            Res res = c.f().createSecret(c.api(), c.project(), "dev", path, "TRAVERSE", "x");
            assertErrorBody(res, 422);
            assertThat(res.body().path("error").asString()).isEqualTo("ValidationFailure");
            Res read = c.api()
                    .get("/api/v3/secrets/raw", "workspaceId", c.project(), "environment", "dev", "secretPath", path);
            assertThat(read.status()).as(path).isEqualTo(422);
        }
        c.assertOnlySeed();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void oversizedValuesAndBodiesAreRefused(Db db) {
        Ctx c = ctx(db);
        String big = "x".repeat(SecretRules.MAX_VALUE_BYTES + 1);
        assertErrorBody(c.f().createSecret(c.api(), c.project(), "dev", "/", "BIG", big), 413);
        String huge = "y".repeat(9 * 1024 * 1024);
        assertErrorBody(c.f().createSecret(c.api(), c.project(), "dev", "/", "HUGE", huge), 413);
        c.assertOnlySeed();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void invalidKeyNamesAreRefused(Db db) {
        Ctx c = ctx(db);
        for (String key : List.of("BAD KEY", "a$b", "K".repeat(257), "quote\"key", "semi;colon")) {
            Res res = c.api()
                    .post(
                            "/api/v3/secrets/raw/"
                                    + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8)
                                            .replace("+", "%20"),
                            Map.of("workspaceId", c.project(), "environment", "dev", "secretValue", "x"));
            assertThat(res.status()).as(key + " -> " + res).isIn(400, 404, 422);
        }
        Res batch = c.api()
                .post(
                        "/api/v3/secrets/batch/raw",
                        Map.of(
                                "workspaceId",
                                c.project(),
                                "environment",
                                "dev",
                                "secrets",
                                List.of(
                                        Map.of("secretKey", "GOOD", "secretValue", "1"),
                                        Map.of("secretKey", "NOT GOOD", "secretValue", "2"))));
        assertErrorBody(batch, 422);
        assertThat(batch.raw()).contains("secrets").contains("secretKey");
        c.assertOnlySeed();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void unknownProjectEnvironmentAndFolderAre404(Db db) {
        Ctx c = ctx(db);
        assertErrorBody(
                c.api().get("/api/v3/secrets/raw", "workspaceId", UUID.randomUUID(), "environment", "dev"), 404);
        assertErrorBody(c.api().get("/api/v3/secrets/raw", "workspaceId", "not-a-uuid", "environment", "dev"), 404);
        assertErrorBody(c.api().get("/api/v3/secrets/raw", "workspaceId", c.project(), "environment", "nope"), 404);
        assertErrorBody(
                c.api()
                        .get(
                                "/api/v3/secrets/raw",
                                "workspaceId",
                                c.project(),
                                "environment",
                                "dev",
                                "secretPath",
                                "/missing"),
                404);
        assertErrorBody(c.f().createSecret(c.api(), c.project(), "dev", "/missing", "K", "v"), 404);
        assertErrorBody(c.api().get("/api/v3/secrets/raw/NOPE", "workspaceId", c.project(), "environment", "dev"), 404);
        assertErrorBody(c.api().get("/api/v3/secrets/raw"), 400);
        assertErrorBody(c.api().get("/api/v9/nothing"), 404);
        c.assertOnlySeed();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void malformedJsonIs400AndWrongTypesAre422NamingTheField(Db db) {
        Ctx c = ctx(db);
        assertErrorBody(
                c.api().raw("POST", "/api/v3/secrets/raw/MALFORMED", "{\"workspaceId\": ", "application/json"), 400);
        Res wrongType = c.api()
                .post(
                        "/api/v3/secrets/raw/TYPED",
                        Map.of("workspaceId", c.project(), "environment", "dev", "secretValue", 12345));
        assertErrorBody(wrongType, 422);
        assertThat(wrongType.body().path("message").get(0).path("path").get(0).asString())
                .isEqualTo("secretValue");
        Res notArray = c.api()
                .post(
                        "/api/v3/secrets/batch/raw",
                        Map.of("workspaceId", c.project(), "environment", "dev", "secrets", "nope"));
        assertErrorBody(notArray, 422);
        Res badFlag = c.api()
                .get(
                        "/api/v3/secrets/raw",
                        "workspaceId",
                        c.project(),
                        "environment",
                        "dev",
                        "expandSecretReferences",
                        "yes");
        assertErrorBody(badFlag, 422);
        Res badBool = c.api()
                .post(
                        "/api/v3/secrets/raw/TYPED",
                        Map.of(
                                "workspaceId",
                                c.project(),
                                "environment",
                                "dev",
                                "secretValue",
                                "v",
                                "skipMultilineEncoding",
                                "true"));
        assertErrorBody(badBool, 422);
        c.assertOnlySeed();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void missingMalformedRevokedAndForeignTokensAreRefused(Db db) {
        Ctx c = ctx(db);
        Api anon = c.server().anonymous();
        Res missing = anon.get("/api/v3/secrets/raw", "workspaceId", c.project(), "environment", "dev");
        assertErrorBody(missing, 401);
        assertThat(missing.body().path("message").asString()).isEqualTo("Token missing");
        assertErrorBody(c.server().as("garbage").get("/api/v1/workspace"), 403);
        assertErrorBody(c.server().as("st.legacy.service.token").get("/api/v1/workspace"), 403);
        Fixtures.Machine m = c.f().identity(c.project(), "admin");
        assertThat(anon.post("/api/v1/auth/token/revoke", Map.of("accessToken", m.token()))
                        .status())
                .isEqualTo(200);
        Res revoked = m.api()
                .post(
                        "/api/v3/secrets/raw/REVOKED",
                        Map.of("workspaceId", c.project(), "environment", "dev", "secretValue", "x"));
        assertErrorBody(revoked, 403);
        assertThat(revoked.body().path("error").asString()).isEqualTo("TokenError");
        Api foreign = c.server().as(c.f().otherOrgAdminToken());
        assertThat(c.f().createSecret(foreign, c.project(), "dev", "/", "FOREIGN", "x")
                        .status())
                .isIn(403, 404);
        c.assertOnlySeed();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aCreateWithoutSecretValueIsRefusedNamingTheField(Db db) {
        Ctx c = ctx(db);
        Map<String, Object> body = Map.of("workspaceId", c.project(), "environment", "dev");
        for (Res res : List.of(
                c.api().post("/api/v3/secrets/raw/EMPTY", body),
                c.api().post("/api/v4/secrets/EMPTY", Map.of("projectId", c.project(), "environment", "dev")))) {
            assertErrorBody(res, 422);
            assertThat(res.body().path("error").asString()).isEqualTo("ValidationFailure");
            assertThat(res.raw()).contains("secretValue");
        }
        Res batch = c.api()
                .post(
                        "/api/v3/secrets/batch/raw",
                        Map.of(
                                "workspaceId",
                                c.project(),
                                "environment",
                                "dev",
                                "secrets",
                                List.of(Map.of("secretKey", "OK", "secretValue", "v"), Map.of("secretKey", "EMPTY"))));
        assertErrorBody(batch, 422);
        assertThat(batch.raw()).contains("secretValue");
        // an empty value is still a value
        Res empty = c.api()
                .post(
                        "/api/v3/secrets/raw/EMPTY",
                        Map.of("workspaceId", c.project(), "environment", "dev", "secretValue", ""));
        assertThat(empty.status()).as(empty.toString()).isEqualTo(200);
        c.api().delete("/api/v3/secrets/raw/EMPTY", Map.of("workspaceId", c.project(), "environment", "dev"));
        c.assertOnlySeed();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aValueWithTooManyReferencesIsRefusedNamingTheLimit(Db db) {
        Ctx c = ctx(db);
        String refs = "${SEED}".repeat(101);
        Res created = c.f().createSecret(c.api(), c.project(), "dev", "/", "MANY", refs);
        assertErrorBody(created, 422);
        assertThat(created.body().path("error").asString()).isEqualTo("ReferenceLimitExceeded");
        assertThat(created.body().path("message").asString())
                .contains("KEYHAVEN_REFERENCES_MAX_PER_VALUE")
                .contains("101");
        Res updated = c.api()
                .patch(
                        "/api/v3/secrets/raw/SEED",
                        Map.of("workspaceId", c.project(), "environment", "dev", "secretValue", refs));
        assertErrorBody(updated, 422);
        c.assertOnlySeed();
        assertThat(c.f().createSecret(c.api(), c.project(), "dev", "/", "HUNDRED", "${SEED}".repeat(100))
                        .status())
                .isEqualTo(200);
    }
}
