package dev.keyhaven.server.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM under a key that users hold through the KMS API (128 or 256 bits), from the JDK's
 * provider, with a random 96-bit nonce and associated data. It lives here because this package
 * alone touches a {@link Cipher}; it never sees the root key or the keyring's keys.
 *
 * <p>Sealed form: {@code nonce || ciphertext || tag}.
 */
public final class KeyMaterialAead {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyMaterialAead() {}

    /** A new random AES key of {@code bytes} (16 or 32) bytes. */
    public static byte[] newKey(int bytes) {
        checkLength(bytes);
        byte[] key = new byte[bytes];
        RANDOM.nextBytes(key);
        return key;
    }

    public static byte[] seal(byte[] key, byte[] plaintext, byte[] aad) {
        checkLength(key.length);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            byte[] ct = cipher.doFinal(plaintext);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + ct.length);
            System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Opens what {@link #seal} made. Fails with {@link DecryptionException} when the key, the
     * associated data or any byte differs from what was sealed.
     */
    public static byte[] open(byte[] key, byte[] sealed, byte[] aad) {
        checkLength(key.length);
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new DecryptionException("ciphertext is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(aad);
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new DecryptionException("authentication tag mismatch");
        } catch (GeneralSecurityException e) {
            throw new DecryptionException(e.getClass().getSimpleName());
        }
    }

    private static void checkLength(int bytes) {
        if (bytes != 16 && bytes != 32) {
            throw new IllegalArgumentException("AES-GCM keys here are 16 or 32 bytes");
        }
    }
}
