package dev.keyhaven.server.kms;

import java.util.Arrays;
import java.util.Optional;

/**
 * The signing algorithms of the KMS API (AWS KMS's names, as Infisical uses them), each with the
 * JCA names that carry it out: on the message, and on a digest the caller computed
 * ({@code isDigest}).
 */
public enum SigningAlgorithm {
    RSASSA_PSS_SHA_256(Scheme.RSA_PSS, "SHA-256", 32),
    RSASSA_PSS_SHA_384(Scheme.RSA_PSS, "SHA-384", 48),
    RSASSA_PSS_SHA_512(Scheme.RSA_PSS, "SHA-512", 64),
    RSASSA_PKCS1_V1_5_SHA_256(Scheme.RSA_PKCS1, "SHA-256", 32),
    RSASSA_PKCS1_V1_5_SHA_384(Scheme.RSA_PKCS1, "SHA-384", 48),
    RSASSA_PKCS1_V1_5_SHA_512(Scheme.RSA_PKCS1, "SHA-512", 64),
    ECDSA_SHA_256(Scheme.ECDSA, "SHA-256", 32),
    ECDSA_SHA_384(Scheme.ECDSA, "SHA-384", 48),
    ECDSA_SHA_512(Scheme.ECDSA, "SHA-512", 64);

    /** How the signature is made. */
    enum Scheme {
        RSA_PSS,
        RSA_PKCS1,
        ECDSA
    }

    private final Scheme scheme;
    private final String hash;
    private final int digestBytes;

    SigningAlgorithm(Scheme scheme, String hash, int digestBytes) {
        this.scheme = scheme;
        this.hash = hash;
        this.digestBytes = digestBytes;
    }

    Scheme scheme() {
        return scheme;
    }

    /** The JCA digest name, e.g. {@code SHA-256}. */
    String hash() {
        return hash;
    }

    /** The length a digest passed with {@code isDigest} must have. */
    int digestBytes() {
        return digestBytes;
    }

    public static Optional<SigningAlgorithm> fromWire(String wire) {
        return Arrays.stream(values()).filter(a -> a.name().equals(wire)).findFirst();
    }
}
