package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import java.util.HashMap;
import java.util.Map;

/**
 * Machine identities for the auth and audit tests, built through the API as the instance admin:
 * an identity with a chosen org role, Universal Auth with chosen settings, client secrets and
 * logins whose raw response the test can inspect.
 */
public final class MachineIdentities {
    public static final String UA = "/api/v1/auth/universal-auth/identities/";
    public static final String LOGIN = "/api/v1/auth/universal-auth/login";

    private final TestServer server;

    public MachineIdentities(TestServer server) {
        this.server = server;
    }

    /** An identity with Universal Auth attached, one client secret, and nothing logged in yet. */
    public record UaIdentity(String id, String name, String clientId, String clientSecret, String clientSecretId) {}

    /** An identity of the admin's org with the given org role; returns its id. */
    public String create(String orgRole) {
        Res created = server.admin()
                .post(
                        "/api/v1/identities",
                        Map.of("name", Fixtures.unique("id"), "organizationId", server.admin.orgId(), "role", orgRole));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created.body().path("identity").path("id").asString();
    }

    public UaIdentity withUa(Map<String, Object> settings) {
        return withUa("member", settings);
    }

    public UaIdentity withUa(String orgRole, Map<String, Object> settings) {
        String id = create(orgRole);
        String name = server.admin()
                .get("/api/v1/identities/" + id)
                .body()
                .path("identity")
                .path("name")
                .asString();
        Res ua = server.admin().post(UA + id, settings);
        assertThat(ua.status()).as(ua.toString()).isEqualTo(200);
        String clientId =
                ua.body().path("identityUniversalAuth").path("clientId").asString();
        Res secret = newSecret(id, Map.of());
        return new UaIdentity(
                id,
                name,
                clientId,
                secret.body().path("clientSecret").asString(),
                secret.body().path("clientSecretData").path("id").asString());
    }

    /** Creates a client secret; the response carries the secret and its data. */
    public Res newSecret(String identityId, Map<String, Object> body) {
        Res res = server.admin().post(UA + identityId + "/client-secrets", body);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res;
    }

    public Res login(String clientId, String clientSecret) {
        Map<String, Object> body = new HashMap<>();
        body.put("clientId", clientId);
        body.put("clientSecret", clientSecret);
        return server.anonymous().post(LOGIN, body);
    }

    /** Logs in and returns the access token, failing the test if the login is refused. */
    public String token(String clientId, String clientSecret) {
        Res res = login(clientId, clientSecret);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("accessToken").asString();
    }

    public String token(UaIdentity identity) {
        return token(identity.clientId(), identity.clientSecret());
    }

    /**
     * One authenticated request that any org member may make (reading itself), to see whether a
     * token is accepted.
     */
    public Res probe(String token, String identityId) {
        return server.as(token).get("/api/v1/identities/" + identityId);
    }

    public Api admin() {
        return server.admin();
    }
}
