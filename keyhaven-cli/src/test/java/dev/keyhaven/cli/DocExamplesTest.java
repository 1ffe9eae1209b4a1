package dev.keyhaven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.client.Json;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.Res;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The examples of the docs run as written: each page's commands are one script in
 * {@code docs/examples/}, every {@code bash} block of the page is that script (in order, nothing
 * left out, nothing added), and the scripts run against a fresh server the way a reader runs them:
 * {@code keyhaven} on the PATH through a symlink to {@code scripts/keyhaven}, the passwords typed on
 * standard input, and a server that sends no mail (invitation links come back in the answer).
 */
class DocExamplesTest {
    static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();
    static final Path EXAMPLES = ROOT.resolve("docs/examples");
    static final String ADMIN_PASSWORD = "a long passphrase here";
    private static final Pattern BASH_BLOCK = Pattern.compile("(?ms)^```bash\\n(.*?)^```$");

    @TempDir
    Path tmp;

    @Test
    void everyBashBlockOfEachPageIsItsScript() throws IOException {
        assertPageShowsScript("docs/getting-started.md", "getting-started.sh");
        assertPageShowsScript("docs/governance-examples.md", "governance.sh");
        assertPageShowsScript("docs/project-templates.md", "project-templates.sh");
        assertPageShowsScript("docs/network-security.md", "network-security.sh");
        assertPageShowsScript("docs/kms.md", "softhsm.sh", "kms-api.sh");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void theExamplesRunAsWrittenOnAFreshServer(Db db) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("keyhaven"), CliLauncher.SCRIPT);
        Path jar = CliLauncher.jar(tmp.resolve("jar/keyhaven-cli.jar"));
        assertThat(new ProcessBuilder("bash", "-c", "command -v jq && command -v curl")
                        .start()
                        .waitFor())
                .as("the examples need jq and curl (scripts/start-services.sh installs them)")
                .isZero();
        // no SMTP settings: the server sends no mail, as the governance page says
        try (TestServer server = TestServers.fresh(db, "--keyhaven.users.signup-allowed=false")) {
            Map<String, String> env = Map.of(
                    "KEYHAVEN_URL",
                    server.baseUrl,
                    "KEYHAVEN_CLI_JAR",
                    jar.toString(),
                    "PATH",
                    bin + File.pathSeparator + System.getenv("PATH"),
                    "XDG_CONFIG_HOME",
                    tmp.resolve("config").toString(),
                    "HOME",
                    tmp.toString(),
                    "JAVA_HOME",
                    System.getProperty("java.home"));

            gettingStarted(server, work, env, db);
            governance(work, env, db);
            projectTemplates(work, env, db);
            trustedIps(work, env, db);
            kmsApi(work, env, db);
        }
    }

    private void gettingStarted(TestServer server, Path work, Map<String, String> env, Db db) throws Exception {
        // the password twice: chosen at bootstrap, typed again at keyhaven login
        String started = run("getting-started.sh", work, env, ADMIN_PASSWORD + "\n" + ADMIN_PASSWORD + "\n", db);
        assertThat(started)
                .contains("Logged in to " + server.baseUrl + " as admin@example.com in organization Acme")
                .containsPattern("DATABASE_URL +postgres://app@db\\.internal/pay")
                .contains("the app gets postgres://app@db.internal/pay")
                .contains("DATABASE_URL=postgres://app@db.internal/pay\nDB_HOST=db.internal")
                .contains("get-secrets by payments-api", "get-secrets by admin@example.com")
                .contains("Successfully revoked access token");
        assertThat(Files.readString(work.resolve("app.env")))
                .isEqualTo("DATABASE_URL=postgres://app@db.internal/pay\n");
        for (String file : List.of("bootstrap.json", "client-id", "client-secret", "agent.yaml", "app.env")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve(file))))
                    .as(file)
                    .isEqualTo("rw-------");
        }
        JsonNode bootstrap = Json.Databind.MAPPER.readTree(Files.readString(work.resolve("bootstrap.json")));
        Res afterRevoke = server.as(bootstrap
                        .path("identity")
                        .path("credentials")
                        .path("token")
                        .asString())
                .get("/api/v1/organization/audit-logs");
        assertThat(afterRevoke.status())
                .as("the bootstrap token is revoked at the end")
                .isEqualTo(403);
    }

    private void governance(Path work, Map<String, String> env, Db db) throws Exception {
        String governance = run("governance.sh", work, env, ADMIN_PASSWORD + "\n", db);
        assertThat(governance)
                .containsPattern("incident-4711 ends at 20\\d\\d-")
                .contains(
                        "{\"allowed\":false,\"decision\":\"deny: a deny rule matches\",\"by\":[\"custom-role:runtime-prod\"]}")
                .containsPattern("CI client id: [0-9a-f-]{36}")
                .containsPattern("\\{\"role\":\"member\",\"temporaryAccessEndTime\":\"20\\d\\d-")
                .containsPattern("billing-debug ends at 20\\d\\d-")
                .contains("PermissionDenied", "refused, as it should be")
                .contains("{\"projectName\":\"billing\",\"inSync\":false,\"extraRoles\":[\"ci-deployer\"]}")
                .contains("create-user-additional-privilege by ana@example.com");
        assertThat(Files.readString(work.resolve("billing-ci.secret")).strip()).isNotBlank();
    }

    private void projectTemplates(Path work, Map<String, String> env, Db db) throws Exception {
        String templates = run("project-templates.sh", work, env, ADMIN_PASSWORD + "\n", db);
        assertThat(templates)
                .contains("template version 2")
                .contains("{\"projectName\":\"ledger\",\"inSync\":false,\"missing\":[\"perf\"]}")
                .contains("{\"projectName\":\"ledger\",\"added\":[\"perf\"]}")
                .contains("[{\"projectName\":\"ledger\",\"inSync\":true}]");
    }

    private void kmsApi(Path work, Map<String, String> env, Db db) throws Exception {
        String kms = run("kms-api.sh", work, env, ADMIN_PASSWORD + "\n", db);
        assertThat(kms)
                .contains("kms project: payments-kms")
                .contains("4111 1111 1111 1111\n")
                .contains("delete refused, as it should be")
                .contains("Verified OK")
                .contains("card-data is at version 2")
                .contains("disabled: true")
                .contains("a disabled key refuses to decrypt");
        assertThat(kms.split("4111 1111 1111 1111", -1))
                .as("decrypted before and after rotation")
                .hasSize(3);
    }

    private void trustedIps(Path work, Map<String, String> env, Db db) throws Exception {
        String trustedIps = run("network-security.sh", work, env, ADMIN_PASSWORD + "\n", db);
        assertThat(trustedIps)
                .contains(
                        "127.0.0.1 active=true my workstation",
                        "::1 active=true my workstation",
                        "203.0.113.0/24 active=true office",
                        "2001:db8:42::/48 active=true CI runners",
                        "198.51.100.7 active=false");
    }

    /**
     * The page's bash blocks, blank lines aside, are the scripts after their headers (up to {@code
     * set -euo pipefail}), one after the other: a page with two walk-throughs has two scripts.
     */
    private static void assertPageShowsScript(String page, String... scripts) throws IOException {
        List<String> shown = new ArrayList<>();
        Matcher m = BASH_BLOCK.matcher(Files.readString(ROOT.resolve(page)));
        while (m.find()) {
            shown.addAll(nonBlank(m.group(1)));
        }
        List<String> commands = new ArrayList<>();
        for (String script : scripts) {
            String text = Files.readString(EXAMPLES.resolve(script));
            int header = text.indexOf("set -euo pipefail\n");
            assertThat(header)
                    .as("%s starts with a header ending in set -euo pipefail", script)
                    .isPositive();
            commands.addAll(nonBlank(text.substring(header + "set -euo pipefail\n".length())));
        }
        assertThat(shown)
                .as("the bash blocks of %s, line by line, against docs/examples/%s", page, String.join(" + ", scripts))
                .containsExactlyElementsOf(commands);
    }

    private static List<String> nonBlank(String text) {
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    /** Runs a script with bash in {@code work}, with {@code input} on standard input; returns its output. */
    private String run(String script, Path work, Map<String, String> env, String input, Db db) throws Exception {
        Path log = Paths.get("target", "doc-examples", db.name().toLowerCase() + "-" + script + ".log")
                .toAbsolutePath();
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder("bash", EXAMPLES.resolve(script).toString())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("KEYHAVEN_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(script + " did not finish in 5 minutes; see " + log);
        }
        String output = Files.readString(log);
        assertThat(p.exitValue())
                .as("%s failed (log: %s):%n%s", script, log, output)
                .isZero();
        return output;
    }
}
