package dev.keyhaven.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyhaven.cli.InProcessCli.Result;
import dev.keyhaven.client.Json;
import dev.keyhaven.client.SecretQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A person's session against a server whose access tokens live 2 s and that allows 3 login
 * attempts per account a minute: refresh before a command, after the server rejects an expired
 * token, from several processes at once, and the answer to too many attempts.
 */
class UserSessionRefreshEndToEndTest {
    static CliServer server;
    static String project;

    @TempDir
    Path home;

    @TempDir
    Path work;

    Map<String, String> env;

    @BeforeAll
    static void startServer() throws IOException {
        server = CliServer.startPrivate(
                "--keyhaven.users.access-token-ttl=2s", "--keyhaven.users.login-per-account-per-minute=3");
        project = server.project();
        server.admin.setSecret(SecretQuery.of(project, "dev", "/"), "SHORT_KEY", "short-value");
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @BeforeEach
    void cleanEnv() {
        env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", home.toString());
        env.put("KEYHAVEN_URL", server.url);
    }

    Result cli(String stdin, String... args) {
        return InProcessCli.runWithInput(env, work, stdin, args);
    }

    Result ok(String stdin, String... args) {
        Result r = cli(stdin, args);
        assertThat(r.code()).as("%s%n%s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    Path configDir() {
        return home.resolve("keyhaven");
    }

    JsonNode stored() throws IOException {
        return Json.Databind.MAPPER.readTree(Files.readString(configDir().resolve("credentials.json")));
    }

    /** Logs a new person in and waits until the server no longer takes the access token. */
    Session loggedInAndExpired() {
        CliServer.Person p = server.person(project, "viewer");
        ok(p.password() + "\n", "login", "--method", "user", "--email", p.email());
        Session s = Session.load(configDir());
        assertThat(s.ttl()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().getEpochSecond() > s.expiresAt() + 1);
        return s;
    }

    @Test
    void anExpiredAccessTokenIsRefreshedBeforeTheCommand() throws IOException {
        Session before = loggedInAndExpired();
        assertThat(ok("", "secrets", "get", "--project-id", project, "SHORT_KEY")
                        .out())
                .isEqualTo("short-value\n");
        JsonNode after = stored();
        assertThat(after.path("refreshToken").asString()).startsWith("kh_rt_").isNotEqualTo(before.refreshToken());
        assertThat(after.path("accessToken").asString()).isNotEqualTo(before.accessToken());
        assertThat(after.path("expiresAt").asLong())
                .isGreaterThanOrEqualTo(Instant.now().getEpochSecond());
    }

    @Test
    void aTokenTheServerRejectsAsExpiredIsRefreshedAndTheRequestSentAgain() throws IOException {
        Session before = loggedInAndExpired();
        // the local clock thinks the token has an hour left (clock skew): only the server's 403 tells
        new Session(
                        before.url(),
                        before.method(),
                        null,
                        before.accessToken(),
                        Instant.now().getEpochSecond() + 3600,
                        before.ttl(),
                        before.refreshToken(),
                        before.organizationId(),
                        before.email())
                .save(configDir());
        assertThat(ok("", "secrets", "get", "--project-id", project, "SHORT_KEY")
                        .out())
                .isEqualTo("short-value\n");
        JsonNode after = stored();
        assertThat(after.path("refreshToken").asString()).isNotEqualTo(before.refreshToken());
        assertThat(after.path("expiresAt").asLong()).isLessThan(Instant.now().getEpochSecond() + 60);
    }

    @Test
    void processesStartedTogetherRefreshOneAfterAnotherAndKeepTheSession() throws Exception {
        Session before = loggedInAndExpired();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ProcessBuilder pb = new ProcessBuilder(
                            Paths.get(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            KeyhavenCli.class.getName(),
                            "secrets",
                            "get",
                            "--project-id",
                            project,
                            "SHORT_KEY")
                    .redirectErrorStream(true);
            pb.environment().put("KEYHAVEN_URL", server.url);
            pb.environment().put("XDG_CONFIG_HOME", home.toString());
            pb.environment().remove("KEYHAVEN_TOKEN");
            processes.add(pb.start());
        }
        for (Process p : processes) {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output).isEqualTo("short-value\n");
        }
        // no refresh token was used twice: the session is still alive
        assertThat(stored().path("refreshToken").asString()).isNotEqualTo(before.refreshToken());
        assertThat(ok("", "secrets", "get", "--project-id", project, "SHORT_KEY")
                        .out())
                .isEqualTo("short-value\n");
    }

    @Test
    void tooManyLoginAttemptsSayHowLongToWait() {
        CliServer.Person p = server.person(project, "viewer");
        for (int i = 0; i < 3; i++) {
            Result wrong = cli("wrong password number " + i + "\n", "login", "--method", "user", "--email", p.email());
            assertThat(wrong.err()).contains("Login failed: Invalid e-mail or password");
        }
        Result limited = cli(p.password() + "\n", "login", "--method", "user", "--email", p.email());
        assertThat(limited.code()).isEqualTo(1);
        assertThat(limited.err())
                .contains("Error: Too many attempts (429): Too many login attempts")
                .containsPattern("Wait [0-9]+ s \\(Retry-After\\) and try again");
        assertThat(configDir().resolve("credentials.json")).doesNotExist();
    }
}
