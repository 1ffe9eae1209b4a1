package dev.keyhaven.server.crypto;

import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.config.StartupException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** The root key given as base64 in {@code KEYHAVEN_ROOT_KEY}, held in a {@link LocalRootKeyWrapper}. */
@Component
@Order(1)
public class EnvRootKeyProvider implements RootKeyProvider {
    private final KeyhavenProperties props;

    public EnvRootKeyProvider(KeyhavenProperties props) {
        this.props = props;
    }

    @Override
    public String name() {
        return "env";
    }

    @Override
    public String describeMissing() {
        return "KEYHAVEN_ROOT_KEY is not set";
    }

    @Override
    public Optional<RootKeyWrapper> load() {
        if (props.rootKey() == null) {
            return Optional.empty();
        }
        byte[] key = decode(props.rootKey().trim(), "KEYHAVEN_ROOT_KEY");
        try {
            return Optional.of(new LocalRootKeyWrapper(key, "KEYHAVEN_ROOT_KEY"));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * The keys held in memory that a rotation moves away from, from {@code
     * KEYHAVEN_ROOT_KEY_PREVIOUS} (base64, comma-separated), whatever the current key's provider,
     * so data can also move from a key file into an HSM or KMS.
     */
    static List<RootKeyWrapper> previousLocalKeys(KeyLifetimeProperties lifetime) {
        String given = lifetime.rootKeyPrevious();
        if (given == null || given.isBlank()) {
            return List.of();
        }
        List<RootKeyWrapper> out = new ArrayList<>();
        for (String part : given.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            byte[] key = decode(part.trim(), "KEYHAVEN_ROOT_KEY_PREVIOUS");
            try {
                out.add(new LocalRootKeyWrapper(key, "KEYHAVEN_ROOT_KEY_PREVIOUS"));
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        return out;
    }

    static byte[] decode(String base64, String where) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new StartupException(where + " is not valid base64 (generate one with: openssl rand -base64 32)");
        }
        if (key.length != Aead.KEY_BYTES) {
            throw new StartupException(where + " must be base64 of exactly 32 bytes, got " + key.length
                    + " bytes (generate one with: openssl rand -base64 32)");
        }
        return key;
    }
}
