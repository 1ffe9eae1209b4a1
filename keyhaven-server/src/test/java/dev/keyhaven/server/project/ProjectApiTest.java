package dev.keyhaven.server.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/** Project listing by type and the project fields that are refused rather than ignored. */
class ProjectApiTest {

    private static List<String> ids(JsonNode list) {
        return StreamSupport.stream(list.spliterator(), false)
                .map(p -> p.path("id").asString())
                .toList();
    }

    private static String create(Api api, Map<String, Object> body) {
        Res res = api.post("/api/v2/workspace", body);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("project").path("id").asString();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void listsFilterByProjectTypeAndRefuseAnUnknownType(Db db) {
        TestServer server = TestServers.shared(db);
        Api caller = new Fixtures(server).identity(null, "admin").api();
        String secrets = create(caller, Map.of("projectName", Fixtures.unique("sm")));
        String kms = create(caller, Map.of("projectName", Fixtures.unique("kms"), "type", "kms"));

        for (String[] route : new String[][] {{"/api/v1/workspace", "workspaces"}, {"/api/v1/projects", "projects"}}) {
            Res all = caller.get(route[0]);
            assertThat(all.status()).as(all.toString()).isEqualTo(200);
            assertThat(ids(all.body().path(route[1]))).as(route[0]).containsExactly(secrets, kms);

            Res onlyKms = caller.get(route[0], "type", "kms");
            assertThat(onlyKms.status()).as(onlyKms.toString()).isEqualTo(200);
            assertThat(ids(onlyKms.body().path(route[1]))).as(route[0]).containsExactly(kms);
            assertThat(onlyKms.body().path(route[1]).get(0).path("type").asString())
                    .isEqualTo("kms");

            Res onlySecrets = caller.get(route[0], "type", "secret-manager");
            assertThat(ids(onlySecrets.body().path(route[1]))).as(route[0]).containsExactly(secrets);

            Res none = caller.get(route[0], "type", "ssh");
            assertThat(none.status()).as(none.toString()).isEqualTo(200);
            assertThat(none.body().path(route[1]).isArray()).isTrue();
            assertThat(none.body().path(route[1]).size()).as(route[0]).isZero();

            Res empty = caller.get(route[0], "type", "");
            assertThat(ids(empty.body().path(route[1])))
                    .as("an empty type counts as absent")
                    .containsExactly(secrets, kms);

            Res unknown = caller.get(route[0], "type", "vault");
            assertThat(unknown.status()).as(unknown.toString()).isEqualTo(422);
            assertThat(unknown.body().path("error").asString()).isEqualTo("ValidationFailure");
            assertThat(unknown.raw()).contains("type").contains("secret-manager");
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anExternalKmsKeyIsRefusedAndNothingIsCreated(Db db) {
        TestServer server = TestServers.shared(db);
        Api caller = new Fixtures(server).identity(null, "admin").api();
        String name = Fixtures.unique("kms-key");
        Res res = caller.post(
                "/api/v2/workspace", Map.of("projectName", name, "kmsKeyId", "a1b2c3d4-0000-4000-8000-000000000000"));
        assertThat(res.status()).as(res.toString()).isEqualTo(400);
        assertThat(res.body().path("message").asString()).contains("kmsKeyId").contains("not supported");
        Res viaV1 = caller.post("/api/v1/projects", Map.of("projectName", name, "kmsKeyId", "some-key"));
        assertThat(viaV1.status()).as(viaV1.toString()).isEqualTo(400);
        assertThat(caller.get("/api/v1/projects").body().path("projects").size())
                .as("nothing was created")
                .isZero();

        // an empty kmsKeyId names no key: it means the server's own keys, as Infisical reads it
        String plain = create(caller, Map.of("projectName", name, "kmsKeyId", ""));
        assertThat(ids(caller.get("/api/v1/projects").body().path("projects"))).containsExactly(plain);
    }
}
