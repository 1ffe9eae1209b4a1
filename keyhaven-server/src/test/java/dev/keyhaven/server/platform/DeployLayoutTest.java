package dev.keyhaven.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd layout of docs/deployment.md: {@code deploy/package/make-tarball.sh} packs the jar,
 * the unit, the system user and the settings file where the page says, reproducibly; the unit passes
 * {@code systemd-analyze verify} without a warning, and {@code systemd-sysusers} creates the user.
 */
class DeployLayoutTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path temp;

    @Test
    void theTarballHoldsTheDocumentedLayoutAndTheUnitVerifies() throws Exception {
        Path jar = Files.writeString(temp.resolve("keyhaven-server.jar"), "a jar");
        Path first = temp.resolve("first.tar.gz");
        Path second = temp.resolve("second.tar.gz");
        assertThat(run(
                        List.of(
                                "bash",
                                ROOT.resolve("deploy/package/make-tarball.sh").toString(),
                                first.toString()),
                        jar))
                .endsWith(first + "\n");
        run(List.of("bash", ROOT.resolve("deploy/package/make-tarball.sh").toString(), second.toString()), jar);
        assertThat(Files.readAllBytes(first)).as("reproducible").isEqualTo(Files.readAllBytes(second));

        String listing = run(List.of("tar", "-tvzf", first.toString()), jar);
        assertThat(listing)
                .containsPattern("-rw-r--r-- 0/0 .* \\./usr/lib/keyhaven/keyhaven-server\\.jar")
                .containsPattern("-rw-r--r-- 0/0 .* \\./usr/lib/systemd/system/keyhaven\\.service")
                .containsPattern("-rw-r--r-- 0/0 .* \\./usr/lib/sysusers\\.d/keyhaven\\.conf")
                .containsPattern("-rw------- 0/0 .* \\./etc/keyhaven/keyhaven\\.env")
                .contains("./usr/share/doc/keyhaven/deployment.md")
                .doesNotContain("var/lib");

        Path root = Files.createDirectories(temp.resolve("root"));
        run(List.of("tar", "-xzf", first.toString(), "-C", root.toString(), "--no-overwrite-dir"), jar);
        assertThat(Files.readString(root.resolve("usr/lib/keyhaven/keyhaven-server.jar")))
                .isEqualTo("a jar");
        String verify = run(
                List.of(
                        "systemd-analyze",
                        "verify",
                        root.resolve("usr/lib/systemd/system/keyhaven.service").toString()),
                jar);
        assertThat(verify)
                .as("systemd-analyze verify prints nothing for a sound unit")
                .isEmpty();
        Files.createDirectories(root.resolve("etc"));
        run(
                List.of(
                        "systemd-sysusers",
                        "--root=" + root,
                        root.resolve("usr/lib/sysusers.d/keyhaven.conf").toString()),
                jar);
        assertThat(Files.readString(root.resolve("etc/passwd")))
                .containsPattern(
                        "(?m)^keyhaven:x:\\d+:\\d+:Keyhaven secrets manager:/var/lib/keyhaven:/usr/sbin/nologin$");

        String unit = Files.readString(root.resolve("usr/lib/systemd/system/keyhaven.service"));
        assertThat(unit)
                .contains("ExecStart=/usr/bin/java -jar /usr/lib/keyhaven/keyhaven-server.jar")
                .contains("EnvironmentFile=/etc/keyhaven/keyhaven.env")
                .contains("StateDirectory=keyhaven")
                .contains("Environment=KEYHAVEN_DATA_DIR=/var/lib/keyhaven")
                .contains("User=keyhaven");
    }

    private String run(List<String> command, Path jar) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("KEYHAVEN_JAR", jar.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(command + ": " + out).isZero();
        return out;
    }
}
