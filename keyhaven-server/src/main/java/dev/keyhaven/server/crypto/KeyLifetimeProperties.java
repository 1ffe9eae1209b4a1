package dev.keyhaven.server.crypto;

import dev.keyhaven.server.platform.config.StartupException;
import dev.keyhaven.server.platform.log.Redaction;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long unwrapped keys stay in memory ({@code KEYHAVEN_KEY_CACHE_SECONDS}, default 60, at most
 * 3600) and which root keys besides the current one may still have wrapped keys during a rotation:
 * {@code KEYHAVEN_ROOT_KEY_PREVIOUS} (base64 keys held in memory, comma-separated) and {@code
 * KEYHAVEN_AWS_KMS_PREVIOUS_KEY_ID} (a KMS key reached with the same region, endpoint and
 * credentials as the current one) and {@code KEYHAVEN_PKCS11_PREVIOUS_KEY_LABEL} (another key of
 * the same PKCS#11 token). The previous keys never appear in {@code toString()}.
 */
@ConfigurationProperties("keyhaven")
public record KeyLifetimeProperties(
        Integer keyCacheSeconds, String rootKeyPrevious, String awsKmsPreviousKeyId, String pkcs11PreviousKeyLabel) {
    static final int DEFAULT_CACHE_SECONDS = 60;
    static final int MAX_CACHE_SECONDS = 3600;

    /** The cache bound, checked: a value outside 1..3600 stops start-up naming the setting. */
    public Duration keyCache() {
        int seconds = keyCacheSeconds == null ? DEFAULT_CACHE_SECONDS : keyCacheSeconds;
        if (seconds < 1 || seconds > MAX_CACHE_SECONDS) {
            throw new StartupException("KEYHAVEN_KEY_CACHE_SECONDS must be between 1 and " + MAX_CACHE_SECONDS
                    + " (how long an unwrapped key may stay in memory), got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    @Override
    public String toString() {
        return Redaction.toString(this);
    }
}
