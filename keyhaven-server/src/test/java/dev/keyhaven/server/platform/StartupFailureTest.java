package dev.keyhaven.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.crypto.Pkcs11RootKeyProvider;
import dev.keyhaven.server.crypto.RootKeyProperties;
import dev.keyhaven.server.support.SoftHsm;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad configuration stops start-up with one clear line on standard error, never a stack trace.
 * Each case starts the real server in its own JVM.
 */
class StartupFailureTest {
    @TempDir
    Path dataDir;

    /** Run before {@code java}, e.g. to take away root's power to write anywhere. */
    private List<String> commandPrefix = List.of();

    private record Outcome(int exit, String stderr, String stdout) {
        List<String> errorLines() {
            return stderr.lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("WARNING") && !l.startsWith("OpenJDK"))
                    .toList();
        }
    }

    private Outcome start(Map<String, String> env, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(commandPrefix);
        cmd.addAll(List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.keyhaven.server.KeyhavenApplication",
                "--server.port=0",
                "--keyhaven.management-port=0",
                "--logging.level.root=WARN"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("KEYHAVEN_ROOT_KEY");
        pb.environment().remove("KEYHAVEN_DB_URL");
        pb.environment().put("KEYHAVEN_DATA_DIR", dataDir.toString());
        pb.environment().putAll(env);
        File out = dataDir.resolve("stdout.txt").toFile();
        File err = dataDir.resolve("stderr.txt").toFile();
        pb.redirectOutput(out).redirectError(err);
        Process process = pb.start();
        boolean done = process.waitFor(90, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
            throw new AssertionError("server did not stop on bad configuration");
        }
        return new Outcome(
                process.exitValue(),
                Files.readString(err.toPath(), StandardCharsets.UTF_8),
                Files.readString(out.toPath(), StandardCharsets.UTF_8));
    }

    private static void assertOneClearLine(Outcome o, String expected) {
        assertThat(o.exit()).isNotZero();
        assertThat(o.errorLines()).as(o.stderr()).hasSize(1);
        assertThat(o.errorLines().get(0)).startsWith("keyhaven: cannot start: ").contains(expected);
        assertThat(o.stderr() + o.stdout()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void aRootKeyThatIsNotBase64StopsStartUp() throws Exception {
        assertOneClearLine(
                start(Map.of("KEYHAVEN_ROOT_KEY", "not base64 !!")), "KEYHAVEN_ROOT_KEY is not valid base64");
    }

    @Test
    void aRootKeyOfTheWrongLengthStopsStartUp() throws Exception {
        String short16 = Base64.getEncoder().encodeToString(new byte[16]);
        assertOneClearLine(start(Map.of("KEYHAVEN_ROOT_KEY", short16)), "exactly 32 bytes, got 16");
    }

    @Test
    void anUnreadableRootKeyFileStopsStartUp() throws Exception {
        Files.writeString(dataDir.resolve("root.key"), "short\n");
        assertOneClearLine(start(Map.of()), "root key file");
    }

    @Test
    void aTrustedProxyThatIsNotAnAddressStopsStartUp() throws Exception {
        assertOneClearLine(
                start(Map.of("KEYHAVEN_TRUSTED_PROXIES", "10.0.0.0/8,lb.internal")),
                "KEYHAVEN_TRUSTED_PROXIES: 'lb.internal' is not an IPv4 or IPv6 address or CIDR block");
    }

    @Test
    void aNegativeRateLimitStopsStartUp() throws Exception {
        assertOneClearLine(
                start(Map.of("KEYHAVEN_RATE_READS_PER_MINUTE", "-5")), "KEYHAVEN_RATE_READS_PER_MINUTE must be 0");
    }

    @Test
    void anUnreachableDatabaseStopsStartUp() throws Exception {
        assertOneClearLine(
                start(Map.of("KEYHAVEN_DB_URL", "jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2")),
                "cannot connect to the database");
    }

    @Test
    void aRootKeyThatDoesNotMatchTheDataStopsStartUp() throws Exception {
        String keyA = Base64.getEncoder().encodeToString(new byte[32]);
        byte[] b = new byte[32];
        b[0] = 1;
        String keyB = Base64.getEncoder().encodeToString(b);
        Outcome first = start(Map.of("KEYHAVEN_ROOT_KEY", keyA), "--spring.main.web-application-type=none");
        assertThat(first.exit()).as(first.stderr()).isZero();
        assertOneClearLine(start(Map.of("KEYHAVEN_ROOT_KEY", keyB)), "does not match the data");
    }

    @Test
    void aDatabaseWithoutItsRootKeyFileStopsStartUpAndNoKeyIsWritten() throws Exception {
        Outcome first = start(Map.of(), "--spring.main.web-application-type=none");
        assertThat(first.exit()).as(first.stderr()).isZero();
        Path keyFile = dataDir.resolve("root.key");
        assertThat(keyFile).exists();
        // a restored database whose key file was not restored with it
        Files.delete(keyFile);

        assertOneClearLine(start(Map.of()), "the root key file " + keyFile.toAbsolutePath() + " does not exist");
        assertThat(keyFile).doesNotExist();
    }

    @Test
    void aPkcs11PinTheTokenRefusesStopsStartUpAndNoKeyIsMade() throws Exception {
        SoftHsm.ensureToken();
        String label = SoftHsm.newLabel();
        Outcome o = start(Map.of(
                "KEYHAVEN_ROOT_KEY_PROVIDER",
                "pkcs11",
                "KEYHAVEN_PKCS11_LIBRARY",
                SoftHsm.LIBRARY,
                "KEYHAVEN_PKCS11_PIN",
                "wrong-" + SoftHsm.PIN,
                "KEYHAVEN_PKCS11_KEY_LABEL",
                label));
        assertOneClearLine(o, "KEYHAVEN_PKCS11_PIN: the PKCS#11 token in slot index 0 refused the PIN");
        assertThat(o.stderr() + o.stdout()).doesNotContain(SoftHsm.PIN);
        assertThat(dataDir.resolve("root.key")).doesNotExist();
        RootKeyProperties right = new RootKeyProperties(
                "pkcs11", SoftHsm.LIBRARY, null, 0, SoftHsm.PIN, null, label, null, null, null, null, null);
        assertThat(new Pkcs11RootKeyProvider(right).load()).isEmpty();
    }

    @Test
    void anUnknownRootKeyProviderStopsStartUp() throws Exception {
        assertOneClearLine(
                start(Map.of("KEYHAVEN_ROOT_KEY_PROVIDER", "vault")),
                "KEYHAVEN_ROOT_KEY_PROVIDER must be one of env, file, pkcs11, aws-kms, got 'vault'");
        assertThat(dataDir.resolve("root.key")).doesNotExist();
    }

    @Test
    void aReadOnlyDataDirectoryStopsStartUpNamingTheDirectory() throws Exception {
        Path readOnly = Files.createDirectory(dataDir.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        if ("root".equals(System.getProperty("user.name"))) {
            // root writes anywhere; without these capabilities it obeys the directory's mode like anyone else
            commandPrefix = List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--");
        }
        assertOneClearLine(
                start(Map.of("KEYHAVEN_DATA_DIR", readOnly.toString())),
                "the data directory " + readOnly.toAbsolutePath() + " is read-only for this user");
    }
}
