package dev.keyhaven.server.support;

import dev.keyhaven.server.crypto.RootKeyProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A SoftHSM2 token for the PKCS#11 tests: made once per test JVM, before the module is first
 * loaded (SoftHSM2 reads its tokens when a process initialises it), in the directory the build's
 * {@code SOFTHSM2_CONF} names. Each test uses its own key label in this one token. Needs Debian's
 * {@code softhsm2} package ({@code scripts/start-services.sh} installs it).
 */
public final class SoftHsm {
    public static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    public static final String TOKEN_LABEL = "keyhaven-test";
    public static final String PIN = "4711-" + "user";
    private static boolean ready;

    private SoftHsm() {}

    /** Makes the token (once); returns the PIN's settings for a server, without a key label. */
    public static synchronized void ensureToken() {
        if (ready) {
            return;
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set (the build sets it for the tests)");
        }
        try {
            Path confFile = Path.of(conf);
            Path tokens = confFile.resolveSibling("tokens");
            if (Files.exists(tokens)) {
                try (var files = Files.walk(tokens)) {
                    for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                            .toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(tokens);
            Files.writeString(
                    confFile,
                    "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n",
                    StandardCharsets.UTF_8);
            run(List.of(
                    "softhsm2-util",
                    "--init-token",
                    "--free",
                    "--label",
                    TOKEN_LABEL,
                    "--pin",
                    PIN,
                    "--so-pin",
                    "so-" + PIN));
            ready = true;
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the SoftHSM2 token: " + e.getMessage(), e);
        }
    }

    /** A key label no test has used. */
    public static String newLabel() {
        return "root-" + UUID.randomUUID();
    }

    /** The provider settings for the token with the given key label, for tests that build a provider themselves. */
    public static RootKeyProperties settings(String keyLabel) {
        ensureToken();
        return new RootKeyProperties("pkcs11", LIBRARY, null, 0, PIN, null, keyLabel, null, null, null, null, null);
    }

    /** A server's settings for the token with the given key label. */
    public static String[] serverArgs(String keyLabel) {
        ensureToken();
        List<String> args = new ArrayList<>(List.of(
                "--keyhaven.root-key-provider=pkcs11",
                "--keyhaven.pkcs11-library=" + LIBRARY,
                "--keyhaven.pkcs11-slot-index=0",
                "--keyhaven.pkcs11-pin=" + PIN,
                "--keyhaven.pkcs11-key-label=" + keyLabel));
        return args.toArray(String[]::new);
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd.subList(0, 2)) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
