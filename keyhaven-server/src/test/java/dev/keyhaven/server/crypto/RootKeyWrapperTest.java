package dev.keyhaven.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The root key as a wrapper: keys wrap and unwrap only under their own associated data, the wrapped
 * form is the one Keyhaven has always stored, and the key bytes cannot be had from outside.
 */
class RootKeyWrapperTest {
    private final byte[] rootBytes = Aead.newKey();
    private final RootKeyWrapper root = new LocalRootKeyWrapper(rootBytes, "test");
    private final byte[] orgKey = Aead.newKey();

    @Test
    void aWrappedKeyUnwrapsWithItsAad() {
        byte[] wrapped = root.wrap(orgKey, "keyhaven:org-key:v1:org-1");

        assertThat(root.unwrap(wrapped, "keyhaven:org-key:v1:org-1")).isEqualTo(orgKey);
        assertThat(wrapped).isNotEqualTo(root.wrap(orgKey, "keyhaven:org-key:v1:org-1"));
    }

    @Test
    void anotherAadAnotherRootKeyOrAChangedByteIsRefused() {
        byte[] wrapped = root.wrap(orgKey, "keyhaven:org-key:v1:org-1");

        assertThatThrownBy(() -> root.unwrap(wrapped, "keyhaven:org-key:v1:org-2"))
                .isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() ->
                        new LocalRootKeyWrapper(Aead.newKey(), "other").unwrap(wrapped, "keyhaven:org-key:v1:org-1"))
                .isInstanceOf(DecryptionException.class);
        byte[] tampered = Arrays.copyOf(wrapped, wrapped.length);
        tampered[20] ^= 1;
        assertThatThrownBy(() -> root.unwrap(tampered, "keyhaven:org-key:v1:org-1"))
                .isInstanceOf(DecryptionException.class);
    }

    @Test
    void keysWrappedBeforeTheWrapperExistedStillUnwrapAndViceVersa() {
        // what Keyring stored until now: Aead.seal under the raw root key
        String stored = Aead.seal(rootBytes, orgKey, "keyhaven:org-key:v1:org-1");

        assertThat(root.unwrap(Base64.getDecoder().decode(stored), "keyhaven:org-key:v1:org-1"))
                .isEqualTo(orgKey);
        String written = Base64.getEncoder().encodeToString(root.wrap(orgKey, "keyhaven:org-key:v1:org-1"));
        assertThat(Aead.open(rootBytes, written, "keyhaven:org-key:v1:org-1")).isEqualTo(orgKey);
    }

    @Test
    void theIdNamesTheKeyNotWhereItCameFromAndRevealsNothing() {
        RootKeyWrapper sameKeyElsewhere = new LocalRootKeyWrapper(rootBytes, "KEYHAVEN_ROOT_KEY");

        assertThat(root.id()).isEqualTo(sameKeyElsewhere.id()).startsWith("local:");
        assertThat(root.id()).isNotEqualTo(new LocalRootKeyWrapper(Aead.newKey(), "test").id());
        assertThat(root.id() + root.toString())
                .doesNotContain(Base64.getEncoder().encodeToString(rootBytes))
                .doesNotContain(HexFormat.of().formatHex(rootBytes));
        assertThat(root.toString()).contains("hidden");
    }

    @Test
    void theLegacyDigestKeyIsTheOneDerivedFromTheRootKeyBefore() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(rootBytes, "HmacSHA256"));
        byte[] before = mac.doFinal("keyhaven:credential-digest:v1".getBytes(StandardCharsets.UTF_8));

        assertThat(root.legacyCredentialDigestKey()).contains(before);
    }

    @Test
    void nothingHandsOutTheRootKeyBytes() {
        assertThat(Modifier.isPublic(LocalRootKeyWrapper.class.getModifiers())).isFalse();
        for (Field f : LocalRootKeyWrapper.class.getDeclaredFields()) {
            assertThat(Modifier.isPrivate(f.getModifiers())).as(f.getName()).isTrue();
        }
        // the only byte arrays out of a wrapper are what wrap/unwrap compute and the derived legacy digest key
        for (Method m : LocalRootKeyWrapper.class.getDeclaredMethods()) {
            if (m.getReturnType() == byte[].class) {
                assertThat(m.getName()).isIn("wrap", "unwrap");
            }
        }
        assertThat(Arrays.stream(RootKeyWrapper.class.getMethods())
                        .map(Method::getName)
                        .sorted()
                        .toList())
                .isEqualTo(List.of("id", "legacyCredentialDigestKey", "source", "unwrap", "wrap"));
        // the keyring keeps the wrapper to itself
        for (Method m : Keyring.class.getDeclaredMethods()) {
            if (!Modifier.isPrivate(m.getModifiers())) {
                assertThat(m.getReturnType()).as(m.getName()).isNotEqualTo(RootKeyWrapper.class);
            }
        }
        for (Field f : Keyring.class.getDeclaredFields()) {
            if (f.getType() == RootKeyWrapper.class) {
                assertThat(Modifier.isPrivate(f.getModifiers())).isTrue();
            }
        }
    }
}
