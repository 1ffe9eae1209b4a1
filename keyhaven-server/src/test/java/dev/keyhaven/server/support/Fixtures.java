package dev.keyhaven.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Builds test data through the public API, the way a user would: projects, identities with a
 * project role, logged-in tokens. Every name is unique, so tests share a server safely.
 */
public final class Fixtures {
    private final TestServer server;

    public Fixtures(TestServer server) {
        this.server = server;
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new secret-manager project (dev, staging, prod) owned by the instance admin; returns its id. */
    public String project() {
        Res res = server.admin().post("/api/v2/workspace", Map.of("projectName", unique("proj")));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("project").path("id").asString();
    }

    /** Logged-in machine identity of the admin's org, with UA credentials and the given project role. */
    public Machine identity(String projectId, String role) {
        return identity(projectId, role, Map.of());
    }

    public Machine identity(String projectId, String role, Map<String, Object> uaSettings) {
        Api admin = server.admin();
        Res created = admin.post(
                "/api/v1/identities",
                Map.of("name", unique("id"), "organizationId", server.admin.orgId(), "role", "member"));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        String identityId = created.body().path("identity").path("id").asString();
        Res ua = admin.post("/api/v1/auth/universal-auth/identities/" + identityId, uaSettings);
        assertThat(ua.status()).as(ua.toString()).isEqualTo(200);
        String clientId =
                ua.body().path("identityUniversalAuth").path("clientId").asString();
        Res secret = admin.post("/api/v1/auth/universal-auth/identities/" + identityId + "/client-secrets", Map.of());
        assertThat(secret.status()).as(secret.toString()).isEqualTo(200);
        String clientSecret = secret.body().path("clientSecret").asString();
        if (projectId != null) {
            Res m = admin.post(
                    "/api/v2/workspace/" + projectId + "/identity-memberships/" + identityId, Map.of("role", role));
            assertThat(m.status()).as(m.toString()).isEqualTo(200);
        }
        String token = login(clientId, clientSecret);
        return new Machine(identityId, clientId, clientSecret, token, server.as(token));
    }

    /**
     * The admin token of a second organization on the same server. There is no org sign-up API
     * yet, so it is set up through the services, on the same database.
     */
    public String otherOrgAdminToken() {
        var tx = server.bean(org.springframework.transaction.support.TransactionTemplate.class);
        return tx.execute(s -> {
            var org = server.bean(dev.keyhaven.server.org.OrgService.class).createOrganization(unique("other-org"));
            var identity = server.bean(dev.keyhaven.server.identity.IdentityService.class)
                    .createForBootstrap(org.id(), "other-admin");
            return server.bean(dev.keyhaven.server.identity.TokenAuthService.class)
                    .attachAndIssue(identity.id(), "test", 0);
        });
    }

    public String login(String clientId, String clientSecret) {
        Res login = server.anonymous()
                .post("/api/v1/auth/universal-auth/login", Map.of("clientId", clientId, "clientSecret", clientSecret));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return login.body().path("accessToken").asString();
    }

    /** A machine identity with its credentials and a logged-in client. */
    public record Machine(String id, String clientId, String clientSecret, String token, Api api) {}

    public Res createSecret(Api api, String projectId, String env, String path, String key, String value) {
        return api.post(
                "/api/v3/secrets/raw/" + key,
                Map.of("workspaceId", projectId, "environment", env, "secretPath", path, "secretValue", value));
    }

    public void folder(String projectId, String env, String parent, String name) {
        Res res = server.admin()
                .post(
                        "/api/v1/folders",
                        Map.of("workspaceId", projectId, "environment", env, "path", parent, "name", name));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
    }

    public static List<String> keys(JsonNode secrets) {
        return secrets.valueStream().map(s -> s.path("secretKey").asString()).toList();
    }

    public static JsonNode byKey(JsonNode secrets, String key) {
        return secrets.valueStream()
                .filter(s -> key.equals(s.path("secretKey").asString()))
                .findFirst()
                .orElse(null);
    }
}
