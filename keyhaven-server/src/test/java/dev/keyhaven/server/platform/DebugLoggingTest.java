package dev.keyhaven.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyhaven.server.support.Api;
import dev.keyhaven.server.support.Res;
import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server started with {@code DEBUG=1} and {@code TRACE=1} in its environment, Spring's
 * {@code --trace} and a DEBUG root level, driven through bootstrap, person login, refresh,
 * password change, client secrets, machine login and secret writes: its whole log holds none of
 * the passwords, tokens, client secrets or secret values used. Runs in its own JVM, as an
 * operator would start it.
 */
class DebugLoggingTest {
    @TempDir
    Path dataDir;

    @Test
    void debugLoggingNeverPrintsCredentialsOrSecretValues() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.keyhaven.server.KeyhavenApplication",
                "--server.port=" + port,
                "--keyhaven.management-port=0",
                "--trace",
                "--logging.level.root=DEBUG"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("KEYHAVEN_ROOT_KEY");
        pb.environment().remove("KEYHAVEN_DB_URL");
        pb.environment().put("KEYHAVEN_DATA_DIR", dataDir.resolve("data").toString());
        pb.environment().put("DEBUG", "1");
        pb.environment().put("TRACE", "1");
        File log = dataDir.resolve("server.log").toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        Process process = pb.start();
        List<String> used = new ArrayList<>();
        try {
            Api anon = new Api("http://127.0.0.1:" + port, null);
            await().atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> anon.get("/api/status").status() == 200);
            exercise(anon, used);
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        assertThat(output)
                .as("debug logging of the web layer is on")
                .contains(" DEBUG ")
                .contains("DispatcherServlet");
        assertThat(output).as("the access log is on by default").contains("route=/api/v1/auth/login status=200");
        List<String> leaks = output.lines()
                .filter(line -> used.stream().anyMatch(line::contains))
                .map(line -> line.length() > 400 ? line.substring(0, 400) + "…" : line)
                .toList();
        assertThat(leaks).as("log lines holding a credential or secret value").isEmpty();
    }

    private static void exercise(Api anon, List<String> used) {
        String password = "first password " + UUID.randomUUID();
        String newPassword = "second password " + UUID.randomUUID();
        used.addAll(List.of(password, newPassword));
        Res boot = anon.post(
                "/api/v1/admin/bootstrap",
                Map.of("email", "root@debug.test", "password", password, "organization", "Debug"));
        assertThat(boot.status()).as(boot.toString()).isEqualTo(200);
        String adminToken =
                boot.body().path("identity").path("credentials").path("token").asString();
        String orgId = boot.body().path("organization").path("id").asString();
        used.add(adminToken);
        Api admin = anon.as(adminToken);

        Res login = anon.post("/api/v1/auth/login", Map.of("email", "root@debug.test", "password", password));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        String personToken = login.body().path("accessToken").asString();
        String refreshToken = login.body().path("refreshToken").asString();
        used.addAll(List.of(personToken, refreshToken));
        Res refreshed = anon.post("/api/v1/auth/session/refresh", Map.of("refreshToken", refreshToken));
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        String refreshedToken = refreshed.body().path("accessToken").asString();
        used.addAll(
                List.of(refreshedToken, refreshed.body().path("refreshToken").asString()));
        Res changed = anon.as(refreshedToken)
                .post("/api/v1/auth/password/change", Map.of("currentPassword", password, "newPassword", newPassword));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(anon.post("/api/v1/auth/login", Map.of("email", "root@debug.test", "password", password))
                        .status())
                .isEqualTo(401);

        String identityId = admin.post(
                        "/api/v1/identities", Map.of("name", "debug-bot", "organizationId", orgId, "role", "member"))
                .body()
                .path("identity")
                .path("id")
                .asString();
        String clientId = admin.post("/api/v1/auth/universal-auth/identities/" + identityId, Map.of())
                .body()
                .path("identityUniversalAuth")
                .path("clientId")
                .asString();
        Res secret = admin.post("/api/v1/auth/universal-auth/identities/" + identityId + "/client-secrets", Map.of());
        assertThat(secret.status()).as(secret.toString()).isEqualTo(200);
        String clientSecret = secret.body().path("clientSecret").asString();
        String wrongSecret = "f".repeat(63) + "0";
        used.addAll(List.of(clientSecret, wrongSecret));
        assertThat(anon.post(
                                "/api/v1/auth/universal-auth/login",
                                Map.of("clientId", clientId, "clientSecret", wrongSecret))
                        .status())
                .isEqualTo(401);
        Res machine = anon.postForm(
                "/api/v1/auth/universal-auth/login", Map.of("clientId", clientId, "clientSecret", clientSecret));
        assertThat(machine.status()).as(machine.toString()).isEqualTo(200);
        String machineToken = machine.body().path("accessToken").asString();
        used.add(machineToken);
        assertThat(anon.as(machineToken).get("/api/v1/identities/" + identityId).status())
                .isEqualTo(200);

        String project = admin.post("/api/v2/workspace", Map.of("projectName", "debug-project"))
                .body()
                .path("project")
                .path("id")
                .asString();
        String value = "secret value " + UUID.randomUUID();
        used.add(value);
        Res created = admin.post(
                "/api/v3/secrets/raw/DEBUG_LOGGED",
                Map.of("workspaceId", project, "environment", "dev", "secretValue", value));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        Res read = admin.get("/api/v3/secrets/raw/DEBUG_LOGGED", "workspaceId", project, "environment", "dev");
        assertThat(read.body().path("secret").path("secretValue").asString()).isEqualTo(value);
    }
}
