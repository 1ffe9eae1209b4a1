package dev.keyhaven.server.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.MinuteWindows;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import org.junit.jupiter.api.Test;

/**
 * Secret reads and writes are limited per actor and per client address, counted apart, with a 429
 * in Infisical's error shape that says when to retry. This server counts in its own memory
 * (no Redis); {@code SharedRateLimitTest} covers two nodes sharing Redis.
 */
class SecretRateLimitApiTest {
    private static Res read(Api api, String projectId) {
        return api.get("/api/v3/secrets/raw/LIMITED", "workspaceId", projectId, "environment", "dev");
    }

    private static void assertLimited(Res res) {
        assertThat(res.status()).as(res.toString()).isEqualTo(429);
        assertThat(res.body().path("error").asString()).isEqualTo("RateLimitExceeded");
        assertThat(res.body().path("statusCode").asInt()).isEqualTo(429);
        assertThat(res.body().path("reqId").asString()).isNotEmpty();
        assertThat(res.body().path("message").asString()).contains("try again in");
        assertThat(Long.parseLong(res.header("Retry-After"))).isBetween(1L, 60L);
    }

    @Test
    void readsAndWritesAreLimitedPerActorAndPerAddress() {
        try (TestServer server = TestServers.start(
                Db.SQLITE,
                null,
                null,
                "--keyhaven.login-rate-per-ip=0",
                "--keyhaven.login-rate-per-identity=0",
                "--keyhaven.rate-reads-per-minute=3",
                "--keyhaven.rate-writes-per-minute=2")) {
            server.admin = TestServers.bootstrap(server);
            Fixtures f = new Fixtures(server);
            // set up over IPv6 loopback, so the IPv4 loopback's counters start at zero
            String v6 = server.baseUrl.replace("127.0.0.1", "[::1]");
            Api adminV6 = new Api(v6, server.admin.token());
            String p = f.project();
            assertThat(f.createSecret(adminV6, p, "dev", "/", "LIMITED", "v").status())
                    .isEqualTo(200);
            Fixtures.Machine a = f.identity(p, "member");
            Fixtures.Machine b = f.identity(p, "member");
            MinuteWindows.awaitAtLeast(20);

            for (int i = 0; i < 3; i++) {
                assertThat(read(a.api(), p).status()).as("read " + (i + 1)).isEqualTo(200);
            }
            assertLimited(read(a.api(), p));

            assertThat(read(new Api(v6, b.token()), p).status())
                    .as("another actor from another address")
                    .isEqualTo(200);
            assertLimited(read(b.api(), p)); // the IPv4 loopback has had its three reads

            assertThat(f.createSecret(a.api(), p, "dev", "/", "W1", "v").status())
                    .as("writes count apart")
                    .isEqualTo(200);
            assertThat(f.createSecret(a.api(), p, "dev", "/", "W2", "v").status())
                    .isEqualTo(200);
            assertLimited(f.createSecret(a.api(), p, "dev", "/", "W3", "v"));
            assertThat(adminV6.get("/api/v3/secrets/raw", "workspaceId", p, "environment", "dev")
                            .body()
                            .path("secrets")
                            .size())
                    .as("the refused write did nothing")
                    .isEqualTo(3);
        }
    }
}
