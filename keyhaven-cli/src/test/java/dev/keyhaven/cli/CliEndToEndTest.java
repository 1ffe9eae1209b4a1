package dev.keyhaven.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyhaven.cli.InProcessCli.Result;
import dev.keyhaven.client.Json;
import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.SecretList;
import dev.keyhaven.client.SecretQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** End to end: the CLI, in-process through picocli (and once as a real process), against a real server. */
class CliEndToEndTest {
    static CliServer server;
    static String project;
    static CliServer.Machine writer;
    static String writerToken;

    @TempDir
    Path home;

    @TempDir
    Path work;

    Map<String, String> env;

    @BeforeAll
    static void startServer() throws IOException {
        server = CliServer.get();
        project = server.project();
        writer = server.identity(project, "admin");
        writerToken = server.login(writer);
    }

    @BeforeEach
    void cleanEnv() {
        env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", home.toString());
        env.put("KEYHAVEN_URL", server.url);
    }

    Result cli(String... args) {
        return InProcessCli.run(env, work, args);
    }

    Result ok(String... args) {
        Result r = cli(args);
        assertThat(r.code()).as("%s%n%s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    Map<String, String> jsonMap(String json) {
        JsonNode n = Json.Databind.MAPPER.readTree(json);
        Map<String, String> m = new LinkedHashMap<>();
        n.properties().forEach(e -> m.put(e.getKey(), e.getValue().asString()));
        return m;
    }

    @Test
    void loginStoresAPrivateTokenThenSetListGetDelete() throws IOException {
        env.put("KEYHAVEN_CLIENT_ID", writer.clientId());
        env.put("KEYHAVEN_CLIENT_SECRET", writer.clientSecret());
        Result login = ok("login", "--method", "universal-auth");
        assertThat(login.out()).contains("Logged in to " + server.url).doesNotContain(writer.clientSecret());
        Path creds = home.resolve("keyhaven").resolve("credentials.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(creds)))
                .isEqualTo("rw-------");
        JsonNode stored = Json.Databind.MAPPER.readTree(Files.readString(creds));
        assertThat(stored.path("expiresAt").asLong())
                .isGreaterThan(Instant.now().getEpochSecond());
        assertThat(stored.path("accessToken").asString()).isNotBlank();
        env.remove("KEYHAVEN_CLIENT_SECRET");

        Files.writeString(work.resolve("cert.pem"), "-----BEGIN-----\nabc\n-----END-----");
        String path = "/" + CliServer.unique("crud").replace("-", "");
        server.folder(project, "dev", "/", path.substring(1));
        Result set = ok(
                "secrets",
                "set",
                "--project-id",
                project,
                "--env",
                "dev",
                "--path",
                path,
                "DB_USER=app",
                "DB_PASS=s3cr=t",
                "CERT=@cert.pem");
        assertThat(set.out()).contains("DB_USER").contains("created").doesNotContain("s3cr=t");
        Result update = ok("secrets", "set", "--project-id", project, "--path", path, "DB_USER=app2");
        assertThat(update.out()).contains("updated");

        Result list = ok("secrets", "list", "--project-id", project, "--path", path, "--format", "json");
        JsonNode arr = Json.Databind.MAPPER.readTree(list.out());
        Map<String, String> got = new HashMap<>();
        arr.forEach(s -> got.put(s.path("key").asString(), s.path("value").asString()));
        assertThat(got)
                .containsEntry("DB_USER", "app2")
                .containsEntry("DB_PASS", "s3cr=t")
                .containsEntry("CERT", "-----BEGIN-----\nabc\n-----END-----");
        assertThat(ok("secrets", "list", "--project-id", project, "--path", path)
                        .out())
                .contains("KEY")
                .contains("DB_PASS")
                .contains("s3cr=t");
        assertThat(ok("secrets", "list", "--project-id", project, "--path", path, "-o", "yaml")
                        .out())
                .contains("DB_USER: \"app2\"");

        assertThat(ok("secrets", "get", "--project-id", project, "--path", path, "DB_PASS")
                        .out())
                .isEqualTo("s3cr=t\n");
        assertThat(ok("secrets", "get", "--project-id", project, "--path", path, "DB_USER", "--format", "dotenv")
                        .out())
                .isEqualTo("DB_USER=app2\n");

        assertThat(ok("secrets", "delete", "--project-id", project, "--path", path, "DB_PASS")
                        .out())
                .contains("Deleted");
        Result gone = cli("secrets", "get", "--project-id", project, "--path", path, "DB_PASS");
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.err()).contains("Not found");
    }

    @Test
    void aStoredLoginCloseToExpiryIsRenewed() throws IOException {
        Path dir = home.resolve("keyhaven");
        long soon = Instant.now().getEpochSecond() + 20;
        new Session(server.url, "universal-auth", writer.clientId(), server.login(writer), soon, 2592000).save(dir);
        ok("secrets", "list", "--project-id", project);
        JsonNode stored = Json.Databind.MAPPER.readTree(Files.readString(dir.resolve("credentials.json")));
        assertThat(stored.path("expiresAt").asLong()).isGreaterThan(soon + 1000);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("credentials.json"))))
                .isEqualTo("rw-------");
    }

    @Test
    void initWritesTheProjectFileAndLaterCommandsNeedNoFlags() throws IOException {
        env.put("KEYHAVEN_TOKEN", writerToken);
        ok("init", "--project-id", project, "--env", "staging", "--path", "/");
        assertThat(work.resolve(".keyhaven.json")).exists();
        Files.createDirectories(work.resolve("sub"));
        ok("secrets", "set", "INIT_KEY=from-init");
        assertThat(ok("secrets", "get", "INIT_KEY").out()).isEqualTo("from-init\n");
        // the inherited global options also work after the subcommand
        env.remove("KEYHAVEN_URL");
        assertThat(ok("export", "--url", server.url, "--format", "json").out())
                .contains("\"INIT_KEY\" : \"from-init\"");
        assertThat(server.admin
                        .getSecret(new SecretQuery(project, "staging", "/", false, false, false), "INIT_KEY")
                        .value())
                .isEqualTo("from-init");
        assertThat(ok("environments", "--url", server.url).out())
                .contains("dev")
                .contains("staging")
                .contains("prod");
    }

    @Test
    void importsAreMergedLocalFirstThenLastImportWins() {
        env.put("KEYHAVEN_TOKEN", writerToken);
        String name = CliServer.unique("merge").replace("-", "");
        for (String e : List.of("dev", "staging", "prod")) {
            server.folder(project, e, "/", name);
        }
        String path = "/" + name;
        ok(
                "secrets",
                "set",
                "--project-id",
                project,
                "--env",
                "staging",
                "--path",
                path,
                "SHARED=staging",
                "ONE=staging",
                "BOTH=staging");
        ok("secrets", "set", "--project-id", project, "--env", "prod", "--path", path, "BOTH=prod");
        ok("secrets", "set", "--project-id", project, "--env", "dev", "--path", path, "SHARED=local");
        server.importInto(project, "dev", path, "staging", path);
        server.importInto(project, "dev", path, "prod", path);
        Map<String, String> merged = jsonMap(ok("export", "--project-id", project, "--path", path, "--format", "json")
                .out());
        assertThat(merged)
                .containsExactlyInAnyOrderEntriesOf(Map.of("SHARED", "local", "ONE", "staging", "BOTH", "prod"));
        Map<String, String> own = jsonMap(
                ok("export", "--project-id", project, "--path", path, "--format", "json", "--no-include-imports")
                        .out());
        assertThat(own).containsOnlyKeys("SHARED");
        assertThat(ok("folders", "--project-id", project, "--env", "prod").out())
                .contains(name);
    }

    @Test
    void runInjectsSecretsAndReturnsTheChildsExitCode() {
        env.put("KEYHAVEN_TOKEN", writerToken);
        String path = "/" + CliServer.unique("run").replace("-", "");
        server.folder(project, "dev", "/", path.substring(1));
        ok("secrets", "set", "--project-id", project, "--path", path, "KEY=value");
        assertThat(cli("run", "--project-id", project, "--path", path, "--", "sh", "-c", "test \"$KEY\" = value")
                        .code())
                .isZero();
        assertThat(cli("run", "--project-id", project, "--path", path, "--", "sh", "-c", "test \"$KEY\" = other")
                        .code())
                .isEqualTo(1);
        assertThat(cli("run", "--project-id", project, "--path", path, "--", "sh", "-c", "exit 3")
                        .code())
                .isEqualTo(3);
    }

    @Test
    void runAsARealProcessPassesTheExitCodeBack() throws Exception {
        String path = "/" + CliServer.unique("proc").replace("-", "");
        server.folder(project, "dev", "/", path.substring(1));
        env.put("KEYHAVEN_TOKEN", writerToken);
        ok("secrets", "set", "--project-id", project, "--path", path, "KEY=value");
        List<String> cmd = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KeyhavenCli.class.getName(),
                "run",
                "--project-id",
                project,
                "--path",
                path,
                "--",
                "sh",
                "-c",
                "test \"$KEY\" = value && echo \"len=${#KEY}\" && exit 3"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("KEYHAVEN_URL", server.url);
        pb.environment().put("KEYHAVEN_TOKEN", writerToken);
        pb.environment().put("XDG_CONFIG_HOME", home.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isEqualTo(3);
        assertThat(output).contains("len=5").contains("injecting 1 secret(s)").doesNotContain("value");
    }

    @Test
    void sigtermToTheCliStopsTheChild() throws Exception {
        Path marker = work.resolve("got-term");
        List<String> cmd = List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KeyhavenCli.class.getName(),
                "run",
                "-q",
                "--project-id",
                project,
                "--",
                "sh",
                "-c",
                "trap 'echo term > " + marker + "; exit 7' TERM; echo ready; while :; do sleep 0.1; done");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("KEYHAVEN_URL", server.url);
        pb.environment().put("KEYHAVEN_TOKEN", writerToken);
        pb.environment().put("XDG_CONFIG_HOME", home.toString());
        Process p = pb.start();
        try (var out =
                new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("ready");
            p.destroy(); // SIGTERM to the CLI
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(marker).exists();
        assertThat(Files.readString(marker).trim()).isEqualTo("term");
    }

    @Test
    void exportRoundTripsThroughDotenvAndJson() throws IOException {
        env.put("KEYHAVEN_TOKEN", writerToken);
        String name = CliServer.unique("rt").replace("-", "");
        for (String e : List.of("dev", "staging", "prod")) {
            server.folder(project, e, "/", name);
        }
        String path = "/" + name;
        Map<String, String> values = new LinkedHashMap<>();
        values.put("PLAIN", "abc123");
        values.put("SPACES", "a b  c");
        values.put("QUOTES", "it's \"quoted\"");
        values.put("MULTI", "line1\nline2\n\tindented");
        values.put("DOLLAR", "$HOME and ${NOT_A_REF");
        values.put("HASH", "a #not-a-comment");
        values.put("EQ", "k=v=w");
        values.put("UNICODE", "grüße ✓");
        values.put("BACKSLASH", "C:\\path\\n");
        List<String> pairs =
                new ArrayList<>(List.of("secrets", "set", "--project-id", project, "--path", path, "--no-expand"));
        values.forEach((k, v) -> pairs.add(k + "=" + v));
        ok(pairs.toArray(String[]::new));
        Map<String, String> dev =
                jsonMap(ok("export", "--project-id", project, "--path", path, "--format", "json", "--no-expand")
                        .out());
        assertThat(dev).isEqualTo(values);

        ok("export", "--project-id", project, "--path", path, "--no-expand", "--output", "dev.env");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("dev.env"))))
                .isEqualTo("rw-------");
        assertThat(Formats.parseDotenv(Files.readString(work.resolve("dev.env"))))
                .isEqualTo(values);
        ok("secrets", "set", "--project-id", project, "--env", "staging", "--path", path, "--file", "dev.env");
        assertThat(jsonMap(ok(
                                "export",
                                "--project-id",
                                project,
                                "--env",
                                "staging",
                                "--path",
                                path,
                                "--format",
                                "json",
                                "--no-expand")
                        .out()))
                .isEqualTo(values);

        ok(
                "export",
                "--project-id",
                project,
                "--path",
                path,
                "--no-expand",
                "--format",
                "json",
                "--output",
                "dev.json");
        ok("secrets", "set", "--project-id", project, "--env", "prod", "--path", path, "--file", "dev.json");
        assertThat(jsonMap(ok(
                                "export",
                                "--project-id",
                                project,
                                "--env",
                                "prod",
                                "--path",
                                path,
                                "--format",
                                "json",
                                "--no-expand")
                        .out()))
                .isEqualTo(values);

        assertThat(ok("export", "--project-id", project, "--path", path, "--format", "csv")
                        .out())
                .startsWith("Key,Value\n")
                .contains("EQ,k=v=w")
                .contains("\"it's \"\"quoted\"\"\"");
        assertThat(ok("export", "--project-id", project, "--path", path, "--format", "yaml")
                        .out())
                .contains("MULTI: \"line1\\nline2\\n\\tindented\"");
    }

    @Test
    void anUnreachableServerSaysWhatToCheck() {
        env.put("KEYHAVEN_TOKEN", writerToken);
        Result r = cli("secrets", "list", "--project-id", project, "--url", "http://127.0.0.1:9");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err())
                .contains("Cannot reach the Keyhaven server at http://127.0.0.1:9")
                .contains("KEYHAVEN_URL");
    }

    @Test
    void aRefusedClientSecretSaysTheCredentialsWereNotAcceptedNotThatALoginExpired() {
        env.put("KEYHAVEN_CLIENT_ID", writer.clientId());
        env.put("KEYHAVEN_CLIENT_SECRET", "not-the-secret");
        Result wrongSecret = cli("login", "--method", "universal-auth");
        assertThat(wrongSecret.code()).isEqualTo(1);
        assertThat(wrongSecret.err())
                .contains("client id or client secret was not accepted")
                .contains("KEYHAVEN_CLIENT_SECRET")
                .doesNotContain("expired or was revoked")
                .doesNotContain("not-the-secret");
        assertThat(home.resolve("keyhaven").resolve("credentials.json")).doesNotExist();

        Result unknownId = cli(
                "login",
                "--client-id",
                "00000000-0000-0000-0000-000000000000",
                "--client-secret",
                writer.clientSecret());
        assertThat(unknownId.code()).isEqualTo(1);
        assertThat(unknownId.err())
                .contains("client id or client secret was not accepted")
                .doesNotContain("expired or was revoked")
                .doesNotContain(writer.clientSecret());
    }

    @Test
    void aRevokedTokenOrAnExpiredLoginAsksToLogInAgain() {
        String token = server.login(writer);
        new KeyhavenClient(server.url, null).revoke(token);
        Result revoked = cli("secrets", "list", "--project-id", project, "--token", token);
        assertThat(revoked.code()).isEqualTo(1);
        assertThat(revoked.err()).contains("expired or was revoked").contains("keyhaven login");

        new Session(
                        server.url,
                        "universal-auth",
                        writer.clientId(),
                        server.login(writer),
                        Instant.now().getEpochSecond() - 5,
                        60)
                .save(home.resolve("keyhaven"));
        Result expired = cli("secrets", "list", "--project-id", project);
        assertThat(expired.code()).isEqualTo(1);
        assertThat(expired.err()).contains("login expired").contains("keyhaven login");
    }

    @Test
    void withoutLoginOrProjectTheMessagesSayWhatToDo() {
        Result noLogin = cli("secrets", "list", "--project-id", project);
        assertThat(noLogin.code()).isEqualTo(1);
        assertThat(noLogin.err()).contains("Not logged in").contains("keyhaven login");
        env.put("KEYHAVEN_TOKEN", writerToken);
        Result noProject = cli("secrets", "list");
        assertThat(noProject.err()).contains("--project-id").contains("keyhaven init");
    }

    @Test
    void aViewerCannotSetAndIsToldWhichPermissionIsMissing() {
        CliServer.Machine viewer = server.identity(project, "viewer");
        env.put("KEYHAVEN_TOKEN", server.login(viewer));
        Result r = cli("secrets", "set", "--project-id", project, "VIEWER_KEY=x");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err())
                .contains("Permission denied: You are not allowed to")
                .contains("ecret");
        assertThat(r.err()).contains("Ask a project admin");
    }

    @Test
    void runWatchRestartsTheChildWhenASecretChanges() throws IOException {
        env.put("KEYHAVEN_TOKEN", writerToken);
        String path = "/" + CliServer.unique("watch").replace("-", "");
        server.folder(project, "dev", "/", path.substring(1));
        ok("secrets", "set", "--project-id", project, "--path", path, "KEY=v1");

        // the server answers 304 to the ETag of an unchanged list
        KeyhavenClient client = new KeyhavenClient(server.url, writerToken);
        SecretQuery q = SecretQuery.of(project, "dev", path);
        SecretList first = client.listSecrets(q);
        assertThat(first.etag()).isNotBlank();
        assertThat(client.listSecrets(q, first.etag())).isNull();

        Path log = work.resolve("watch.log");
        CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> cli(
                "run",
                "--watch",
                "--watch-interval",
                "0.2",
                "--project-id",
                project,
                "--path",
                path,
                "--",
                "sh",
                "-c",
                "echo \"$KEY\" >> " + log + "; [ \"$KEY\" = v2 ] && exit 5; while :; do sleep 0.1; done"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(log) && Files.readString(log).contains("v1"));
        ok("secrets", "set", "--project-id", project, "--path", path, "KEY=v2");
        await().atMost(Duration.ofSeconds(30)).until(run::isDone);
        Result r = run.join();
        assertThat(r.code()).as(r.err()).isEqualTo(5);
        assertThat(Files.readAllLines(log)).containsExactly("v1", "v2");
        assertThat(r.err()).contains("changed; restarting sh").doesNotContain("v2");
    }

    @Test
    void fallbackOfflineUsesTheEncryptedCopyOnlyWhenTheServerIsUnreachable() throws IOException {
        env.put("KEYHAVEN_TOKEN", writerToken);
        String path = "/" + CliServer.unique("offline").replace("-", "");
        server.folder(project, "dev", "/", path.substring(1));
        ok("secrets", "set", "--project-id", project, "--path", path, "KEY=offline-value", "OTHER=two");

        assertThat(jsonMap(
                        ok("export", "--fallback-offline", "--project-id", project, "--path", path, "--format", "json")
                                .out()))
                .containsEntry("KEY", "offline-value");
        Path key = home.resolve("keyhaven").resolve("cache.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        List<Path> files;
        try (var s = Files.list(home.resolve("keyhaven").resolve("cache"))) {
            files = s.filter(f -> f.toString().endsWith(".bin")).toList();
        }
        assertThat(files).hasSize(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0))))
                .isEqualTo("rw-------");
        assertThat(new String(Files.readAllBytes(files.get(0)), StandardCharsets.ISO_8859_1))
                .doesNotContain("offline-value")
                .doesNotContain("KEY");

        String closed = "http://127.0.0.1:9";
        Result run = cli(
                "run",
                "--fallback-offline",
                "--url",
                closed,
                "--project-id",
                project,
                "--path",
                path,
                "--",
                "sh",
                "-c",
                "test \"$KEY\" = offline-value && test \"$OTHER\" = two");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err())
                .contains("Cannot reach the Keyhaven server at " + closed)
                .contains("using the offline copy of dev:" + path)
                .contains("ago");
        assertThat(ok(
                                "secrets",
                                "list",
                                "--fallback-offline",
                                "--url",
                                closed,
                                "--project-id",
                                project,
                                "--path",
                                path,
                                "-o",
                                "dotenv")
                        .out())
                .contains("KEY=offline-value");

        Result without = cli("run", "--url", closed, "--project-id", project, "--path", path, "--", "true");
        assertThat(without.code()).isEqualTo(1);
        assertThat(without.err())
                .contains("Cannot reach the Keyhaven server at " + closed)
                .doesNotContain("offline");
        Result notCached =
                cli("export", "--fallback-offline", "--url", closed, "--project-id", project, "--path", "/nope");
        assertThat(notCached.code()).isEqualTo(1);
        assertThat(notCached.err()).contains("Cannot reach").contains("no offline copy of dev:/nope");
    }

    @Test
    void importsListsTheFoldersImportsInOrder() {
        env.put("KEYHAVEN_TOKEN", writerToken);
        String name = CliServer.unique("imp").replace("-", "");
        server.folder(project, "dev", "/", name);
        server.importInto(project, "dev", "/" + name, "staging", "/");
        server.importInto(project, "dev", "/" + name, "prod", "/");
        String table =
                ok("imports", "--project-id", project, "--path", "/" + name).out();
        assertThat(table).contains("ENVIRONMENT").contains("PATH");
        assertThat(table.indexOf("staging")).isPositive().isLessThan(table.indexOf("prod"));
        JsonNode json =
                Json.Databind.MAPPER.readTree(ok("imports", "--project-id", project, "--path", "/" + name, "-o", "json")
                        .out());
        assertThat(json.size()).isEqualTo(2);
        assertThat(json.get(0).path("environment").asString()).isEqualTo("staging");
        assertThat(json.get(1).path("environment").asString()).isEqualTo("prod");
        assertThat(json.get(1).path("path").asString()).isEqualTo("/");
        assertThat(cli("imports", "--project-id", project, "--path", "/").err()).contains("No imports in dev:/");
    }

    @Test
    void onlyTheNamedSubcommandIsRegisteredForAShortStartUp() {
        assertThat(KeyhavenCli.subcommandName(new String[] {"--url", "http://x", "run", "--", "true"}))
                .isEqualTo("run");
        assertThat(KeyhavenCli.subcommandName(new String[] {"--token=abc", "secrets", "list"}))
                .isEqualTo("secrets");
        assertThat(KeyhavenCli.subcommandName(new String[] {"--help"})).isNull();
        assertThat(KeyhavenCli.commandLine(env, work, new String[] {"run", "--", "true"})
                        .getSubcommands())
                .containsOnlyKeys("run");
        assertThat(KeyhavenCli.commandLine(env, work, new String[] {"help"}).getSubcommands())
                .containsKeys("run", "secrets", "imports", "help");
    }
}
