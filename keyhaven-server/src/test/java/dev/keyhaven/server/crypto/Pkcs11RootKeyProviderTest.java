package dev.keyhaven.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.config.StartupException;
import dev.keyhaven.server.support.SoftHsm;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PKCS#11 provider against a real SoftHSM2 token: a key generated in the token is sensitive and
 * non-extractable, wraps and unwraps only under its own associated data, another key or a changed
 * byte is refused, a missing label gives no key (and none is made by loading), and the PIN never
 * shows. Provider selection by name keeps the default order.
 */
class Pkcs11RootKeyProviderTest {
    private static final String AAD = "keyhaven:org-key:v1:org-1";

    @BeforeAll
    static void token() {
        SoftHsm.ensureToken();
    }

    private static RootKeyProperties settings(String label, String pin) {
        return new RootKeyProperties(
                "pkcs11", SoftHsm.LIBRARY, null, 0, pin, null, label, null, null, null, null, null);
    }

    @Test
    void aKeyGeneratedInTheTokenWrapsAndUnwrapsInsideIt() throws Exception {
        Pkcs11RootKeyProvider provider = new Pkcs11RootKeyProvider(settings(SoftHsm.newLabel(), SoftHsm.PIN));
        assertThat(provider.load()).isEmpty();
        RootKeyWrapper root = provider.generate().orElseThrow();
        byte[] orgKey = Aead.newKey();

        byte[] wrapped = root.wrap(orgKey, AAD);
        assertThat(root.unwrap(wrapped, AAD)).isEqualTo(orgKey);
        assertThat(wrapped).hasSize(12 + 32 + 16).isNotEqualTo(root.wrap(orgKey, AAD));
        // the key is a handle: the token does not give out its bytes
        Field f = Pkcs11RootKeyWrapper.class.getDeclaredField("key");
        f.setAccessible(true);
        SecretKey handle = (SecretKey) f.get(root);
        assertThat(handle.getEncoded()).isNull();
        assertThat(handle.toString())
                .contains("sensitive")
                .contains("unextractable")
                .contains("token object");
        // a second start finds the same key by its label
        RootKeyWrapper again = new Pkcs11RootKeyProvider(settings(labelOf(root), SoftHsm.PIN))
                .load()
                .orElseThrow();
        assertThat(again.unwrap(wrapped, AAD)).isEqualTo(orgKey);
        assertThat(again.id()).isEqualTo(root.id()).startsWith("pkcs11:");
    }

    @Test
    void anotherAadAnotherKeyOrAChangedByteIsRefused() {
        RootKeyWrapper root = new Pkcs11RootKeyProvider(settings(SoftHsm.newLabel(), SoftHsm.PIN))
                .generate()
                .orElseThrow();
        RootKeyWrapper other = new Pkcs11RootKeyProvider(settings(SoftHsm.newLabel(), SoftHsm.PIN))
                .generate()
                .orElseThrow();
        byte[] wrapped = root.wrap(Aead.newKey(), AAD);

        assertThatThrownBy(() -> root.unwrap(wrapped, "keyhaven:org-key:v1:org-2"))
                .isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> other.unwrap(wrapped, AAD)).isInstanceOf(DecryptionException.class);
        for (int i : new int[] {0, 20, wrapped.length - 1}) {
            byte[] tampered = Arrays.copyOf(wrapped, wrapped.length);
            tampered[i] ^= 1;
            assertThatThrownBy(() -> root.unwrap(tampered, AAD)).isInstanceOf(DecryptionException.class);
        }
        assertThatThrownBy(() -> root.unwrap(new byte[5], AAD)).isInstanceOf(DecryptionException.class);
        // a key wrapped by a key held in memory does not open in the token either
        byte[] local = new LocalRootKeyWrapper(Aead.newKey(), "test").wrap(Aead.newKey(), AAD);
        assertThatThrownBy(() -> root.unwrap(local, AAD)).isInstanceOf(DecryptionException.class);
    }

    @Test
    void aMissingLabelGivesNoKeyAndLoadingMakesNone() {
        String label = SoftHsm.newLabel();
        Pkcs11RootKeyProvider provider = new Pkcs11RootKeyProvider(settings(label, SoftHsm.PIN));

        assertThat(provider.load()).isEmpty();
        assertThat(provider.load()).isEmpty();
        assertThat(provider.describeMissing()).contains("'" + label + "'").contains("KEYHAVEN_PKCS11_KEY_LABEL");
    }

    @Test
    void aMissingLibraryOrPinIsOneLineNamingTheSetting() {
        RootKeyProperties noLibrary = new RootKeyProperties(
                "pkcs11", "/nowhere/libpkcs11.so", null, 0, SoftHsm.PIN, null, "k", null, null, null, null, null);
        assertThatThrownBy(() -> new Pkcs11RootKeyProvider(noLibrary).load())
                .isInstanceOf(StartupException.class)
                .hasMessage("KEYHAVEN_PKCS11_LIBRARY: cannot read the PKCS#11 module /nowhere/libpkcs11.so");
        RootKeyProperties noPin = settings("k", null);
        assertThatThrownBy(() -> new Pkcs11RootKeyProvider(noPin).load())
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("KEYHAVEN_PKCS11_PIN or KEYHAVEN_PKCS11_PIN_FILE");
        RootKeyProperties unreadablePinFile = new RootKeyProperties(
                "pkcs11", SoftHsm.LIBRARY, null, 0, null, Path.of("/nowhere/pin"), "k", null, null, null, null, null);
        assertThatThrownBy(() -> new Pkcs11RootKeyProvider(unreadablePinFile).load())
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("KEYHAVEN_PKCS11_PIN_FILE: cannot read /nowhere/pin");
    }

    @Test
    void thePinNeverShows() {
        RootKeyProperties s = settings("k", SoftHsm.PIN);
        RootKeyWrapper root = new Pkcs11RootKeyProvider(settings(SoftHsm.newLabel(), SoftHsm.PIN))
                .generate()
                .orElseThrow();

        assertThat(s.toString()).doesNotContain(SoftHsm.PIN).contains("pkcs11Pin=***");
        assertThat(root.toString() + root.source() + root.id()).doesNotContain(SoftHsm.PIN);
    }

    @Test
    void theProviderIsChosenByNameAndTheDefaultIsEnvThenFile() {
        KeyhavenProperties props = new KeyhavenProperties(
                Path.of("unused"), null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        RootKeyProperties pkcs11 = settings("k", SoftHsm.PIN);
        List<RootKeyProvider> all = List.of(
                new EnvRootKeyProvider(props), new FileRootKeyProvider(props), new Pkcs11RootKeyProvider(pkcs11));

        assertThat(CryptoConfig.selected(all, named(null)).stream()
                        .map(RootKeyProvider::name)
                        .toList())
                .containsExactly("env", "file");
        assertThat(CryptoConfig.selected(all, named("PKCS11")).stream()
                        .map(RootKeyProvider::name)
                        .toList())
                .containsExactly("pkcs11");
        assertThat(CryptoConfig.selected(all, named("file")).stream()
                        .map(RootKeyProvider::name)
                        .toList())
                .containsExactly("file");
        assertThatThrownBy(() -> CryptoConfig.selected(all, named("vault")))
                .isInstanceOf(StartupException.class)
                .hasMessage("KEYHAVEN_ROOT_KEY_PROVIDER must be one of env, file, pkcs11, aws-kms, got 'vault'");
    }

    private static RootKeyProperties named(String provider) {
        return new RootKeyProperties(provider, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static String labelOf(RootKeyWrapper root) {
        return root.id().substring("pkcs11:".length());
    }
}
