package dev.keyhaven.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.identity.MachineIdentities;
import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code application/x-www-form-urlencoded} bodies are taken wherever JSON is, as Infisical does
 * (its SDKs send several logins as forms): the form reads as the JSON object with string values,
 * and bracketed names nest.
 */
class FormBodyApiTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void universalAuthLogsInWithAForm(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures.Machine m = new Fixtures(server).identity(new Fixtures(server).project(), "member");

        Res res = server.anonymous()
                .postForm(
                        "/api/v1/auth/universal-auth/login",
                        Map.of("clientId", m.clientId(), "clientSecret", m.clientSecret()));
        Res wrong = server.anonymous()
                .postForm(
                        "/api/v1/auth/universal-auth/login",
                        Map.of("clientId", m.clientId(), "clientSecret", "0".repeat(64)));

        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        String token = res.body().path("accessToken").asString();
        assertThat(new MachineIdentities(server).probe(token, m.id()).status()).isEqualTo(200);
        assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void createRoutesTakeAFormAndNestedNamesMakeListsOfObjects(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        String name = Fixtures.unique("form-made");

        Res identity = server.admin()
                .postForm(
                        "/api/v1/identities",
                        Map.of("name", name, "organizationId", server.admin.orgId(), "role", "member"));
        Map<String, String> batch = new LinkedHashMap<>();
        batch.put("workspaceId", p);
        batch.put("environment", "dev");
        batch.put("secrets[0][secretKey]", "FORM_A");
        batch.put("secrets[0][secretValue]", "a value & more = yes");
        batch.put("secrets[1][secretKey]", "FORM_B");
        batch.put("secrets[1][secretValue]", "");
        Res created = server.admin().postForm("/api/v3/secrets/batch/raw", batch);

        assertThat(identity.status()).as(identity.toString()).isEqualTo(200);
        assertThat(identity.body().path("identity").path("name").asString()).isEqualTo(name);
        assertThat(identity.body().path("identity").path("role").asString()).isEqualTo("member");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode secrets = server.admin()
                .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                .body()
                .path("secrets");
        assertThat(Fixtures.byKey(secrets, "FORM_A").path("secretValue").asString())
                .isEqualTo("a value & more = yes");
        assertThat(Fixtures.byKey(secrets, "FORM_B").path("secretValue").asString())
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void formValuesAreStringsSoATypedFieldIs422AndABrokenFormIs400(Db db) {
        TestServer server = TestServers.shared(db);
        String id = server.admin()
                .postForm(
                        "/api/v1/identities",
                        Map.of("name", Fixtures.unique("typed"), "organizationId", server.admin.orgId()))
                .body()
                .path("identity")
                .path("id")
                .asString();

        Res typed =
                server.admin().postForm("/api/v1/auth/universal-auth/identities/" + id, Map.of("accessTokenTTL", "60"));
        Res badEscape =
                server.admin().raw("POST", "/api/v1/identities", "name=%zz", "application/x-www-form-urlencoded");
        Res conflict = server.admin()
                .raw("POST", "/api/v1/identities", "name=a&name[x]=b", "application/x-www-form-urlencoded");
        Res tooDeep = server.admin()
                .raw("POST", "/api/v1/identities", "a[b][c][d][e][f][g]=1", "application/x-www-form-urlencoded");

        assertThat(typed.status()).as(typed.toString()).isEqualTo(422);
        assertThat(typed.body().path("message").get(0).path("path").get(0).asString())
                .isEqualTo("accessTokenTTL");
        for (Res bad : new Res[] {badEscape, conflict, tooDeep}) {
            assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
            assertThat(bad.body().path("error").asString()).isEqualTo("BadRequest");
        }
        assertThat(server.admin()
                        .get("/api/v1/auth/universal-auth/identities/" + id)
                        .status())
                .as("nothing attached")
                .isEqualTo(404);
        assertThat(Api.form(Map.of("k", "a b&c"))).isEqualTo("k=a+b%26c");
    }
}
