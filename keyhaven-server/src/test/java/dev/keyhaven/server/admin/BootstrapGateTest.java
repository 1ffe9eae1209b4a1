package dev.keyhaven.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * Bootstrap is open to loopback clients and to holders of the one-time bootstrap token only; the
 * token it returns expires after {@code KEYHAVEN_BOOTSTRAP_TOKEN_TTL}, and the rotation of
 * docs/deployment.md (a new token, then revoke the bootstrap one) leaves only the new one working.
 */
class BootstrapGateTest {
    private static final String TOKEN = "bootstrap-token-0123456789abcdef";
    private static final Map<String, Object> BODY = Map.of(
            "email", TestServers.ADMIN_EMAIL, "password", TestServers.ADMIN_PASSWORD, "organization", "Gate Org");

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(Db.class)
    void anotherHostNeedsTheBootstrapTokenWhichWorksOnce(Db db) throws Exception {
        Path tokenFile = temp.resolve("bootstrap-token");
        Files.writeString(tokenFile, TOKEN + "\n");
        try (TestServer server =
                TestServers.fresh(db, "--keyhaven.bind=0.0.0.0", "--keyhaven.bootstrap-token-file=" + tokenFile)) {
            Api remote = new Api("http://" + nonLoopbackAddress() + ":" + port(server), null);

            Res without = remote.post("/api/v1/admin/bootstrap", BODY);
            assertThat(without.status()).as(without.toString()).isEqualTo(403);
            assertThat(without.raw()).contains("only from localhost");
            Res wrong = remote.send("POST", "/api/v1/admin/bootstrap", BODY, Map.of(BootstrapGate.HEADER, TOKEN + "x"));
            assertThat(wrong.status()).isEqualTo(403);
            assertThat(wrong.raw()).contains("not valid").doesNotContain(TOKEN);

            Res ok = remote.send("POST", "/api/v1/admin/bootstrap", BODY, Map.of(BootstrapGate.HEADER, TOKEN));
            assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
            Res again = remote.send("POST", "/api/v1/admin/bootstrap", BODY, Map.of(BootstrapGate.HEADER, TOKEN));
            assertThat(again.status()).isEqualTo(400);
            assertThat(again.raw()).contains("already been set up");
        }
    }

    @Test
    void aLoopbackClientThatCameThroughAProxyIsNotLocal() {
        try (TestServer server = TestServers.fresh(Db.SQLITE)) {
            Api local = server.anonymous();
            for (String header : new String[] {"X-Forwarded-For", "Forwarded", "X-Real-IP"}) {
                Res proxied = local.send("POST", "/api/v1/admin/bootstrap", BODY, Map.of(header, "for=203.0.113.9"));
                assertThat(proxied.status()).as(header).isEqualTo(403);
            }
            // no bootstrap token is configured: presenting one does not help
            Res guessed = local.send("POST", "/api/v1/admin/bootstrap", BODY, Map.of(BootstrapGate.HEADER, TOKEN));
            assertThat(guessed.status()).isEqualTo(403);
            // nothing was set up by the refused calls: a plain loopback call still bootstraps
            assertThat(local.post("/api/v1/admin/bootstrap", BODY).status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theAdminTokenExpiresAndRotates(Db db) {
        try (TestServer server = TestServers.fresh(db, "--keyhaven.bootstrap-token-ttl=2h")) {
            TestServer.Admin admin = TestServers.bootstrap(server);
            Api bootstrapToken = server.as(admin.token());
            String tokens = "/api/v1/auth/token-auth/identities/" + admin.identityId() + "/tokens";
            Res listed = bootstrapToken.get(tokens);
            assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
            assertThat(listed.body()
                            .path("tokens")
                            .get(0)
                            .path("accessTokenTTL")
                            .asLong())
                    .isEqualTo(7200);
            assertThat(listed.body()
                            .path("tokens")
                            .get(0)
                            .path("accessTokenMaxTTL")
                            .asLong())
                    .as("renewal cannot stretch it")
                    .isEqualTo(7200);

            // the documented rotation: a new token, then revoke the bootstrap token
            Res created = bootstrapToken.post(tokens, Map.of("name", "admin-rotated"));
            assertThat(created.status()).as(created.toString()).isEqualTo(200);
            String rotated = created.body().path("accessToken").asString();
            Res revoked = server.anonymous().post("/api/v1/auth/token/revoke", Map.of("accessToken", admin.token()));
            assertThat(revoked.status()).isEqualTo(200);
            Res old = bootstrapToken.get(tokens);
            assertThat(old.status()).isEqualTo(403);
            assertThat(old.raw()).contains("revoked");
            assertThat(server.as(rotated).get(tokens).status()).isEqualTo(200);
        }
    }

    @Test
    void theDefaultLifetimeIsADay() {
        try (TestServer server = TestServers.fresh(Db.SQLITE)) {
            TestServer.Admin admin = TestServers.bootstrap(server);
            Res listed = server.as(admin.token())
                    .get("/api/v1/auth/token-auth/identities/" + admin.identityId() + "/tokens");
            assertThat(listed.body()
                            .path("tokens")
                            .get(0)
                            .path("accessTokenTTL")
                            .asLong())
                    .isEqualTo(86400);
        }
    }

    private static int port(TestServer server) {
        return ((WebServerApplicationContext) server.context).getWebServer().getPort();
    }

    private static String nonLoopbackAddress() throws Exception {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (ni.isUp() && !ni.isLoopback()) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        }
        throw new IllegalStateException("the test needs a non-loopback IPv4 address on this machine");
    }
}
