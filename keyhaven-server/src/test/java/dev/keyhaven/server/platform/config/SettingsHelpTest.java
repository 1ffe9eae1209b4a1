package dev.keyhaven.server.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code keyhaven-server --help} prints the settings found in the typed settings records and exits
 * without starting a server, and every setting it knows is documented in docs/configuration.md (or,
 * for the root key providers, docs/kms.md).
 */
class SettingsHelpTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void helpListsTheSettingsAndExitsWithoutStarting() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.keyhaven.server.KeyhavenApplication",
                        "--help")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(out)
                .startsWith("Usage: keyhaven-server")
                .contains("KEYHAVEN_BIND", "KEYHAVEN_TLS_CERT_FILE", "KEYHAVEN_MANAGEMENT_PORT")
                .contains("KEYHAVEN_BOOTSTRAP_TOKEN_TTL", "KEYHAVEN_OUTBOX_POLL_INTERVAL", "KEYHAVEN_PORT")
                .containsPattern("KEYHAVEN_DATA_DIR +path")
                .containsPattern("KEYHAVEN_BOOTSTRAP_TOKEN_TTL +duration")
                .doesNotContain("Tomcat", "Started");
    }

    @Test
    void namesFollowTheEnvironmentVariableMapping() {
        assertThat(SettingsHelp.variable("keyhaven", "dataDir")).isEqualTo("KEYHAVEN_DATA_DIR");
        assertThat(SettingsHelp.variable("keyhaven.outbox", "pollInterval")).isEqualTo("KEYHAVEN_OUTBOX_POLL_INTERVAL");
        assertThat(SettingsHelp.variable("keyhaven.read-cache", "megabytes"))
                .isEqualTo("KEYHAVEN_READ_CACHE_MEGABYTES");
        assertThat(SettingsHelp.variable("keyhaven", "pkcs11SlotIndex")).isEqualTo("KEYHAVEN_PKCS11_SLOT_INDEX");
    }

    @Test
    void everySettingIsDocumented() throws Exception {
        // the root key providers' settings are on their own page, which configuration.md links to
        String docs =
                Files.readString(ROOT.resolve("docs/configuration.md")) + Files.readString(ROOT.resolve("docs/kms.md"));
        List<String> missing = SettingsHelp.settings().stream()
                .map(SettingsHelp.Setting::variable)
                .filter(v -> !documented(docs, v))
                .toList();
        assertThat(missing)
                .as("settings missing from docs/configuration.md and docs/kms.md")
                .isEmpty();
    }

    /** Named in full, or as a {@code _SUFFIX} in a row of the same group ({@code KEYHAVEN_OUTBOX_…, _LEASE}). */
    private static boolean documented(String docs, String variable) {
        if (docs.contains("`" + variable + "`")) {
            return true;
        }
        for (String line : docs.lines().toList()) {
            int cut = variable.lastIndexOf('_', variable.length() - 1);
            while (cut > "KEYHAVEN".length()) {
                String group = variable.substring(0, cut);
                if (line.contains("`" + group + "_") && line.contains("`" + variable.substring(cut) + "`")) {
                    return true;
                }
                cut = variable.lastIndexOf('_', cut - 1);
            }
        }
        return false;
    }
}
