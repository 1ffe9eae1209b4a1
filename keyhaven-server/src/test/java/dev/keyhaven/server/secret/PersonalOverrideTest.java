package dev.keyhaven.server.secret;

import static dev.keyhaven.server.support.Fixtures.byKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.server.access.MembershipService;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.actor.ActorType;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
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
        Actor user = new Actor(
                ActorType.USER,
                server.admin.userId(),
                null,
                TestServers.ADMIN_EMAIL,
                server.admin.orgId(),
                "admin",
                null,
                "127.0.0.1",
                "test");
        server.bean(TransactionTemplate.class)
                .executeWithoutResult(s -> server.bean(MembershipService.class).addCreator(p, user));
        SecretWriter writer = server.bean(SecretWriter.class);
        SecretReader reader = server.bean(SecretReader.class);

        writer.create(
                user,
                new SecretWriter.Target(p, null, "dev", "/"),
                List.of(new SecretInput(
                        "DB_USER",
                        "my-own-user",
                        null,
                        null,
                        null,
                        null,
                        null,
                        "personal",
                        null,
                        null,
                        null,
                        null,
                        null)));

        Map<String, Object> mine = reader.list(
                user, new SecretReader.ListQuery(p, null, "dev", "/", true, true, false, false, List.of(), List.of()));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> secrets = (List<Map<String, Object>>) mine.get("secrets");
        assertThat(secrets)
                .anySatisfy(s ->
                        assertThat(s).containsEntry("type", "personal").containsEntry("secretValue", "my-own-user"));
        assertThat(secrets)
                .anySatisfy(s -> assertThat(s)
                        .containsEntry("secretKey", "DSN")
                        .containsEntry("secretValue", "pg://my-own-user@db"));

        var identityView = f.identity(p, "viewer")
                .api()
                .get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev", "expandSecretReferences", "true");
        assertThat(identityView.raw()).doesNotContain("my-own-user");
        assertThat(byKey(identityView.body().path("secrets"), "DSN")
                        .path("secretValue")
                        .asString())
                .isEqualTo("pg://shared-user@db");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void machineIdentitiesCannotHavePersonalSecrets(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        var res = f.identity(p, "member")
                .api()
                .post(
                        "/api/v3/secrets/raw/MINE",
                        Map.of("workspaceId", p, "environment", "dev", "secretValue", "x", "type", "personal"));
        assertThat(res.status()).isEqualTo(400);
    }

    private static Actor adminUser(TestServer server, String p) {
        Actor user = new Actor(
                ActorType.USER,
                server.admin.userId(),
                null,
                TestServers.ADMIN_EMAIL,
                server.admin.orgId(),
                "admin",
                null,
                "127.0.0.1",
                "test");
        server.bean(TransactionTemplate.class)
                .executeWithoutResult(s -> server.bean(MembershipService.class).addCreator(p, user));
        return user;
    }

    private static SecretInput personal(String key, String value, String newName) {
        return new SecretInput(key, value, null, null, null, null, null, "personal", newName, null, null, null, null);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anOverrideNeedsTheSharedSecretItOverrides(Db db) {
        TestServer server = TestServers.shared(db);
        String p = new Fixtures(server).project();
        Actor user = adminUser(server, p);
        SecretWriter writer = server.bean(SecretWriter.class);
        SecretWriter.Target root = new SecretWriter.Target(p, null, "dev", "/");

        assertThatThrownBy(() -> writer.create(user, root, List.of(personal("NOT_SHARED", "mine", null))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage())
                            .isEqualTo("Failed to create personal secret override for no corresponding shared secret");
                });
        Map<String, Object> listed = server.bean(SecretReader.class)
                .list(
                        user,
                        new SecretReader.ListQuery(
                                p, null, "dev", "/", true, false, false, false, List.of(), List.of()));
        assertThat((List<?>) listed.get("secrets")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anOverrideKeepsItsNameAndGoesWhenTheSharedSecretIsDeleted(Db db) {
        TestServer server = TestServers.shared(db);
        Fixtures f = new Fixtures(server);
        String p = f.project();
        Actor user = adminUser(server, p);
        SecretWriter writer = server.bean(SecretWriter.class);
        SecretReader reader = server.bean(SecretReader.class);
        SecretWriter.Target root = new SecretWriter.Target(p, null, "dev", "/");
        f.createSecret(server.admin(), p, "dev", "/", "DB_PASS", "shared");
        writer.create(user, root, List.of(personal("DB_PASS", "mine", null)));

        assertThatThrownBy(() -> writer.update(
                        user,
                        root,
                        List.of(personal("DB_PASS", null, "RENAMED")),
                        SecretWriter.PatchMode.FAIL_ON_NOT_FOUND))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("Personal secret cannot change the key name");
                });

        Res deleted =
                server.admin().delete("/api/v3/secrets/raw/DB_PASS", Map.of("workspaceId", p, "environment", "dev"));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        Map<String, Object> listed = reader.list(
                user, new SecretReader.ListQuery(p, null, "dev", "/", true, false, false, false, List.of(), List.of()));
        assertThat((List<?>) listed.get("secrets")).isEmpty();
        // a shared secret of that name made later starts without the old override
        f.createSecret(server.admin(), p, "dev", "/", "DB_PASS", "shared-again");
        Map<String, Object> again = reader.list(
                user, new SecretReader.ListQuery(p, null, "dev", "/", true, false, false, false, List.of(), List.of()));
        assertThat(again.toString()).doesNotContain("mine").contains("shared-again");
        // and it is gone for its owner too
        assertThatThrownBy(() -> writer.delete(user, root, List.of(personal("DB_PASS", null, null))))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
}
