package dev.keyhaven.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the compatibility suite in {@code compat/}, which drives the official Infisical Node SDK
 * ({@code @infisical/sdk}) against a fresh Keyhaven server on each database.
 */
class NodeSdkCompatibilityTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void theOfficialNodeSdkWorksAgainstKeyhaven(Db db) throws Exception {
        Path compat = Path.of("..", "compat").toAbsolutePath().normalize();
        assertThat(compat.resolve("run.sh")).as("compat suite").exists();
        Path log =
                Path.of("target", "compat-" + db.name().toLowerCase() + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        try (TestServer server = TestServers.fresh(db)) {
            ProcessBuilder pb = new ProcessBuilder(
                            "bash", compat.resolve("run.sh").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("KEYHAVEN_URL", server.baseUrl);
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("the compatibility suite did not finish in 5 minutes; see " + log);
            }
            String output = Files.readString(log);
            assertThat(p.exitValue())
                    .as("compatibility suite failed (full log: %s):%n%s", log, tail(output))
                    .isZero();
            assertThat(output).contains("# fail 0").containsPattern("# pass [1-9]");
        }
    }

    private static String tail(String s) {
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }

    static {
        new File("target").mkdirs();
    }
}
