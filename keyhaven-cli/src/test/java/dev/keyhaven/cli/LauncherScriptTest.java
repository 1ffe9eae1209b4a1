package dev.keyhaven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/keyhaven} installed the way the docs say: a symlink to it on the PATH. The script
 * must find the jar next to its real location, not next to the link.
 */
class LauncherScriptTest {
    @TempDir
    Path tmp;

    Path install;

    /**
     * A checkout-shaped install in a temporary directory: the real script in {@code scripts/}, and in
     * {@code keyhaven-cli/target/keyhaven-cli.jar} a jar that runs the real CLI ({@link CliLauncher}).
     */
    @BeforeEach
    void install() throws IOException {
        install = tmp.resolve("opt/keyhaven");
        Path script = install.resolve("scripts/keyhaven");
        Files.createDirectories(script.getParent());
        Files.copy(CliLauncher.SCRIPT, script, StandardCopyOption.COPY_ATTRIBUTES);
        CliLauncher.jar(install.resolve("keyhaven-cli/target/keyhaven-cli.jar"));
    }

    @Test
    void aSymlinkOnThePathRunsTheCli() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("keyhaven"), install.resolve("scripts/keyhaven"));
        assertThat(runVersion(bin)).isEqualTo("keyhaven 0.1.0");
    }

    @Test
    void aChainOfRelativeSymlinksRunsTheCli() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path links = Files.createDirectories(tmp.resolve("links"));
        Files.createSymbolicLink(links.resolve("kh"), links.relativize(install.resolve("scripts/keyhaven")));
        Files.createSymbolicLink(bin.resolve("keyhaven"), Paths.get("../links/kh"));
        assertThat(runVersion(bin)).isEqualTo("keyhaven 0.1.0");
    }

    /** Runs {@code keyhaven --version} by name, found on a PATH that starts with {@code bin}. */
    private String runVersion(Path bin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "keyhaven --version")
                .redirectErrorStream(true)
                .directory(tmp.toFile());
        pb.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        pb.environment().remove("KEYHAVEN_CLI_JAR");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }
}
