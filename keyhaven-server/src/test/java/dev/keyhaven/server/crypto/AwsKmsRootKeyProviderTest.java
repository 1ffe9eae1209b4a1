package dev.keyhaven.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.server.platform.config.StartupException;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The AWS KMS provider against a loopback KMS that checks SigV4 and keeps its own keys: wrapped
 * keys open only under their own associated data and key, a changed byte is refused, and an
 * unknown key, a wrong secret or an unreachable endpoint stops start-up with one line that never
 * carries the secret.
 */
class AwsKmsRootKeyProviderTest {
    static final String ACCESS_KEY = "AKIAKEYHAVENTEST0001";
    static final String SECRET = "kms-secret-" + "wJalrXUtnFEMI/K7MDENG";
    private static final String AAD = "keyhaven:org-key:v1:org-1";

    private final KmsStandIn kms = standIn();

    @AfterEach
    void stop() {
        kms.close();
    }

    static RootKeyProperties settings(String endpoint, String keyId, String secret) {
        return new RootKeyProperties(
                "aws-kms", null, null, null, null, null, null, keyId, KmsStandIn.REGION, endpoint, ACCESS_KEY, secret);
    }

    @Test
    void keysWrapInKmsAndOpenOnlyUnderTheirOwnAadAndKey() {
        String keyId = kms.createKey();
        RootKeyWrapper root = new AwsKmsRootKeyProvider(settings(kms.url(), keyId, SECRET))
                .load()
                .orElseThrow();
        RootKeyWrapper other = new AwsKmsRootKeyProvider(settings(kms.url(), kms.createKey(), SECRET))
                .load()
                .orElseThrow();
        byte[] orgKey = Aead.newKey();

        byte[] wrapped = root.wrap(orgKey, AAD);
        assertThat(root.unwrap(wrapped, AAD)).isEqualTo(orgKey);
        assertThat(root.id()).isEqualTo("aws-kms:" + KmsStandIn.arn(keyId));
        assertThatThrownBy(() -> root.unwrap(wrapped, "keyhaven:org-key:v1:org-2"))
                .isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> other.unwrap(wrapped, AAD)).isInstanceOf(DecryptionException.class);
        byte[] tampered = Arrays.copyOf(wrapped, wrapped.length);
        tampered[wrapped.length - 3] ^= 1;
        assertThatThrownBy(() -> root.unwrap(tampered, AAD)).isInstanceOf(DecryptionException.class);
        assertThat(kms.refusedSignatures()).isZero();
        assertThat(root.toString() + root.source()).doesNotContain(SECRET);
        assertThat(settings(kms.url(), keyId, SECRET).toString())
                .doesNotContain(SECRET)
                .contains("awsKmsSecretAccessKey=***");
    }

    @Test
    void aWrongSecretIsRefusedByTheSignatureCheckAndStopsStartUp() {
        String keyId = kms.createKey();
        assertThatThrownBy(() -> new AwsKmsRootKeyProvider(settings(kms.url(), keyId, "not-" + SECRET)).load())
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("refused to describe the key '" + keyId + "': InvalidSignatureException")
                .satisfies(
                        e -> assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("\n"));
        assertThat(kms.refusedSignatures()).isPositive();
    }

    @Test
    void anUnknownKeyStopsStartUp() {
        kms.createKey();
        assertThatThrownBy(() -> new AwsKmsRootKeyProvider(settings(kms.url(), "no-such-key", SECRET)).load())
                .isInstanceOf(StartupException.class)
                .hasMessage("KEYHAVEN_AWS_KMS_KEY_ID: AWS KMS at " + kms.url() + " has no key 'no-such-key'");
    }

    @Test
    void anUnreachableKmsStopsStartUpWithOneLine() {
        String keyId = kms.createKey();
        String url = kms.url();
        kms.close();
        assertThatThrownBy(() -> new AwsKmsRootKeyProvider(settings(url, keyId, SECRET)).load())
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith(
                        "KEYHAVEN_AWS_KMS_ENDPOINT / KEYHAVEN_AWS_KMS_REGION: AWS KMS at " + url + " is unreachable")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void missingSettingsNameTheSetting() {
        assertThatThrownBy(() -> new AwsKmsRootKeyProvider(settings(kms.url(), null, SECRET)).load())
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("KEYHAVEN_AWS_KMS_KEY_ID is not set");
    }

    static KmsStandIn standIn() {
        try {
            return new KmsStandIn().allow(ACCESS_KEY, SECRET);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
