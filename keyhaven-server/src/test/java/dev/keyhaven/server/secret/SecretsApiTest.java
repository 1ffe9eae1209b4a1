package dev.keyhaven.server.secret;

import static dev.keyhaven.server.support.Fixtures.byKey;
import static dev.keyhaven.server.support.Fixtures.keys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The secrets API end to end, on SQLite and on PostgreSQL. */
class SecretsApiTest {

    private static Api admin(Db db) {
        return TestServers.shared(db).admin();
    }

    private static Fixtures fixtures(Db db) {
        return new Fixtures(TestServers.shared(db));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void createReadUpdateDeleteKeepsEveryVersion(Db db) {
        Fixtures f = fixtures(db);
        Api api = admin(db);
        String p = f.project();
        Res created = api.post(
                "/api/v3/secrets/raw/DB_URL",
                Map.of(
                        "workspaceId",
                        p,
                        "environment",
                        "dev",
                        "secretValue",
                        "postgres://one",
                        "secretComment",
                        "primary"));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(created.body().path("secret").path("version").asInt()).isEqualTo(1);
        assertThat(created.body().path("secret").path("_id").asString())
                .isEqualTo(created.body().path("secret").path("id").asString());

        Res updated = api.patch(
                "/api/v3/secrets/raw/DB_URL",
                Map.of("workspaceId", p, "environment", "dev", "secretValue", "postgres://two"));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.body().path("secret").path("version").asInt()).isEqualTo(2);
        assertThat(updated.body().path("secret").path("secretComment").asString())
                .isEqualTo("primary");

        Res latest = api.get("/api/v3/secrets/raw/DB_URL", "workspaceId", p, "environment", "dev");
        assertThat(latest.body().path("secret").path("secretValue").asString()).isEqualTo("postgres://two");
        assertThat(latest.body().path("secret").path("workspace").asString()).isEqualTo(p);
        Res first = api.get("/api/v3/secrets/raw/DB_URL", "workspaceId", p, "environment", "dev", "version", "1");
        assertThat(first.body().path("secret").path("secretValue").asString()).isEqualTo("postgres://one");
        assertThat(first.body().path("secret").path("version").asInt()).isEqualTo(1);

        Res deleted = api.delete("/api/v3/secrets/raw/DB_URL", Map.of("workspaceId", p, "environment", "dev"));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(api.get("/api/v3/secrets/raw/DB_URL", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void valuesAreTrimmedKeepingOneFinalNewline(Db db) {
        Fixtures f = fixtures(db);
        String p = f.project();
        f.createSecret(admin(db), p, "dev", "/", "PEM", "  line1\nline2\n");
        Res got = admin(db).get("/api/v3/secrets/raw/PEM", "workspaceId", p, "environment", "dev");
        assertThat(got.body().path("secret").path("secretValue").asString()).isEqualTo("line1\nline2\n");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void listShowsFolderSecretsAndRecursiveShowsTheSubtree(Db db) {
        Fixtures f = fixtures(db);
        Api api = admin(db);
        String p = f.project();
        f.folder(p, "dev", "/", "backend");
        f.folder(p, "dev", "/backend", "db");
        f.createSecret(api, p, "dev", "/", "ROOT_KEY", "r");
        f.createSecret(api, p, "dev", "/backend", "API_KEY", "a");
        f.createSecret(api, p, "dev", "/backend/db", "DB_PASS", "d");

        Res flat = api.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev", "secretPath", "/backend/");
        assertThat(keys(flat.body().path("secrets"))).containsExactly("API_KEY");
        assertThat(flat.body().has("imports")).isFalse();

        Res deep = api.get(
                "/api/v3/secrets/raw",
                "workspaceId",
                p,
                "environment",
                "dev",
                "secretPath",
                "/backend",
                "recursive",
                "true");
        assertThat(keys(deep.body().path("secrets"))).containsExactlyInAnyOrder("API_KEY", "DB_PASS");
        assertThat(byKey(deep.body().path("secrets"), "DB_PASS")
                        .path("secretPath")
                        .asString())
                .isEqualTo("/backend/db");

        Res v4 = api.get("/api/v4/secrets", "projectId", p, "environment", "dev", "secretPath", "/backend");
        assertThat(keys(v4.body().path("secrets"))).containsExactly("API_KEY");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void referencesExpandAcrossFoldersAndEnvironments(Db db) {
        Fixtures f = fixtures(db);
        Api api = admin(db);
        String p = f.project();
        f.folder(p, "prod", "/", "shared");
        f.createSecret(api, p, "prod", "/shared", "HOST", "db.internal");
        f.createSecret(api, p, "dev", "/", "USER", "app");
        f.createSecret(api, p, "dev", "/", "URL", "postgres://${USER}@${prod.shared.HOST}/${MISSING}");

        Res expanded = api.get(
                "/api/v3/secrets/raw/URL", "workspaceId", p, "environment", "dev", "expandSecretReferences", "true");
        assertThat(expanded.body().path("secret").path("secretValue").asString())
                .isEqualTo("postgres://app@db.internal/${MISSING}");
        Res raw = api.get("/api/v3/secrets/raw/URL", "workspaceId", p, "environment", "dev");
        assertThat(raw.body().path("secret").path("secretValue").asString()).contains("${USER}");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aReferenceCycleIsRefusedAndChangesNothing(Db db) {
        Fixtures f = fixtures(db);
        Api api = admin(db);
        String p = f.project();
        f.createSecret(api, p, "dev", "/", "A", "${B}");
        f.createSecret(api, p, "dev", "/", "B", "plain");
        Res cycle = api.patch(
                "/api/v3/secrets/raw/B", Map.of("workspaceId", p, "environment", "dev", "secretValue", "${A}"));
        assertThat(cycle.status()).as(cycle.toString()).isEqualTo(400);
        assertThat(cycle.body().path("message").asString()).contains("cycle");
        Res b = api.get("/api/v3/secrets/raw/B", "workspaceId", p, "environment", "dev");
        assertThat(b.body().path("secret").path("secretValue").asString()).isEqualTo("plain");
        assertThat(b.body().path("secret").path("version").asInt()).isEqualTo(1);
        Res self = f.createSecret(api, p, "dev", "/", "SELF", "x${SELF}");
        assertThat(self.status()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void importsAreListedInPositionOrderAndUsedForMissingKeys(Db db) {
        Fixtures f = fixtures(db);
        Api api = admin(db);
        String p = f.project();
        f.folder(p, "dev", "/", "common");
        f.createSecret(api, p, "dev", "/common", "LOG_LEVEL", "debug");
        f.createSecret(api, p, "staging", "/", "REGION", "eu");
        Res i1 = api.post(
                "/api/v1/secret-imports",
                Map.of(
                        "workspaceId",
                        p,
                        "environment",
                        "dev",
                        "path",
                        "/",
                        "import",
                        Map.of("environment", "dev", "path", "/common")));
        assertThat(i1.status()).as(i1.toString()).isEqualTo(200);
        Res i2 = api.post(
                "/api/v1/secret-imports",
                Map.of(
                        "workspaceId",
                        p,
                        "environment",
                        "dev",
                        "path",
                        "/",
                        "import",
                        Map.of("environment", "staging", "path", "/")));
        assertThat(i2.body().path("secretImport").path("position").asInt()).isEqualTo(2);

        Res list = api.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev", "include_imports", "true");
        assertThat(list.body().path("imports").size()).isEqualTo(2);
        assertThat(list.body().path("imports").get(0).path("secretPath").asString())
                .isEqualTo("/common");
        assertThat(keys(list.body().path("imports").get(1).path("secrets"))).containsExactly("REGION");

        Res viaImport = api.get(
                "/api/v3/secrets/raw/LOG_LEVEL", "workspaceId", p, "environment", "dev", "include_imports", "true");
        assertThat(viaImport.body().path("secret").path("secretValue").asString())
                .isEqualTo("debug");
        assertThat(api.get("/api/v3/secrets/raw/LOG_LEVEL", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(404);

        Res imports = api.get("/api/v1/secret-imports", "workspaceId", p, "environment", "dev", "path", "/");
        assertThat(imports.body().path("secretImports").size()).isEqualTo(2);
        assertThat(imports.body()
                        .path("secretImports")
                        .get(1)
                        .path("importEnv")
                        .path("slug")
                        .asString())
                .isEqualTo("staging");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anImportCycleIsRefusedWhenCreated(Db db) {
        Fixtures f = fixtures(db);
        Api api = admin(db);
        String p = f.project();
        assertThat(api.post(
                                "/api/v1/secret-imports",
                                Map.of(
                                        "workspaceId",
                                        p,
                                        "environment",
                                        "dev",
                                        "path",
                                        "/",
                                        "import",
                                        Map.of("environment", "staging", "path", "/")))
                        .status())
                .isEqualTo(200);
        assertThat(api.post(
                                "/api/v1/secret-imports",
                                Map.of(
                                        "workspaceId",
                                        p,
                                        "environment",
                                        "staging",
                                        "path",
                                        "/",
                                        "import",
                                        Map.of("environment", "prod", "path", "/")))
                        .status())
                .isEqualTo(200);
        Res cycle = api.post(
                "/api/v1/secret-imports",
                Map.of(
                        "workspaceId",
                        p,
                        "environment",
                        "prod",
                        "path",
                        "/",
                        "import",
                        Map.of("environment", "dev", "path", "/")));
        assertThat(cycle.status()).as(cycle.toString()).isEqualTo(400);
        assertThat(api.get("/api/v1/secret-imports", "workspaceId", p, "environment", "prod", "path", "/")
                        .body()
                        .path("secretImports")
                        .size())
                .isZero();
        Res self = api.post(
                "/api/v1/secret-imports",
                Map.of(
                        "workspaceId",
                        p,
                        "environment",
                        "dev",
                        "path",
                        "/",
                        "import",
                        Map.of("environment", "dev", "path", "/")));
        assertThat(self.status()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aStaleWriteIsRefusedWith409AndChangesNothing(Db db) {
        Fixtures f = fixtures(db);
        Api api = admin(db);
        String p = f.project();
        f.createSecret(api, p, "dev", "/", "TOKEN", "v1");
        api.patch("/api/v3/secrets/raw/TOKEN", Map.of("workspaceId", p, "environment", "dev", "secretValue", "v2"));
        Res stale = api.patch(
                "/api/v3/secrets/raw/TOKEN",
                Map.of("workspaceId", p, "environment", "dev", "secretValue", "v3", "expectedVersion", 1));
        assertThat(stale.status()).as(stale.toString()).isEqualTo(409);
        Res staleBatch = api.patch(
                "/api/v3/secrets/batch/raw",
                Map.of(
                        "workspaceId",
                        p,
                        "environment",
                        "dev",
                        "secrets",
                        List.of(Map.of("secretKey", "TOKEN", "secretValue", "v3", "expectedVersion", 1))));
        assertThat(staleBatch.status()).isEqualTo(409);
        Res staleDelete = api.delete(
                "/api/v3/secrets/raw/TOKEN", Map.of("workspaceId", p, "environment", "dev", "expectedVersion", 1));
        assertThat(staleDelete.status()).isEqualTo(409);
        Res now = api.get("/api/v3/secrets/raw/TOKEN", "workspaceId", p, "environment", "dev");
        assertThat(now.body().path("secret").path("secretValue").asString()).isEqualTo("v2");
        Res fresh = api.patch(
                "/api/v3/secrets/raw/TOKEN",
                Map.of("workspaceId", p, "environment", "dev", "secretValue", "v3", "expectedVersion", 2));
        assertThat(fresh.status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aBatchIsAllOrNothing(Db db) {
        Fixtures f = fixtures(db);
        Api api = admin(db);
        String p = f.project();
        f.createSecret(api, p, "dev", "/", "EXISTING", "x");
        Res bad = api.post(
                "/api/v3/secrets/batch/raw",
                Map.of(
                        "workspaceId",
                        p,
                        "environment",
                        "dev",
                        "secrets",
                        List.of(
                                Map.of("secretKey", "NEW_ONE", "secretValue", "1"),
                                Map.of("secretKey", "EXISTING", "secretValue", "2"))));
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(api.get("/api/v3/secrets/raw/NEW_ONE", "workspaceId", p, "environment", "dev")
                        .status())
                .isEqualTo(404);

        Res good = api.post(
                "/api/v3/secrets/batch/raw",
                Map.of(
                        "workspaceId",
                        p,
                        "environment",
                        "dev",
                        "secrets",
                        List.of(
                                Map.of("secretKey", "K1", "secretValue", "1"),
                                Map.of("secretKey", "K2", "secretValue", "2"))));
        assertThat(good.status()).isEqualTo(200);
        assertThat(keys(good.body().path("secrets"))).containsExactly("K1", "K2");

        Res upsert = api.patch(
                "/api/v4/secrets/batch",
                Map.of(
                        "projectId",
                        p,
                        "environment",
                        "dev",
                        "mode",
                        "upsert",
                        "secrets",
                        List.of(
                                Map.of("secretKey", "K1", "secretValue", "one"),
                                Map.of("secretKey", "K3", "secretValue", "3"))));
        assertThat(upsert.status()).as(upsert.toString()).isEqualTo(200);
        Res removed = api.delete(
                "/api/v3/secrets/batch/raw",
                Map.of(
                        "workspaceId",
                        p,
                        "environment",
                        "dev",
                        "secrets",
                        List.of(Map.of("secretKey", "K1"), Map.of("secretKey", "K2"), Map.of("secretKey", "K3"))));
        assertThat(removed.status()).isEqualTo(200);
        assertThat(keys(api.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .body()
                        .path("secrets")))
                .containsExactly("EXISTING");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void tagsAndMetadataRoundTripAndFilter(Db db) {
        Fixtures f = fixtures(db);
        Api api = admin(db);
        String p = f.project();
        Res tag = api.post("/api/v1/workspace/" + p + "/tags", Map.of("slug", "payments", "color", "#ff0000"));
        assertThat(tag.status()).as(tag.toString()).isEqualTo(200);
        String tagId = tag.body().path("workspaceTag").path("id").asString();
        Res s = api.post(
                "/api/v3/secrets/raw/STRIPE",
                Map.of(
                        "workspaceId",
                        p,
                        "environment",
                        "dev",
                        "secretValue",
                        "sk",
                        "tagIds",
                        List.of(tagId),
                        "secretMetadata",
                        List.of(
                                Map.of("key", "owner", "value", "team-a"),
                                Map.of("key", "rotation", "value", "manual", "isEncrypted", true))));
        assertThat(s.status()).as(s.toString()).isEqualTo(200);
        f.createSecret(api, p, "dev", "/", "OTHER", "o");
        Res filtered = api.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev", "tagSlugs", "payments");
        assertThat(keys(filtered.body().path("secrets"))).containsExactly("STRIPE");
        var secret = filtered.body().path("secrets").get(0);
        assertThat(secret.path("tags").get(0).path("slug").asString()).isEqualTo("payments");
        assertThat(secret.path("secretMetadata").size()).isEqualTo(2);
        Res byMeta = api.get(
                "/api/v3/secrets/raw",
                "workspaceId",
                p,
                "environment",
                "dev",
                "metadataFilter",
                "key=owner,value=team-a");
        assertThat(keys(byMeta.body().path("secrets"))).containsExactly("STRIPE");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyGetHasAStrongEtagAndAnswers304(Db db) {
        Fixtures f = fixtures(db);
        Api api = admin(db);
        String p = f.project();
        f.createSecret(api, p, "dev", "/", "E", "1");
        String path = "/api/v3/secrets/raw" + Api.query("workspaceId", p, "environment", "dev");
        Res first = api.get(path);
        String etag = first.header("etag");
        assertThat(etag).startsWith("\"").doesNotStartWith("W/");
        Res again = api.getWithHeaders(path, Map.of("If-None-Match", etag));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.raw()).isEmpty();
        api.patch("/api/v3/secrets/raw/E", Map.of("workspaceId", p, "environment", "dev", "secretValue", "2"));
        assertThat(api.getWithHeaders(path, Map.of("If-None-Match", etag)).status())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void getAcceptsAJsonBodyAndTrailingSlashes(Db db) {
        Fixtures f = fixtures(db);
        Api api = admin(db);
        String p = f.project();
        f.createSecret(api, p, "dev", "/", "BODY_KEY", "b");
        Res res = api.send("GET", "/api/v3/secrets/raw/", Map.of("workspaceId", p, "environment", "dev"), Map.of());
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(keys(res.body().path("secrets"))).containsExactly("BODY_KEY");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void foldersAcceptDirectoryAsAliasAndListRecursively(Db db) {
        Fixtures f = fixtures(db);
        Api api = admin(db);
        String p = f.project();
        Res a = api.post(
                "/api/v1/folders", Map.of("workspaceId", p, "environment", "dev", "directory", "/", "name", "a"));
        assertThat(a.status()).as(a.toString()).isEqualTo(200);
        api.post("/api/v1/folders", Map.of("workspaceId", p, "environment", "dev", "path", "/a", "name", "b"));
        Res list = api.get("/api/v1/folders", "workspaceId", p, "environment", "dev", "directory", "/a");
        assertThat(list.body().path("folders").get(0).path("name").asString()).isEqualTo("b");
        Res all = api.get("/api/v1/folders", "workspaceId", p, "environment", "dev", "recursive", "true");
        assertThat(all.body().path("folders").size()).isEqualTo(2);
        String aId = a.body().path("folder").path("id").asString();
        Res renamed =
                api.patch("/api/v1/folders/" + aId, Map.of("workspaceId", p, "environment", "dev", "name", "alpha"));
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        Res moved = api.get("/api/v1/folders", "workspaceId", p, "environment", "dev", "path", "/alpha");
        assertThat(moved.body().path("folders").get(0).path("name").asString()).isEqualTo("b");
        Res one = api.get("/api/v1/folders/" + aId);
        assertThat(one.body().path("folder").path("path").asString()).isEqualTo("/alpha");
        Res del = api.delete("/api/v1/folders/alpha", Map.of("workspaceId", p, "environment", "dev", "path", "/"));
        assertThat(del.status()).as(del.toString()).isEqualTo(200);
        assertThat(api.get("/api/v1/folders", "workspaceId", p, "environment", "dev", "recursive", "true")
                        .body()
                        .path("folders")
                        .size())
                .isZero();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void moveTakesSecretsToAnotherFolderWithoutOverwritingByDefault(Db db) {
        Fixtures f = fixtures(db);
        Api api = admin(db);
        String p = f.project();
        f.folder(p, "staging", "/", "target");
        String a = f.createSecret(api, p, "dev", "/", "MOVE_A", "a")
                .body()
                .path("secret")
                .path("id")
                .asString();
        String b = f.createSecret(api, p, "dev", "/", "MOVE_B", "b")
                .body()
                .path("secret")
                .path("id")
                .asString();
        f.createSecret(api, p, "staging", "/target", "MOVE_B", "already-there");

        Res moved = api.post(
                "/api/v4/secrets/move",
                Map.of(
                        "projectId",
                        p,
                        "sourceEnvironment",
                        "dev",
                        "sourceSecretPath",
                        "/",
                        "destinationEnvironment",
                        "staging",
                        "destinationSecretPath",
                        "/target",
                        "secretIds",
                        List.of(a, b)));

        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.body().path("isSourceUpdated").asBoolean()).isTrue();
        assertThat(keys(api.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                        .body()
                        .path("secrets")))
                .containsExactly("MOVE_B");
        Res target =
                api.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "staging", "secretPath", "/target");
        assertThat(byKey(target.body().path("secrets"), "MOVE_A")
                        .path("secretValue")
                        .asString())
                .isEqualTo("a");
        assertThat(byKey(target.body().path("secrets"), "MOVE_B")
                        .path("secretValue")
                        .asString())
                .isEqualTo("already-there");

        Res overwrite = api.post(
                "/api/v4/secrets/move",
                Map.of(
                        "projectId",
                        p,
                        "sourceEnvironment",
                        "dev",
                        "sourceSecretPath",
                        "/",
                        "destinationEnvironment",
                        "staging",
                        "destinationSecretPath",
                        "/target",
                        "secretIds",
                        List.of(b),
                        "shouldOverwrite",
                        true));
        assertThat(overwrite.status()).isEqualTo(200);
        Res after = api.get(
                "/api/v3/secrets/raw/MOVE_B", "workspaceId", p, "environment", "staging", "secretPath", "/target");
        assertThat(after.body().path("secret").path("secretValue").asString()).isEqualTo("b");
        assertThat(after.body().path("secret").path("version").asInt()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theReferenceTreeShowsEveryLevel(Db db) {
        Fixtures f = fixtures(db);
        Api api = admin(db);
        String p = f.project();
        f.createSecret(api, p, "prod", "/", "HOST", "db");
        f.createSecret(api, p, "dev", "/", "USER", "app");
        f.createSecret(api, p, "dev", "/", "LOGIN", "${USER}@${prod.HOST}");
        f.createSecret(api, p, "dev", "/", "URL", "postgres://${LOGIN}");

        Res tree = api.get("/api/v4/secrets/URL/secret-reference-tree", "projectId", p, "environment", "dev");

        assertThat(tree.status()).as(tree.toString()).isEqualTo(200);
        var root = tree.body().path("tree");
        assertThat(root.path("key").asString()).isEqualTo("URL");
        var login = root.path("children").get(0);
        assertThat(login.path("key").asString()).isEqualTo("LOGIN");
        assertThat(login.path("children").size()).isEqualTo(2);
        assertThat(login.path("children").get(1).path("environment").asString()).isEqualTo("prod");
        assertThat(login.path("children").get(1).path("value").asString()).isEqualTo("db");
    }
}
