package dev.keyhaven.server.kms;

import dev.keyhaven.server.crypto.KeyMaterialAead;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The cryptography of KMS keys, all of it from libraries: key generation, signing and verifying
 * through JCA {@link Signature} (the JDK's providers; Bouncy Castle's for RSA-PSS over a digest the
 * caller made, which the JDK does not offer), and AES-GCM through {@link KeyMaterialAead}.
 */
final class KeyOperations {
    /** A private instance: not registered globally, so it changes no other code's provider choice. */
    private static final Provider BC = new BouncyCastleProvider();

    private static final Map<String, AlgorithmIdentifier> DIGEST_IDS = Map.of(
            "SHA-256", new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE),
            "SHA-384", new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha384, DERNull.INSTANCE),
            "SHA-512", new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha512, DERNull.INSTANCE));

    private KeyOperations() {}

    /** New key material: the secret part (AES key or PKCS#8 private key) and the X.509 public key, if any. */
    record Material(byte[] secret, byte[] publicKey) {}

    static Material generate(KeySpec spec) {
        try {
            return switch (spec) {
                case AES_256_GCM, AES_128_GCM -> new Material(KeyMaterialAead.newKey(spec.size()), null);
                case RSA_4096 -> pair(KeyPairGenerator.getInstance("RSA"), spec.size());
                case ECC_NIST_P256 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                    KeyPair p = g.generateKeyPair();
                    yield new Material(
                            p.getPrivate().getEncoded(), p.getPublic().getEncoded());
                }
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + spec.wire() + " key", e);
        }
    }

    private static Material pair(KeyPairGenerator g, int bits) {
        g.initialize(bits);
        KeyPair p = g.generateKeyPair();
        return new Material(p.getPrivate().getEncoded(), p.getPublic().getEncoded());
    }

    static byte[] sign(KeySpec spec, byte[] pkcs8, SigningAlgorithm alg, byte[] data, boolean isDigest) {
        try {
            PrivateKey key = KeyFactory.getInstance(keyAlgorithm(spec)).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            Signature s = signature(alg, isDigest);
            s.initSign(key);
            s.update(isDigest ? input(alg, data) : data);
            return s.sign();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("signing with " + alg + " failed", e);
        }
    }

    /** False for a signature that does not match, including one that is not even well-formed. */
    static boolean verify(
            KeySpec spec, byte[] spki, SigningAlgorithm alg, byte[] data, byte[] signature, boolean isDigest) {
        try {
            PublicKey key = KeyFactory.getInstance(keyAlgorithm(spec)).generatePublic(new X509EncodedKeySpec(spki));
            Signature s = signature(alg, isDigest);
            s.initVerify(key);
            s.update(isDigest ? input(alg, data) : data);
            return s.verify(signature);
        } catch (SignatureException e) {
            return false;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("verifying with " + alg + " failed", e);
        }
    }

    private static String keyAlgorithm(KeySpec spec) {
        return spec == KeySpec.RSA_4096 ? "RSA" : "EC";
    }

    /** What the "NONE" signatures take: the digest, or for PKCS#1 v1.5 the digest in its DigestInfo. */
    private static byte[] input(SigningAlgorithm alg, byte[] digest) throws IOException {
        if (alg.scheme() == SigningAlgorithm.Scheme.RSA_PKCS1) {
            return new DigestInfo(DIGEST_IDS.get(alg.hash()), digest).getEncoded();
        }
        return digest;
    }

    private static Signature signature(SigningAlgorithm alg, boolean isDigest) throws GeneralSecurityException {
        String compact = alg.hash().replace("-", "");
        return switch (alg.scheme()) {
            case RSA_PKCS1 -> Signature.getInstance(isDigest ? "NONEwithRSA" : compact + "withRSA");
            case ECDSA -> Signature.getInstance(isDigest ? "NONEwithECDSA" : compact + "withECDSA");
            case RSA_PSS -> {
                Signature s = isDigest
                        ? Signature.getInstance("NONEwithRSASSA-PSS", BC)
                        : Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec(
                        alg.hash(), "MGF1", new MGF1ParameterSpec(alg.hash()), alg.digestBytes(), 1));
                yield s;
            }
        };
    }
}
