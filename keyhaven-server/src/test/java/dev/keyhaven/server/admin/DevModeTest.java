package dev.keyhaven.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keyhaven-server --dev} as a user runs it: it bootstraps itself, prints the admin login,
 * token and three commands that work when pasted into a shell, prints the same login again after a
 * restart, and refuses a data directory that is not a development one (and a normal start refuses
 * a development one).
 */
class DevModeTest {
    private static final Pattern TOKEN = Pattern.compile("Admin token: +(\\S+)");

    @TempDir
    Path temp;

    @Test
    void bootstrapsItselfAndPrintsCommandsThatWork() throws Exception {
        Path dir = temp.resolve("dev");
        String[] printed = new String[1];
        runUntilReady(dir, output -> {
            printed[0] = output;
            // the next three commands, pasted into bash as printed, while the server runs
            String marker = "Next, in another shell:\n";
            List<String> commands = output.substring(output.indexOf(marker) + marker.length())
                    .lines()
                    .limit(3)
                    .map(String::strip)
                    .toList();
            assertThat(commands.get(0)).startsWith("export KEYHAVEN_URL=");
            Process bash = new ProcessBuilder("bash", "-ec", String.join("\n", commands))
                    .redirectErrorStream(true)
                    .start();
            String created = new String(bash.getInputStream().readAllBytes());
            assertThat(bash.waitFor()).as(created).isZero();
            assertThat(created).contains("\"name\":\"demo\"");
        });
        String output = printed[0];
        assertThat(output).contains("Development mode").contains("admin@keyhaven.dev / ");
        assertThat(output).containsPattern("API: +http://127\\.0\\.0\\.1:\\d+ +\\(127\\.0\\.0\\.1: --dev");
        Matcher token = TOKEN.matcher(output);
        assertThat(token.find()).as(output).isTrue();
        assertThat(dir.resolve(".keyhaven-dev")).exists();
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dir.resolve(StartupBanner.DEV_ADMIN_FILE))))
                .isEqualTo("rw-------");

        // a restart on the same directory prints the same login
        String again = runUntilReady(dir, o -> {});
        Matcher second = TOKEN.matcher(again);
        assertThat(second.find()).isTrue();
        assertThat(second.group(1)).isEqualTo(token.group(1));

        // a normal start refuses the development directory
        Result normal = run(dir, false);
        assertThat(normal.exit()).isEqualTo(1);
        assertThat(normal.output()).contains("is a development data directory");
    }

    @Test
    void refusesADataDirectoryWithDataThatIsNotADevelopmentOne() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("real"));
        Files.writeString(dir.resolve("keyhaven.db"), "not a dev database");
        Result r = run(dir, true);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("is not a development data directory");
        assertThat(dir.resolve(".keyhaven-dev")).doesNotExist();
        assertThat(Files.readString(dir.resolve("keyhaven.db"))).isEqualTo("not a dev database");
    }

    record Result(int exit, String output) {}

    /** Starts a --dev server on {@code dir}, waits for its banner, stops it, returns its output. */
    interface WhileRunning {
        void accept(String output) throws Exception;
    }

    private String runUntilReady(Path dir, WhileRunning action) throws Exception {
        Path log = temp.resolve("server-" + System.nanoTime() + ".log");
        Process p = builder(dir, true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofMillis(500))
                    .failFast("the server stopped", () -> !p.isAlive())
                    .until(() -> Files.readString(log).contains("Keyhaven is ready."));
            if (Files.readString(log).contains("Development mode")) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> Files.readString(log).contains("/api/v2/workspace"));
            }
            String output = Files.readString(log);
            action.accept(output);
            return output;
        } finally {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private Result run(Path dir, boolean dev) throws Exception {
        Path log = temp.resolve("refused-" + System.nanoTime() + ".log");
        Process p = builder(dir, dev).redirectOutput(log.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the server did not refuse to start: " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    private static ProcessBuilder builder(Path dir, boolean dev) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(
                List.of(java, "-cp", System.getProperty("java.class.path"), "dev.keyhaven.server.KeyhavenApplication"));
        if (dev) {
            cmd.add("--dev");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("KEYHAVEN_"));
        pb.environment().put("KEYHAVEN_DATA_DIR", dir.toString());
        pb.environment().put("KEYHAVEN_PORT", String.valueOf(freePort()));
        pb.environment().put("KEYHAVEN_MANAGEMENT_PORT", String.valueOf(freePort()));
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.directory(dir.getParent().toFile());
        return pb;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
