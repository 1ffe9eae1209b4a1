package dev.keyhaven.server.crypto;

import dev.keyhaven.server.platform.log.Redaction;
import java.nio.file.Path;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the root key lives, bound from {@code KEYHAVEN_ROOT_KEY_PROVIDER} and the settings of the
 * provider it names: {@code KEYHAVEN_PKCS11_*} for a PKCS#11 token, {@code KEYHAVEN_AWS_KMS_*} for
 * AWS KMS. Without a provider name the server keeps its long-standing behaviour (the environment,
 * then the root key file). The PIN and any AWS secret never appear in {@code toString()}.
 */
@ConfigurationProperties("keyhaven")
public record RootKeyProperties(
        String rootKeyProvider,
        String pkcs11Library,
        Long pkcs11Slot,
        Integer pkcs11SlotIndex,
        String pkcs11Pin,
        Path pkcs11PinFile,
        String pkcs11KeyLabel,
        String awsKmsKeyId,
        String awsKmsRegion,
        String awsKmsEndpoint,
        String awsKmsAccessKeyId,
        String awsKmsSecretAccessKey) {

    /** The provider names {@code KEYHAVEN_ROOT_KEY_PROVIDER} accepts. */
    public static final java.util.List<String> PROVIDERS = java.util.List.of("env", "file", "pkcs11", "aws-kms");

    /** The provider asked for, lower case, or null for the default (environment, then file). */
    public String providerOrNull() {
        return rootKeyProvider == null || rootKeyProvider.isBlank()
                ? null
                : rootKeyProvider.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return Redaction.toString(this);
    }
}
