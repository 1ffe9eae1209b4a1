package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Logins are limited per identity and per source address, with a 429 that says when to retry.
 * Limits count in one-minute windows, so each test allows for one window change while it runs.
 */
class LoginRateLimitTest {
    private static final String LOGIN = "/api/v1/auth/universal-auth/login";

    @Test
    void loginsBeyondThePerIdentityLimitGet429AndOtherIdentitiesAreUnaffected() {
        try (TestServer server = TestServers.start(
                Db.SQLITE, null, null, "--keyhaven.login-rate-per-identity=3", "--keyhaven.login-rate-per-ip=0")) {
            server.admin = TestServers.bootstrap(server);
            Fixtures f = new Fixtures(server);
            Fixtures.Machine a = f.identity(null, "viewer");
            Fixtures.Machine b = f.identity(null, "viewer");
            Res limited = firstLimited(server, Map.of("clientId", a.clientId(), "clientSecret", a.clientSecret()), 7);
            assertThat(limited).as("no 429 within 7 logins of one identity").isNotNull();
            assertThat(limited.body().path("error").asString()).isEqualTo("RateLimitExceeded");
            assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
            assertThat(server.anonymous()
                            .post(LOGIN, Map.of("clientId", b.clientId(), "clientSecret", b.clientSecret()))
                            .status())
                    .isEqualTo(200);

            Res kubernetes = firstLimited(
                    server,
                    "/api/v1/auth/kubernetes-auth/login",
                    Map.of("identityId", a.id(), "jwt", "not.a.token"),
                    7);
            assertThat(kubernetes)
                    .as("no 429 within 7 Kubernetes logins of one identity")
                    .isNotNull();
            String b64 = java.util.Base64.getEncoder().encodeToString("{}".getBytes());
            Map<String, Map<String, Object>> others = Map.of(
                    "jwt-auth", Map.of("identityId", a.id(), "jwt", "not.a.token"),
                    "oidc-auth", Map.of("identityId", a.id(), "jwt", "not.a.token"),
                    "gcp-auth", Map.of("identityId", a.id(), "jwt", "not.a.token"),
                    "azure-auth", Map.of("identityId", a.id(), "jwt", "not.a.token"),
                    "ldap-auth", Map.of("identityId", a.id(), "username", "alice", "password", "guess"),
                    "aws-auth",
                            Map.of(
                                    "identityId",
                                    a.id(),
                                    "iamHttpRequestMethod",
                                    "POST",
                                    "iamRequestBody",
                                    b64,
                                    "iamRequestHeaders",
                                    b64));
            others.forEach(
                    (method, body) -> assertThat(firstLimited(server, "/api/v1/auth/" + method + "/login", body, 7))
                            .as("no 429 within 7 " + method + " logins of one identity")
                            .isNotNull());
        }
    }

    @Test
    void loginsBeyondThePerAddressLimitGet429EvenForUnknownClients() {
        try (TestServer server = TestServers.start(
                Db.SQLITE, null, null, "--keyhaven.login-rate-per-identity=0", "--keyhaven.login-rate-per-ip=5")) {
            Res limited = firstLimited(
                    server,
                    Map.of("clientId", "00000000-0000-4000-8000-000000000000", "clientSecret", "not-a-secret"),
                    11);
            assertThat(limited).as("no 429 within 11 logins from one address").isNotNull();
            assertThat(limited.header("Retry-After")).isNotNull();
        }
    }

    private static Res firstLimited(TestServer server, Map<String, Object> body, int attempts) {
        return firstLimited(server, LOGIN, body, attempts);
    }

    private static Res firstLimited(TestServer server, String route, Map<String, Object> body, int attempts) {
        for (int i = 0; i < attempts; i++) {
            Res res = server.anonymous().post(route, body);
            if (res.status() == 429) {
                return res;
            }
            assertThat(res.status()).as(res.toString()).isIn(200, 401);
        }
        return null;
    }
}
