package dev.keyhaven.server.admin;

import dev.keyhaven.server.platform.config.StartupException;
import dev.keyhaven.server.platform.log.Redaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may bootstrap a fresh instance and for how long its admin token lives, bound from
 * {@code KEYHAVEN_BOOTSTRAP_TOKEN} or {@code KEYHAVEN_BOOTSTRAP_TOKEN_FILE} (a one-time token that
 * allows bootstrap from another host; without one, only a client on loopback may bootstrap) and
 * {@code KEYHAVEN_BOOTSTRAP_TOKEN_TTL} (lifetime of the instance-admin token bootstrap returns;
 * default 24 hours, {@code 0} for no expiry).
 */
@ConfigurationProperties("keyhaven")
public record BootstrapProperties(String bootstrapToken, Path bootstrapTokenFile, Duration bootstrapTokenTtl) {
    /** Shortest bootstrap token accepted, so that guessing it is hopeless. */
    static final int MIN_TOKEN_CHARS = 24;

    static final Duration DEFAULT_TTL = Duration.ofHours(24);
    /** The longest token lifetime any token auth accepts (ten years). */
    static final Duration MAX_TTL = Duration.ofSeconds(315_360_000L);

    public BootstrapProperties {
        if (bootstrapToken != null && bootstrapToken.isBlank()) {
            bootstrapToken = null;
        }
        if (bootstrapToken != null && bootstrapTokenFile != null) {
            throw new StartupException("set KEYHAVEN_BOOTSTRAP_TOKEN or KEYHAVEN_BOOTSTRAP_TOKEN_FILE, not both");
        }
        if (bootstrapTokenTtl == null) {
            bootstrapTokenTtl = DEFAULT_TTL;
        }
        if (bootstrapTokenTtl.isNegative() || bootstrapTokenTtl.compareTo(MAX_TTL) > 0) {
            throw new StartupException("KEYHAVEN_BOOTSTRAP_TOKEN_TTL must be between 0 (no expiry) and "
                    + MAX_TTL.toDays() + "d, got " + bootstrapTokenTtl);
        }
        if (!bootstrapTokenTtl.isZero() && bootstrapTokenTtl.toSeconds() < 60) {
            throw new StartupException(
                    "KEYHAVEN_BOOTSTRAP_TOKEN_TTL must be at least 60s (or 0 for no expiry), got " + bootstrapTokenTtl);
        }
    }

    /** The bootstrap token in force, read from its file if one is named; null when none is set. */
    String expectedToken() {
        String token = bootstrapToken;
        String setting = "KEYHAVEN_BOOTSTRAP_TOKEN";
        if (bootstrapTokenFile != null) {
            setting = "KEYHAVEN_BOOTSTRAP_TOKEN_FILE";
            try {
                token = Files.readString(bootstrapTokenFile, StandardCharsets.UTF_8)
                        .strip();
            } catch (IOException e) {
                throw new StartupException(
                        "KEYHAVEN_BOOTSTRAP_TOKEN_FILE names " + bootstrapTokenFile + ", which cannot be read");
            }
        }
        if (token != null && token.length() < MIN_TOKEN_CHARS) {
            throw new StartupException(
                    setting + " must be at least " + MIN_TOKEN_CHARS + " characters (e.g. `openssl rand -hex 24`)");
        }
        return token;
    }

    /** Lifetime of the instance-admin token in seconds; 0 means it does not expire. */
    long tokenTtlSeconds() {
        return bootstrapTokenTtl.toSeconds();
    }

    @Override
    public String toString() {
        return Redaction.toString(this);
    }
}
