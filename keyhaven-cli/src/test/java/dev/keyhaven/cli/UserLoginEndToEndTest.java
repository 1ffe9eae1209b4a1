package dev.keyhaven.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.cli.InProcessCli.Result;
import dev.keyhaven.client.Json;
import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.KeyhavenException;
import dev.keyhaven.client.SecretQuery;
import dev.keyhaven.server.crypto.Totp;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code keyhaven login --method user} and {@code logout} end to end against the shared server (15-minute tokens). */
class UserLoginEndToEndTest {
    static CliServer server;
    static String project;

    @TempDir
    Path home;

    @TempDir
    Path work;

    Map<String, String> env;

    @BeforeAll
    static void startServer() throws IOException {
        server = CliServer.get();
        project = server.project();
        server.admin.setSecret(new SecretQuery(project, "dev", "/", false, false, false), "PEOPLE_KEY", "people-value");
    }

    @BeforeEach
    void cleanEnv() {
        env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", home.toString());
        env.put("KEYHAVEN_URL", server.url);
    }

    /** Runs the CLI in-process with {@code stdin} as its standard input (no console, as in a pipe). */
    Result cli(String stdin, String... args) {
        return InProcessCli.runWithInput(env, work, stdin, args);
    }

    Result ok(String stdin, String... args) {
        Result r = cli(stdin, args);
        assertThat(r.code()).as("%s%n%s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    Path credentials() {
        return home.resolve("keyhaven").resolve("credentials.json");
    }

    JsonNode stored() throws IOException {
        return Json.Databind.MAPPER.readTree(Files.readString(credentials()));
    }

    Result login(CliServer.Person p, String stdinAfterPassword) {
        return ok(p.password() + "\n" + stdinAfterPassword, "login", "--method", "user", "--email", p.email());
    }

    String listKeys() {
        return ok("", "secrets", "list", "--project-id", project, "-o", "dotenv")
                .out();
    }

    @Test
    void aPasswordPipedIntoTheProcessLogsInAndSecretsListWorks() throws Exception {
        List<String> cmd = List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KeyhavenCli.class.getName(),
                "login",
                "--method",
                "user");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("KEYHAVEN_URL", server.url);
        pb.environment().put("XDG_CONFIG_HOME", home.toString());
        pb.environment().remove("KEYHAVEN_PASSWORD");
        pb.environment().remove("KEYHAVEN_EMAIL");
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((CliServer.ADMIN_EMAIL + "\n" + CliServer.ADMIN_PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("E-mail: ")
                .contains("Password: ")
                .contains("Logged in to " + server.url + " as " + CliServer.ADMIN_EMAIL + " in organization CLI")
                .doesNotContain(CliServer.ADMIN_PASSWORD);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials())))
                .isEqualTo("rw-------");
        JsonNode s = stored();
        assertThat(s.path("method").asString()).isEqualTo("user");
        assertThat(s.path("email").asString()).isEqualTo(CliServer.ADMIN_EMAIL);
        assertThat(s.path("organizationId").asString()).isEqualTo(server.orgId);
        assertThat(s.path("accessToken").asString()).startsWith("kh_us_");
        assertThat(s.path("refreshToken").asString()).startsWith("kh_rt_");
        assertThat(s.path("expiresAt").asLong())
                .isBetween(Instant.now().getEpochSecond() + 800, Instant.now().getEpochSecond() + 901);
        assertThat(Files.readString(credentials())).doesNotContain(CliServer.ADMIN_PASSWORD);

        // the bootstrap admin is in no project yet: it makes its own, as a person would in the web UI
        KeyhavenClient asAdmin =
                new KeyhavenClient(server.url, s.path("accessToken").asString());
        String own = asAdmin.send("POST", "/api/v2/workspace", Map.of("projectName", CliServer.unique("admins")), true)
                .body()
                .path("project")
                .path("id")
                .asString();
        asAdmin.setSecret(SecretQuery.of(own, "dev", "/"), "ADMIN_KEY", "admin-value");
        assertThat(ok("", "secrets", "list", "--project-id", own, "-o", "dotenv")
                        .out())
                .contains("ADMIN_KEY=admin-value");
        assertThat(stored().path("refreshToken").asString())
                .as("a token with 15 minutes left is not refreshed")
                .isEqualTo(s.path("refreshToken").asString());
    }

    @Test
    void withTotpTheCodeIsAskedAfterThePasswordAndARecoveryCodeAlsoWorks() throws IOException {
        CliServer.Person p = server.person(project, "member");
        KeyhavenClient session = new KeyhavenClient(
                server.url, server.passwordLogin(p).path("accessToken").asString());
        String secret = session.send("POST", "/api/v1/auth/mfa/totp/register", Map.of(), true)
                .body()
                .path("secret")
                .asString();
        JsonNode recovery = session.send(
                        "POST", "/api/v1/auth/mfa/totp/confirm", Map.of("code", Totp.code(secret, Instant.now())), true)
                .body()
                .path("recoveryCodes");

        // a later step than the one the confirmation used (no code works twice); a wrong code first
        String code = Totp.code(secret, Instant.now().plusSeconds(30));
        Result r = login(p, "000000\n" + code + "\n");
        assertThat(r.err())
                .contains("Password: ")
                .contains("Authenticator code (or recovery code): ")
                .contains("That code was not accepted; try again.");
        assertThat(r.out()).contains("Logged in to " + server.url + " as " + p.email());
        assertThat(stored().path("accessToken").asString()).startsWith("kh_us_");
        assertThat(listKeys()).contains("PEOPLE_KEY=people-value");

        ok("", "logout");
        login(p, recovery.get(0).asString() + "\n");
        assertThat(listKeys()).contains("PEOPLE_KEY=people-value");

        Result noCode = cli(p.password() + "\n", "login", "--method", "user", "--email", p.email());
        assertThat(noCode.code()).isEqualTo(1);
        assertThat(noCode.err()).contains("No code given").contains("second factor");
    }

    @Test
    void aWrongPasswordIsAClearErrorAndStoresNothing() {
        CliServer.Person p = server.person(project, "viewer");
        Result r = cli("not the right password\n", "login", "--method", "user", "--email", p.email());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err())
                .contains("Error: Login failed: Invalid e-mail or password")
                .contains("Check the e-mail address and the password")
                .doesNotContain("not the right password");
        assertThat(credentials()).doesNotExist();

        Result none = cli("", "login", "--method", "user", "--email", p.email());
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("No password given");
    }

    @Test
    void aTokenCloseToExpiryIsRefreshedFirstAndAReusedRefreshTokenEndsTheSession() throws IOException {
        CliServer.Person p = server.person(project, "viewer");
        login(p, "");
        Session before = Session.load(home.resolve("keyhaven"));
        long soon = Instant.now().getEpochSecond() + 30;
        new Session(
                        before.url(),
                        before.method(),
                        null,
                        before.accessToken(),
                        soon,
                        before.ttl(),
                        before.refreshToken(),
                        before.organizationId(),
                        before.email())
                .save(home.resolve("keyhaven"));

        assertThat(listKeys()).contains("PEOPLE_KEY=people-value");
        JsonNode after = stored();
        assertThat(after.path("refreshToken").asString()).startsWith("kh_rt_").isNotEqualTo(before.refreshToken());
        assertThat(after.path("accessToken").asString()).startsWith("kh_us_").isNotEqualTo(before.accessToken());
        assertThat(after.path("expiresAt").asLong()).isGreaterThan(soon + 600);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials())))
                .isEqualTo("rw-------");

        // someone replays the old refresh token: the server ends the whole session, and the CLI says so
        KeyhavenClient anonymous = new KeyhavenClient(server.url, null);
        assertThatThrownBy(() -> anonymous.refreshSession(before.refreshToken()))
                .isInstanceOf(KeyhavenException.Unauthenticated.class);
        Result ended = cli("", "secrets", "list", "--project-id", project);
        assertThat(ended.code()).isEqualTo(1);
        assertThat(ended.err()).contains("Your session has ended; run `keyhaven login --method user` again.");
    }

    @Test
    void anOrganizationThatEnforcesMfaSendsAPersonWithoutOneToEnrol() throws IOException {
        CliServer.Person p = server.person(project, "viewer");
        KeyhavenClient session = new KeyhavenClient(
                server.url, server.passwordLogin(p).path("accessToken").asString());
        String strict = session.send("POST", "/api/v2/organizations", Map.of("name", CliServer.unique("strict")), true)
                .body()
                .path("organization")
                .path("id")
                .asString();
        session.send("POST", "/api/v1/auth/select-organization", Map.of("organizationId", strict), true);
        session.send("PATCH", "/api/v1/organization/" + strict, Map.of("enforceMfa", true), true);

        Result r =
                ok(p.password() + "\n", "login", "--method", "user", "--email", p.email(), "--organization-id", strict);
        assertThat(r.err())
                .contains("Warning: Your organization requires multi-factor authentication")
                .contains("web UI")
                .contains("/api/v1/auth/mfa/totp/register");
        assertThat(stored().path("organizationId").asString()).isEqualTo(strict);

        Result refused = cli("", "secrets", "list", "--project-id", project);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err())
                .contains("requires multi-factor authentication")
                .contains("Enrol one in the Keyhaven web UI")
                .doesNotContain("Permission denied");
    }

    @Test
    void logoutEndsThePersonsSessionOnTheServerAndDeletesTheStoredLogin() throws IOException {
        CliServer.Person p = server.person(project, "viewer");
        env.put("KEYHAVEN_EMAIL", p.email());
        env.put("KEYHAVEN_PASSWORD", p.password());
        ok("", "login", "--method", "user");
        String token = stored().path("accessToken").asString();
        KeyhavenClient asPerson = new KeyhavenClient(server.url, token);
        assertThat(asPerson.send("GET", "/api/v1/user/me", null, true)
                        .body()
                        .path("user")
                        .path("email")
                        .asString())
                .isEqualTo(p.email());

        assertThat(ok("", "logout").out()).contains("Logged out of " + server.url);
        assertThat(credentials()).doesNotExist();
        assertThatThrownBy(() -> asPerson.send("GET", "/api/v1/user/me", null, true))
                .isInstanceOf(KeyhavenException.Unauthenticated.class);
        assertThat(ok("", "logout").out()).contains("Not logged in");
    }

    @Test
    void logoutRevokesAMachineToken() throws IOException {
        CliServer.Machine m = server.identity(project, "viewer");
        env.put("KEYHAVEN_CLIENT_ID", m.clientId());
        env.put("KEYHAVEN_CLIENT_SECRET", m.clientSecret());
        ok("", "login");
        String token = stored().path("accessToken").asString();
        ok("", "logout");
        assertThat(credentials()).doesNotExist();
        assertThatThrownBy(() -> new KeyhavenClient(server.url, token).listEnvironments(project))
                .isInstanceOf(KeyhavenException.Unauthenticated.class);
    }
}
