package dev.keyhaven.server.secret;

import static dev.keyhaven.server.support.Fixtures.byKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.access.MembershipService;
import dev.keyhaven.server.auth.Actor;
import dev.keyhaven.server.auth.ActorType;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Personal overrides: only their owner sees them, and they win over the shared value in that
 * user's references. Users cannot log in over HTTP yet, so the user acts through the services
 * (same database, same permission checks); identities act through the API.
 */
class PersonalOverrideTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void onlyTheOwnerSeesTheOverrideAndItsReferencesUseIt(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        f.createSecret(server.admin(), p, "dev", "/", "DB_USER", "shared-user");
        f.createSecret(server.admin(), p, "dev", "/", "DSN", "pg://${DB_USER}@db");
        Actor user = new Actor(ActorType.USER, server.admin.userId(), null, TestServers.ADMIN_EMAIL, server.admin.orgId(),
                "admin", null, "127.0.0.1", "test");
        server.bean(TransactionTemplate.class).executeWithoutResult(s -> server.bean(MembershipService.class).addCreator(p, user));
        SecretWriter writer = server.bean(SecretWriter.class);
        SecretReader reader = server.bean(SecretReader.class);

        writer.create(user, new SecretWriter.Target(p, null, "dev", "/"), List.of(new SecretInput("DB_USER", "my-own-user",
                null, null, null, null, null, "personal", null, null, null, null, null)));

        Map<String, Object> mine = reader.list(user, new SecretReader.ListQuery(p, null, "dev", "/", true, true, false, false,
                List.of(), List.of()));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> secrets = (List<Map<String, Object>>) mine.get("secrets");
        assertThat(secrets).anySatisfy(s -> assertThat(s).containsEntry("type", "personal").containsEntry("secretValue", "my-own-user"));
        assertThat(secrets).anySatisfy(s -> assertThat(s).containsEntry("secretKey", "DSN").containsEntry("secretValue", "pg://my-own-user@db"));

        var identityView = f.identity(p, "viewer").api().get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev",
                "expandSecretReferences", "true");
        assertThat(identityView.raw()).doesNotContain("my-own-user");
        assertThat(byKey(identityView.body().path("secrets"), "DSN").path("secretValue").asString()).isEqualTo("pg://shared-user@db");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void machineIdentitiesCannotHavePersonalSecrets(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        var res = f.identity(p, "member").api().post("/api/v3/secrets/raw/MINE", Map.of("workspaceId", p, "environment", "dev",
                "secretValue", "x", "type", "personal"));
        assertThat(res.status()).isEqualTo(400);
    }
}
