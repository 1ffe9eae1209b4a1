package dev.keyhaven.server.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * References are bounded per request: a three-level fan-out that would expand to megabytes is
 * refused with a 422 naming the limit, on every route that expands or walks references, and a
 * reference cycle is refused without naming the secrets the writer may not read.
 */
class ReferenceLimitsApiTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void aThreeLevelFanOutOfAHundredReferencesIsRefused(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        createLevel(admin, p, "L3_", i -> "leaf-value-" + i);
        createLevel(admin, p, "L2_", i -> refsTo("L3_"));
        createLevel(admin, p, "L1_", i -> refsTo("L2_"));
        assertThat(f.createSecret(admin, p, "dev", "/", "TOP", refsTo("L1_")).status())
                .isEqualTo(200);

        Res one = admin.get(
                "/api/v3/secrets/raw/TOP", "workspaceId", p, "environment", "dev", "expandSecretReferences", "true");
        assertRefused(one);
        Res list = admin.get("/api/v4/secrets", "projectId", p, "environment", "dev", "expandSecretReferences", "true");
        assertRefused(list);
        Res tree = admin.get("/api/v4/secrets/TOP/secret-reference-tree", "projectId", p, "environment", "dev");
        assertRefused(tree);

        // unexpanded, and one level down (100 x 100 leaves), it is served
        Res raw = admin.get("/api/v3/secrets/raw/TOP", "workspaceId", p, "environment", "dev");
        assertThat(raw.body().path("secret").path("secretValue").asString()).isEqualTo(refsTo("L1_"));
        Res level1 = admin.get(
                "/api/v3/secrets/raw/L1_0", "workspaceId", p, "environment", "dev", "expandSecretReferences", "true");
        assertThat(level1.status()).as(level1.toString()).isEqualTo(200);
        assertThat(level1.body().path("secret").path("secretValue").asString()).startsWith("leaf-value-0leaf-value-1");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aCycleIsRefusedWithoutNamingSecretsTheWriterMayNotRead(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        f.createSecret(admin, p, "dev", "/", "HIDDEN_LINK", "${PUBLIC_LINK}");
        f.createSecret(admin, p, "dev", "/", "PUBLIC_LINK", "${C}");
        f.createSecret(admin, p, "dev", "/", "C", "plain");
        Res role = admin.post(
                "/api/v2/workspace/" + p + "/roles",
                Map.of(
                        "slug",
                        "no-hidden",
                        "name",
                        "no-hidden",
                        "permissions",
                        List.of(
                                Map.of(
                                        "subject",
                                        "secrets",
                                        "action",
                                        List.of("describeSecret", "readValue", "create", "edit", "delete")),
                                Map.of(
                                        "subject",
                                        "secrets",
                                        "action",
                                        "readValue",
                                        "inverted",
                                        true,
                                        "conditions",
                                        Map.of("secretName", Map.of("$glob", "HIDDEN_*"))))));
        assertThat(role.status()).as(role.toString()).isEqualTo(200);
        Api writer = f.identity(p, "no-hidden").api();

        Res cycle = writer.patch(
                "/api/v3/secrets/raw/C",
                Map.of("workspaceId", p, "environment", "dev", "secretValue", "${HIDDEN_LINK}"));

        assertThat(cycle.status()).as(cycle.toString()).isEqualTo(400);
        String message = cycle.body().path("message").asString();
        assertThat(message)
                .contains("cycle")
                .contains("dev:/:C")
                .contains("dev:/:PUBLIC_LINK")
                .contains("(a secret you may not read)");
        assertThat(cycle.raw()).doesNotContain("HIDDEN_LINK");
        // the admin, who may read it, is told the whole cycle
        Res adminCycle = admin.patch(
                "/api/v3/secrets/raw/C",
                Map.of("workspaceId", p, "environment", "dev", "secretValue", "${HIDDEN_LINK}"));
        assertThat(adminCycle.body().path("message").asString())
                .contains("dev:/:C -> dev:/:HIDDEN_LINK -> dev:/:PUBLIC_LINK -> dev:/:C");
        assertThat(admin.get("/api/v3/secrets/raw/C", "workspaceId", p, "environment", "dev")
                        .body()
                        .path("secret")
                        .path("secretValue")
                        .asString())
                .isEqualTo("plain");
    }

    private static void assertRefused(Res res) {
        assertThat(res.status()).as(res.toString()).isEqualTo(422);
        assertThat(res.body().path("error").asString()).isEqualTo("ReferenceLimitExceeded");
        assertThat(res.body().path("message").asString()).contains("KEYHAVEN_REFERENCES_");
        assertThat(res.raw()).doesNotContain("leaf-value");
    }

    private static void createLevel(Api admin, String p, String prefix, java.util.function.IntFunction<String> value) {
        List<Object> secrets = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            secrets.add(Map.of("secretKey", prefix + i, "secretValue", value.apply(i)));
        }
        Res res = admin.post(
                "/api/v3/secrets/batch/raw", Map.of("workspaceId", p, "environment", "dev", "secrets", secrets));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
    }

    private static String refsTo(String prefix) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            out.append("${").append(prefix).append(i).append('}');
        }
        return out.toString();
    }
}
