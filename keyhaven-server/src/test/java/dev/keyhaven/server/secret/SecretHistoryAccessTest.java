package dev.keyhaven.server.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Older versions of a secret are read only as far as the secret as it is now may be read: a
 * rename into a denied name, or a tag added after creation that a deny rule names, closes its
 * history too (the most restrictive of the two wins).
 */
class SecretHistoryAccessTest {

    private static final Map<String, Object> READ_ALL =
            Map.of("subject", "secrets", "action", List.of("describeSecret", "readValue"));

    private static Api readerWith(Fixtures f, TestServer server, String p, String slug, Map<String, Object> deny) {
        Res role = server.admin()
                .post(
                        "/api/v2/workspace/" + p + "/roles",
                        Map.of("slug", slug, "name", slug, "permissions", List.of(READ_ALL, deny)));
        assertThat(role.status()).as(role.toString()).isEqualTo(200);
        return f.identity(p, slug).api();
    }

    private static Res readVersion(Api api, String p, String name, int version) {
        return api.get(
                "/api/v3/secrets/raw/" + name,
                "workspaceId",
                p,
                "environment",
                "dev",
                "version",
                String.valueOf(version));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void renamingIntoADeniedNameClosesTheHistory(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        f.createSecret(admin, p, "dev", "/", "PLAIN", "old-value");
        Api reader = readerWith(
                f,
                server,
                p,
                "no-root",
                Map.of(
                        "subject",
                        "secrets",
                        "inverted",
                        true,
                        "action",
                        List.of("describeSecret", "readValue"),
                        "conditions",
                        Map.of("secretName", Map.of("$glob", "DB_ROOT_*"))));
        assertThat(readVersion(reader, p, "PLAIN", 1).status()).isEqualTo(200);

        Res renamed = admin.patch(
                "/api/v3/secrets/raw/PLAIN",
                Map.of(
                        "workspaceId",
                        p,
                        "environment",
                        "dev",
                        "newSecretName",
                        "DB_ROOT_PASSWORD",
                        "secretValue",
                        "new-value"));
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);

        Res old = readVersion(reader, p, "DB_ROOT_PASSWORD", 1);
        assertThat(old.status()).as(old.toString()).isEqualTo(403);
        assertThat(old.raw()).doesNotContain("old-value");
        assertThat(readVersion(reader, p, "DB_ROOT_PASSWORD", 2).status()).isEqualTo(403);
        // the admin still reads the whole history
        assertThat(readVersion(admin, p, "DB_ROOT_PASSWORD", 1)
                        .body()
                        .path("secret")
                        .path("secretValue")
                        .asString())
                .isEqualTo("old-value");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aTagAddedLaterClosesTheHistory(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        Api admin = server.admin();
        String p = f.project();
        f.createSecret(admin, p, "dev", "/", "API_KEY", "untagged-value");
        f.createSecret(admin, p, "dev", "/", "SHOWN_KEY", "shown-untagged-value");
        Res tag = admin.post("/api/v1/workspace/" + p + "/tags", Map.of("slug", "restricted", "name", "restricted"));
        assertThat(tag.status()).as(tag.toString()).isEqualTo(200);
        String tagId = tag.body().path("workspaceTag").path("id").asString();
        Api hidden = readerWith(
                f,
                server,
                p,
                "no-restricted",
                Map.of(
                        "subject",
                        "secrets",
                        "inverted",
                        true,
                        "action",
                        List.of("describeSecret", "readValue"),
                        "conditions",
                        Map.of("secretTags", Map.of("$in", List.of("restricted")))));
        Api masked = readerWith(
                f,
                server,
                p,
                "no-restricted-values",
                Map.of(
                        "subject",
                        "secrets",
                        "inverted",
                        true,
                        "action",
                        "readValue",
                        "conditions",
                        Map.of("secretTags", Map.of("$in", List.of("restricted")))));

        for (String key : List.of("API_KEY", "SHOWN_KEY")) {
            Res tagged = admin.patch(
                    "/api/v3/secrets/raw/" + key,
                    Map.of("workspaceId", p, "environment", "dev", "tagIds", List.of(tagId)));
            assertThat(tagged.status()).as(tagged.toString()).isEqualTo(200);
        }

        Res old = readVersion(hidden, p, "API_KEY", 1);
        assertThat(old.status()).as(old.toString()).isEqualTo(403);
        assertThat(old.raw()).doesNotContain("untagged-value");

        Res maskedOld = readVersion(masked, p, "SHOWN_KEY", 1);
        assertThat(maskedOld.status()).as(maskedOld.toString()).isEqualTo(200);
        assertThat(maskedOld.body().path("secret").path("secretValueHidden").asBoolean())
                .isTrue();
        assertThat(maskedOld.raw()).doesNotContain("shown-untagged-value");
    }
}
