package dev.keyhaven.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Fixtures;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * With {@code KEYHAVEN_TRUSTED_PROXIES=127.0.0.1/32} the test client (on 127.0.0.1) stands in for
 * a reverse proxy: the address it puts in {@code X-Forwarded-For} is the one that project trusted
 * IPs and the audit log see. The shared servers trust no proxy, and ignore the header.
 */
class TrustedProxyApiTest {
    private static final Map<Db, TestServer> PROXIED = new EnumMap<>(Db.class);

    private static synchronized TestServer proxied(Db db) {
        return PROXIED.computeIfAbsent(db, d -> {
            List<String> args = new ArrayList<>(List.of(TestServers.NO_RATE_LIMITS));
            args.add("--keyhaven.trusted-proxies=127.0.0.1/32");
            TestServer server = TestServers.fresh(d, args.toArray(String[]::new));
            server.admin = TestServers.bootstrap(server);
            return server;
        });
    }

    @AfterAll
    static synchronized void stop() {
        PROXIED.values().forEach(TestServer::close);
        PROXIED.clear();
    }

    private static Res read(Api api, String projectId, String forwardedFor) {
        String path = "/api/v3/secrets/raw/BEHIND_PROXY" + Api.query("workspaceId", projectId, "environment", "dev");
        return api.getWithHeaders(path, forwardedFor == null ? Map.of() : Map.of("X-Forwarded-For", forwardedFor));
    }

    private static List<JsonNode> audit(Api admin, String projectId, String start, String eventType) {
        Res res = admin.get(
                "/api/v1/organization/audit-logs",
                "projectId",
                projectId,
                "startDate",
                start,
                "eventType",
                eventType,
                "limit",
                100);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res.body().path("auditLogs").valueStream().toList();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void behindATrustedProxyTheForwardedAddressIsWhatCounts(Db db) {
        TestServer server = proxied(db);
        Api admin = server.admin();
        Fixtures f = new Fixtures(server);
        String p = f.project();
        String start = Instant.now().minus(5, ChronoUnit.MINUTES).toString();
        assertThat(f.createSecret(admin, p, "dev", "/", "BEHIND_PROXY", "v").status())
                .isEqualTo(200);
        Res added = admin.send(
                "POST",
                "/api/v1/projects/" + p + "/trusted-ips",
                Map.of("ipAddress", "203.0.113.0/24"),
                Map.of("X-Forwarded-For", "203.0.113.9"));
        assertThat(added.status()).as(added.toString()).isEqualTo(200);

        assertThat(read(admin, p, "203.0.113.9").status()).isEqualTo(200);
        assertThat(read(admin, p, "198.51.100.1, 203.0.113.9").status())
                .as("only the rightmost untrusted entry counts")
                .isEqualTo(200);
        assertThat(read(admin, p, "203.0.113.9, 198.51.100.1").status()).isEqualTo(403);
        assertThat(read(admin, p, null).status())
                .as("the proxy itself is not in the list")
                .isEqualTo(403);
        assertThat(read(admin, p, "203.0.113.9, garbage").status())
                .as("a malformed header: the socket address counts")
                .isEqualTo(403);

        List<JsonNode> reads = audit(admin, p, start, "get-secret");
        assertThat(reads)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.path("ipAddress").asString()).isEqualTo("203.0.113.9"));
        List<String> refusedFrom = audit(admin, p, start, "trusted-ip-access-denied").stream()
                .map(r -> r.path("ipAddress").asString())
                .toList();
        assertThat(refusedFrom).containsExactlyInAnyOrder("198.51.100.1", "127.0.0.1", "127.0.0.1");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void withoutTrustedProxiesTheHeaderIsIgnored(Db db) {
        TestServer server = TestServers.shared(db);
        Api admin = server.admin();
        Fixtures f = new Fixtures(server);
        String p = f.project();
        assertThat(f.createSecret(admin, p, "dev", "/", "BEHIND_PROXY", "v").status())
                .isEqualTo(200);
        assertThat(admin.post("/api/v1/projects/" + p + "/trusted-ips", Map.of("ipAddress", "203.0.113.0/24"))
                        .status())
                .isEqualTo(200);

        assertThat(read(admin, p, "203.0.113.9").status()).isEqualTo(403);
    }
}
