package dev.keyhaven.server.kms;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The kind of material a KMS key holds (Infisical's {@code encryptionAlgorithm}): AES-GCM keys of
 * 256 or 128 bits for encrypt/decrypt, an RSA-4096 or NIST P-256 key pair for sign/verify, and the
 * signing algorithms each pair accepts.
 */
public enum KeySpec {
    AES_256_GCM("aes-256-gcm", KeyUsage.ENCRYPT_DECRYPT, 32, List.of()),
    AES_128_GCM("aes-128-gcm", KeyUsage.ENCRYPT_DECRYPT, 16, List.of()),
    RSA_4096(
            "RSA_4096",
            KeyUsage.SIGN_VERIFY,
            4096,
            List.of(
                    SigningAlgorithm.RSASSA_PSS_SHA_512,
                    SigningAlgorithm.RSASSA_PSS_SHA_384,
                    SigningAlgorithm.RSASSA_PSS_SHA_256,
                    SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_512,
                    SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_384,
                    SigningAlgorithm.RSASSA_PKCS1_V1_5_SHA_256)),
    ECC_NIST_P256(
            "ECC_NIST_P256",
            KeyUsage.SIGN_VERIFY,
            256,
            List.of(SigningAlgorithm.ECDSA_SHA_512, SigningAlgorithm.ECDSA_SHA_384, SigningAlgorithm.ECDSA_SHA_256));

    private final String wire;
    private final KeyUsage usage;
    private final int size;
    private final List<SigningAlgorithm> signingAlgorithms;

    KeySpec(String wire, KeyUsage usage, int size, List<SigningAlgorithm> signingAlgorithms) {
        this.wire = wire;
        this.usage = usage;
        this.size = size;
        this.signingAlgorithms = signingAlgorithms;
    }

    public String wire() {
        return wire;
    }

    public KeyUsage usage() {
        return usage;
    }

    /** Key bytes for AES, bits of the modulus or curve for a key pair. */
    int size() {
        return size;
    }

    public List<SigningAlgorithm> signingAlgorithms() {
        return signingAlgorithms;
    }

    public static Optional<KeySpec> fromWire(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
    }
}
