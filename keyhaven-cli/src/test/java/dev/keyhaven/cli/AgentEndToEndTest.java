package dev.keyhaven.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyhaven.cli.InProcessCli.Result;
import dev.keyhaven.client.SecretQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keyhaven agent} end to end against a real server: --once in-process through picocli, the
 * long-running agent as a real process (so SIGTERM and the shutdown path are the real ones).
 */
class AgentEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    static CliServer server;
    static String project;
    static CliServer.Machine reader;

    @TempDir
    Path home;

    @TempDir
    Path work;

    Map<String, String> env;
    Process agent;
    Path agentLog;

    @BeforeAll
    static void startServer() throws IOException {
        server = CliServer.get();
        project = server.project();
        reader = server.identity(project, "viewer");
    }

    @BeforeEach
    void cleanEnv() {
        env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", home.toString());
        env.put("AGENT_CLIENT_SECRET", reader.clientSecret());
    }

    @AfterEach
    void stopAgent() throws InterruptedException {
        if (agent != null && agent.isAlive()) {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    Result cli(String... args) {
        return InProcessCli.run(env, work, args);
    }

    /** A folder of its own under dev with the given secrets; returns its path. */
    static String folder(CliServer s, String projectId, Map<String, String> secrets) {
        String name = CliServer.unique("agent").replace("-", "");
        s.folder(projectId, "dev", "/", name);
        secrets.forEach((k, v) -> set(s, projectId, "/" + name, k, v));
        return "/" + name;
    }

    static void set(CliServer s, String projectId, String path, String key, String value) {
        s.admin.setSecret(SecretQuery.of(projectId, "dev", path), key, value);
    }

    /** An agent config with universal auth (client id in a file, secret from AGENT_CLIENT_SECRET). */
    Path config(String url, String projectId, CliServer.Machine m, String templates) throws IOException {
        Files.writeString(work.resolve("client-id"), m.clientId() + "\n");
        return write(
                "agent.yaml",
                "url: " + url + "\n"
                        + "projectId: " + projectId + "\n"
                        + "auth:\n"
                        + "  method: universal-auth\n"
                        + "  clientIdFile: client-id\n"
                        + "  clientSecretEnv: AGENT_CLIENT_SECRET\n"
                        + "pollInterval: 200ms\n"
                        + "maxRetryInterval: 1s\n"
                        + "templates:\n" + templates);
    }

    Path write(String name, String content) throws IOException {
        Path p = work.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    /** Starts {@code keyhaven agent} as its own JVM, standard error to {@link #agentLog}. */
    void startAgent(Path config, String secret) throws IOException {
        agentLog = work.resolve("agent.log");
        ProcessBuilder pb = new ProcessBuilder(
                        Paths.get(System.getProperty("java.home"), "bin", "java")
                                .toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        KeyhavenCli.class.getName(),
                        "agent",
                        "--config",
                        config.toString())
                .redirectError(agentLog.toFile())
                .redirectOutput(work.resolve("agent.out").toFile())
                .directory(work.toFile());
        pb.environment().put("XDG_CONFIG_HOME", home.toString());
        pb.environment().put("AGENT_CLIENT_SECRET", secret);
        pb.environment().remove("KEYHAVEN_URL");
        agent = pb.start();
    }

    String log() throws IOException {
        return Files.exists(agentLog) ? Files.readString(agentLog) : "";
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return ""; // being replaced: read again
        }
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    static int lines(Path p) throws IOException {
        return Files.exists(p) ? Files.readAllLines(p).size() : 0;
    }

    // ---- tests ------------------------------------------------------------------------------

    @Test
    void onceRendersEveryTemplateWithItsModeAndExits() throws IOException {
        String path = folder(server, project, Map.of("DB_USER", "app", "DB_PASSWORD", "pa\"ss\\word-91c3"));
        String other = folder(server, project, Map.of("API_KEY", "key-5d2e"));
        write(
                "db.tpl",
                "user={{ secret \"dev\" \"" + path + "\" \"DB_USER\" }}\n"
                        + "password={{secret \"dev\" \"" + path.substring(1) + "/\" \"DB_PASSWORD\"}}\n"
                        + "json={\"password\": {{ secret \"dev\" \"" + path + "\" \"DB_PASSWORD\" | json }}}\n"
                        + "literal={{ \"{{\" }} not a tag }}\n");
        Path cfg = config(
                server.url,
                project,
                reader,
                ""
                        + "  - source: db.tpl\n"
                        + "    destination: out/db.conf\n"
                        + "    mode: 0640\n"
                        + "    command: echo ran >> commands.log\n"
                        + "  - contents: 'key={{ secret \"dev\" \"" + other + "\" \"API_KEY\" | base64 }}'\n"
                        + "    destination: api.key\n");

        Result r = cli("agent", "--config", cfg.toString(), "--once");

        assertThat(r.code()).as(r.err()).isZero();
        Path db = work.resolve("out/db.conf");
        assertThat(Files.readString(db))
                .isEqualTo("user=app\npassword=pa\"ss\\word-91c3\n"
                        + "json={\"password\": \"pa\\\"ss\\\\word-91c3\"}\nliteral={{ not a tag }}\n");
        assertThat(mode(db)).isEqualTo("rw-r-----");
        assertThat(Files.readString(work.resolve("api.key"))).isEqualTo("key=a2V5LTVkMmU=");
        assertThat(mode(work.resolve("api.key"))).isEqualTo("rw-------");
        assertThat(lines(work.resolve("commands.log"))).isEqualTo(1);
        assertThat(r.err())
                .contains("Rendered " + db + " (mode 0640) with dev:" + path + " DB_PASSWORD, dev:" + path + " DB_USER")
                .contains("The command of " + db + " exited with status 0")
                .doesNotContain("91c3")
                .doesNotContain("5d2e")
                .doesNotContain(reader.clientSecret());
        try (var s = Files.list(work.resolve("out"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList())
                    .containsExactly("db.conf"); // no temp files left
        }

        // Unchanged: the file is left alone and the command does not run again (an agent restart reloads nothing).
        FileTime before = Files.getLastModifiedTime(db);
        Result again = cli("agent", "--config", cfg.toString(), "--once");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).contains(db + " is up to date");
        assertThat(Files.getLastModifiedTime(db)).isEqualTo(before);
        assertThat(lines(work.resolve("commands.log"))).isEqualTo(1);
    }

    @Test
    void reRendersWhenAValueChangesAndRunsTheCommandOnlyThen() throws Exception {
        String path = folder(server, project, Map.of("KEY", "first-7a1f", "OTHER", "x"));
        Path cfg = config(
                server.url,
                project,
                reader,
                ""
                        + "  - contents: \"key={{ secret \\\"dev\\\" \\\"" + path + "\\\" \\\"KEY\\\" }}\\n\"\n"
                        + "    destination: app.env\n"
                        + "    mode: \"0600\"\n"
                        + "    command: echo reloaded >> reloads.log; exit 3\n");
        Path file = work.resolve("app.env");
        Path reloads = work.resolve("reloads.log");
        startAgent(cfg, reader.clientSecret());

        await().atMost(WAIT).until(() -> read(file).equals("key=first-7a1f\n") && lines(reloads) == 1);
        assertThat(mode(file)).isEqualTo("rw-------");

        set(server, project, path, "KEY", "second-8b2e");
        await().atMost(WAIT).until(() -> read(file).equals("key=second-8b2e\n") && lines(reloads) == 2);

        // A change to a key the template does not use rewrites nothing and runs nothing.
        set(server, project, path, "OTHER", "y");
        // five polls see the change: the file and the command stay as they were all along
        await().during(Duration.ofSeconds(1))
                .atMost(WAIT)
                .until(() -> read(file).equals("key=second-8b2e\n") && lines(reloads) == 2);
        set(server, project, path, "KEY", "third-9c3d");
        await().atMost(WAIT).until(() -> read(file).equals("key=third-9c3d\n"));
        await().atMost(WAIT).until(() -> log().contains("exited with status 3") && lines(reloads) == 3);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> lines(reloads) == 3);

        agent.destroy(); // SIGTERM
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String log = log();
        assertThat(log)
                .contains("Keyhaven agent started: 1 template(s) from 1 folder(s)")
                .contains("Rendered " + file + " again; changed: dev:" + path + " KEY")
                .contains("The command of " + file + " exited with status 3")
                .contains("Keyhaven agent stopped.")
                .doesNotContain("7a1f")
                .doesNotContain("8b2e")
                .doesNotContain("9c3d")
                .doesNotContain(reader.clientSecret());
        assertThat(read(file)).isEqualTo("key=third-9c3d\n");
    }

    @Test
    void keepsTheFileWhileTheServerIsDownAndCatchesUpWhenItIsBack() throws Exception {
        CliServer own = CliServer.startPrivate();
        try {
            String ownProject = own.project();
            CliServer.Machine m = own.identity(ownProject, "viewer");
            String path = folder(own, ownProject, Map.of("KEY", "before"));
            Path cfg = config(
                    own.url,
                    ownProject,
                    m,
                    ""
                            + "  - contents: 'v={{ secret \"dev\" \"" + path + "\" \"KEY\" }}'\n"
                            + "    destination: app.env\n");
            Path file = work.resolve("app.env");
            String ownUrl = own.url;
            startAgent(cfg, m.clientSecret());
            await().atMost(WAIT).until(() -> read(file).equals("v=before"));
            FileTime written = Files.getLastModifiedTime(file);

            own.stop();
            await().atMost(WAIT)
                    .until(() -> log().contains("Cannot reach the Keyhaven server at " + ownUrl)
                            && log().contains("the rendered files stay as they are; next try in"));
            // a few more failed tries, with backoff
            await().atMost(WAIT).until(() -> occurrences(log(), "the rendered files stay as they are") >= 3);
            assertThat(read(file)).isEqualTo("v=before");
            assertThat(mode(file)).isEqualTo("rw-------");
            assertThat(Files.getLastModifiedTime(file)).isEqualTo(written);
            assertThat(agent.isAlive()).isTrue();

            own = own.restart();
            set(own, ownProject, path, "KEY", "after");
            // the file is replaced before the round ends and the recovery is logged
            await().atMost(WAIT)
                    .until(() -> read(file).equals("v=after") && log().contains("The server answers again."));
        } finally {
            own.stop();
        }
    }

    @Test
    void renewsTheTokenBeforeItExpiresAndLogsInAgainAtItsMaxTtl() throws Exception {
        CliServer.Machine shortLived =
                server.identity(project, "viewer", Map.of("accessTokenTTL", 2, "accessTokenMaxTTL", 4));
        String path = folder(server, project, Map.of("KEY", "v1"));
        Path cfg = config(
                server.url,
                project,
                shortLived,
                "" + "  - contents: '{{ secret \"dev\" \"" + path + "\" \"KEY\" }}'\n" + "    destination: out.txt\n");
        startAgent(cfg, shortLived.clientSecret());
        Path file = work.resolve("out.txt");
        await().atMost(WAIT).until(() -> read(file).equals("v1"));

        await().atMost(WAIT)
                .until(() -> log().contains("Renewed the access token") && log().contains("Logged in again ("));
        set(server, project, path, "KEY", "v2");
        await().atMost(WAIT).until(() -> read(file).equals("v2"));
        assertThat(log()).doesNotContain("rejected").doesNotContain("WARN");
    }

    @Test
    void logsInAgainWhenTheServerRejectsTheToken() throws Exception {
        // Three uses per token: the server soon answers 401 and the agent must log in again.
        CliServer.Machine limited = server.identity(project, "viewer", Map.of("accessTokenNumUsesLimit", 3));
        String path = folder(server, project, Map.of("KEY", "v1"));
        Path cfg = config(
                server.url,
                project,
                limited,
                "" + "  - contents: '{{ secret \"dev\" \"" + path + "\" \"KEY\" }}'\n" + "    destination: out.txt\n");
        startAgent(cfg, limited.clientSecret());
        Path file = work.resolve("out.txt");
        await().atMost(WAIT).until(() -> read(file).equals("v1"));
        await().atMost(WAIT)
                .until(() -> log().contains("The server rejected the access token (Access token has "
                        + "reached its use limit); logging in again."));
        set(server, project, path, "KEY", "v2");
        await().atMost(WAIT).until(() -> read(file).equals("v2"));
        assertThat(log().split("Logged in with universal auth", -1).length - 1).isGreaterThan(1);
    }

    @Test
    void aBadConfigStopsTheAgentWithTheLineAndTheField() throws IOException {
        String path = folder(server, project, Map.of("KEY", "v"));
        String ok = "  - contents: '{{ secret \"dev\" \"" + path + "\" \"KEY\" }}'\n    destination: out.txt\n";

        assertBad(
                config(server.url, project, reader, ok + "    destinaton: typo.txt\n"),
                "agent.yaml line 12: unknown key 'templates[0].destinaton'; expected one of");
        assertBad(
                config(server.url, project, reader, ok + "    mode: 0999\n"),
                "agent.yaml line 12: templates[0].mode: '0999' is not a file mode");
        assertBad(
                config(
                        server.url,
                        project,
                        reader,
                        "  - contents: '{{ secret \"dev\" \"/\" }}'\n" + "    destination: out.txt\n"),
                "agent.yaml templates[0].contents line 1, column 21: expected the key");
        assertBad(
                config(server.url, project, reader, "  - source: missing.tpl\n    destination: out.txt\n"),
                "templates[0].source: cannot read the template");
        assertBad(
                config(server.url, project, reader, "  - destination: out.txt\n"),
                "give exactly one of 'source' (a template file) or 'contents'");
        assertBad(
                config(server.url, project, reader, ok + "    commandTimeout: soon\n"),
                "templates[0].commandTimeout: 'soon' is not a duration");
        assertBad(config(server.url, project, reader, "  destination: out.txt\n"), "line 10: templates must be a list");
        assertBad(
                write("agent.yaml", "url: " + server.url + "\nauth:\n  method: gcp\ntemplates:\n" + ok),
                "agent.yaml line 3: auth.method: unknown auth method 'gcp'; supported: aws, jwt, kubernetes, oidc, "
                        + "universal-auth.");
        assertBad(
                write("agent.yaml", "auth:\n  clientId: x\n  clientSecretFile: nope/secret\ntemplates:\n" + ok),
                "Cannot read the client secret from " + work.resolve("nope/secret"));
        assertBad(
                write("agent.yaml", "auth:\n  clientId: x\ntemplates:\n" + ok),
                "the client secret is missing: set one of clientSecret, clientSecretFile");
        assertBad(write("agent.yaml", "auth: {clientId: x, clientSecret: y\n"), "agent.yaml line 2: not valid YAML");
        assertBad(work.resolve("absent.yaml"), "Cannot read the agent config");
        assertThat(work.resolve("out.txt")).doesNotExist();
    }

    @Test
    void onceFailsClearlyWhenASecretIsMissingOrTheLoginOrServerFails() throws IOException {
        String path = folder(server, project, Map.of("KEY", "v"));
        Path cfg = config(
                server.url,
                project,
                reader,
                "" + "  - contents: '{{ secret \"dev\" \"" + path + "\" \"NOPE\" }}'\n" + "    destination: out.txt\n");
        Result missing = cli("agent", "--config", cfg.toString(), "--once");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err())
                .contains("no secret NOPE in dev:" + path)
                .contains("Error: Not every template was rendered");
        assertThat(work.resolve("out.txt")).doesNotExist();

        Path good = config(
                server.url,
                project,
                reader,
                "  - contents: '{{ secret \"dev\" \"" + path + "\" \"KEY\" }}'\n" + "    destination: out.txt\n");
        env.put("AGENT_CLIENT_SECRET", "wrong-secret-3e4f");
        Result badLogin = cli("agent", "--config", good.toString(), "--once");
        assertThat(badLogin.code()).isEqualTo(1);
        assertThat(badLogin.err())
                .contains("Login with universal auth (client id " + reader.clientId() + ") failed")
                .doesNotContain("3e4f");

        env.put("AGENT_CLIENT_SECRET", reader.clientSecret());
        Result down = cli("--url", "http://127.0.0.1:9", "agent", "--config", good.toString(), "--once");
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.err()).contains("Cannot reach the Keyhaven server at http://127.0.0.1:9");
        assertThat(work.resolve("out.txt")).doesNotExist();
    }

    private void assertBad(Path cfg, String message) {
        Result r = cli("agent", "--config", cfg.toString(), "--once");
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("Error: ").contains(message);
        assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
        assertThat(List.of(r.err())).noneMatch(e -> e.contains(reader.clientSecret()));
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            n++;
        }
        return n;
    }
}
