package dev.keyhaven.server.platform.listen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.KeyhavenApplication;
import java.io.File;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/examples/deployment.sh} runs as written in an empty directory: TLS from PEM files
 * with HSTS, health on the management port, bootstrap with the bootstrap token, the admin token's
 * rotation, and a renewed certificate served without a restart. {@code java -jar} gets a jar whose
 * manifest points at the test class path, so no packaged build is needed.
 */
class DeploymentExamplesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path temp;

    @Test
    void theDeploymentExampleRunsAsWritten() throws Exception {
        Path work = Files.createDirectories(temp.resolve("work"));
        ProcessBuilder pb = new ProcessBuilder(
                        "bash", ROOT.resolve("docs/examples/deployment.sh").toString())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(temp.resolve("out.txt").toFile());
        pb.environment().put("KEYHAVEN_JAR", classPathJar().toString());
        pb.environment().put("KEYHAVEN_PORT", String.valueOf(freePort()));
        pb.environment().put("KEYHAVEN_MANAGEMENT_PORT", String.valueOf(freePort()));
        pb.environment()
                .put(
                        "PATH",
                        Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + System.getenv("PATH"));
        pb.environment()
                .keySet()
                .removeIf(k -> k.startsWith("KEYHAVEN_")
                        && !k.equals("KEYHAVEN_JAR")
                        && !k.equals("KEYHAVEN_PORT")
                        && !k.equals("KEYHAVEN_MANAGEMENT_PORT"));
        Process p = pb.start();
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(temp.resolve("out.txt"));
        String log = Files.exists(work.resolve("server.log")) ? Files.readString(work.resolve("server.log")) : "";
        assertThat(done).as(out + log).isTrue();
        assertThat(p.exitValue()).as(out + "\n--- server.log\n" + log).isZero();
        assertThat(out)
                .containsIgnoringCase("strict-transport-security: max-age=31536000")
                .contains("\"status\":\"UP\"")
                .contains("Successfully revoked access token")
                .endsWith("up\n");
        assertThat(work.resolve("bootstrap-token")).doesNotExist();
    }

    /** A jar with only a manifest: the main class and the test class path. */
    private Path classPathJar() throws Exception {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(Path.of(e).toUri().toString());
        }
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, KeyhavenApplication.class.getName());
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", entries));
        Path jar = temp.resolve("keyhaven-server.jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return jar;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
