package dev.keyhaven.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** AES-256-GCM sealing: round trip, fresh nonces, and any change to key, AAD or bytes fails. */
class AeadTest {
    private final byte[] key = Aead.newKey();
    private final byte[] data = "s3cret".getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTripsWithTheSameAad() {
        assertThat(Aead.open(key, Aead.seal(key, data, "row-1"), "row-1")).isEqualTo(data);
    }

    @Test
    void everySealUsesAFreshNonce() {
        assertThat(Aead.seal(key, data, "a")).isNotEqualTo(Aead.seal(key, data, "a"));
    }

    @Test
    void anotherAadKeyOrByteFails() {
        String sealed = Aead.seal(key, data, "project:1:secret:2:version:3");
        assertThatThrownBy(() -> Aead.open(key, sealed, "project:1:secret:2:version:4"))
                .isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> Aead.open(Aead.newKey(), sealed, "project:1:secret:2:version:3"))
                .isInstanceOf(DecryptionException.class);
        byte[] raw = Base64.getDecoder().decode(sealed);
        raw[raw.length - 1] ^= 1;
        String tampered = Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> Aead.open(key, tampered, "project:1:secret:2:version:3"))
                .isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> Aead.open(key, "short", "x")).isInstanceOf(DecryptionException.class);
    }

    @Test
    void theRootKeyNeverPrintsItself() {
        RootKeyWrapper rootKey = new LocalRootKeyWrapper(key, "test");
        assertThat(rootKey.toString())
                .doesNotContain(Base64.getEncoder().encodeToString(key))
                .contains("hidden");
    }
}
