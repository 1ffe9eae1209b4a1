package dev.keyhaven.server.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.MinuteWindows;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database and one Redis ({@code KEYHAVEN_TEST_REDIS_URL}, default the
 * local {@code redis://127.0.0.1:6379/0}) count against one limit: requests spread across both
 * reach 429 at the shared limit, where each node alone would have allowed as many again. The key
 * prefix is unique to this run, so parallel runs do not share counters.
 */
class SharedRateLimitTest {
    private static final int READS = 4;
    private static final int LOGINS = 3;
    private static TestServer nodeA;
    private static TestServer nodeB;

    @BeforeAll
    static void start() {
        RedisRateLimiterTest.requireRedis();
        String[] args = {
            "--keyhaven.redis-url=" + RedisRateLimiterTest.REDIS,
            "--keyhaven.redis-key-prefix=kh-test-" + UUID.randomUUID() + ":",
            "--keyhaven.rate-reads-per-minute=" + READS,
            "--keyhaven.rate-writes-per-minute=0",
            "--keyhaven.login-rate-per-identity=" + LOGINS,
            "--keyhaven.login-rate-per-ip=0"
        };
        nodeA = TestServers.fresh(Db.POSTGRESQL, args);
        nodeA.admin = TestServers.bootstrap(nodeA);
        nodeB = TestServers.start(Db.POSTGRESQL, nodeA.dbUrl, nodeA.dataDir, args);
        nodeB.admin = nodeA.admin;
    }

    @AfterAll
    static void stop() {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
    }

    @Test
    void secretReadsSpreadOverTwoNodesHitTheSharedLimit() {
        Fixtures f = new Fixtures(nodeA);
        String p = f.project();
        assertThat(f.createSecret(nodeA.admin(), p, "dev", "/", "SHARED", "v").status())
                .isEqualTo(200);
        Fixtures.Machine m = f.identity(p, "viewer");
        Api[] nodes = {nodeA.as(m.token()), nodeB.as(m.token())};
        MinuteWindows.awaitAtLeast(20);

        for (int i = 0; i < READS; i++) {
            Res res = nodes[i % 2].get("/api/v3/secrets/raw/SHARED", "workspaceId", p, "environment", "dev");
            assertThat(res.status())
                    .as("read " + (i + 1) + " on node " + (i % 2 == 0 ? "A" : "B"))
                    .isEqualTo(200);
        }
        // each node has served only half the limit itself
        for (Api node : nodes) {
            Res limited = node.get("/api/v3/secrets/raw/SHARED", "workspaceId", p, "environment", "dev");
            assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
            assertThat(limited.body().path("error").asString()).isEqualTo("RateLimitExceeded");
            assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        }
    }

    @Test
    void loginsAreLimitedAcrossNodesToo() {
        Fixtures f = new Fixtures(nodeA);
        MinuteWindows.awaitAtLeast(20);
        Fixtures.Machine m = f.identity(null, "viewer"); // the first login, on node A
        Map<String, Object> body = Map.of("clientId", m.clientId(), "clientSecret", m.clientSecret());

        for (int i = 1; i < LOGINS; i++) {
            Res ok = (i % 2 == 1 ? nodeB : nodeA).anonymous().post("/api/v1/auth/universal-auth/login", body);
            assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        }
        // node B has seen fewer than LOGINS logins of this identity itself
        Res limited = nodeB.anonymous().post("/api/v1/auth/universal-auth/login", body);
        assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotNull();
    }
}
