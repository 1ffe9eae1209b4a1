package dev.keyhaven.server.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a random 96-bit nonce and associated data, from the JDK's provider. This is
 * the only class that touches a {@link Cipher}: every value Keyhaven seals passes through here,
 * and the associated data binds each ciphertext to the row it belongs to.
 *
 * <p>Sealed form: {@code base64(nonce || ciphertext || tag)}.
 */
public final class Aead {
    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** One cipher object per thread: looking up the provider for each operation costs more than the AES work. */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    });

    private Aead() {}

    public static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    public static String seal(byte[] key, byte[] plaintext, String aad) {
        return Base64.getEncoder().encodeToString(sealBytes(key, plaintext, aad));
    }

    /** {@link #seal} without the base64: {@code nonce || ciphertext || tag}. */
    static byte[] sealBytes(byte[] key, byte[] plaintext, String aad) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, aesKey(key), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            byte[] ct = cipher.doFinal(plaintext);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + ct.length);
            System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Opens a sealed value. Fails with {@link DecryptionException} when the key, the associated
     * data or any byte of the ciphertext differs from what was sealed.
     */
    public static byte[] open(byte[] key, String sealed, String aad) {
        byte[] in;
        try {
            in = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new DecryptionException("ciphertext is not base64");
        }
        return openBytes(key, in, aad);
    }

    /** {@link #open} of the raw form {@link #sealBytes} returns. */
    static byte[] openBytes(byte[] key, byte[] in, String aad) {
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new DecryptionException("ciphertext is too short");
        }
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.DECRYPT_MODE, aesKey(key), new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new DecryptionException("authentication tag mismatch");
        } catch (GeneralSecurityException e) {
            throw new DecryptionException(e.getClass().getSimpleName());
        }
    }

    private static SecretKey aesKey(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key");
        }
        return new SecretKeySpec(key, "AES");
    }
}
