package dev.keyhaven.server.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A root key that stays inside a PKCS#11 token: wrapping is AES-256-GCM computed by the token
 * (SunPKCS11's {@code AES/GCM/NoPadding}, CKM_AES_GCM), with a fresh 96-bit nonce from this process
 * and the associated data bound in, so a wrapped key is {@code nonce || ciphertext || tag} like
 * the other wrappers write. This object holds only a handle to the key; the token never hands out
 * its bytes (the key is sensitive and non-extractable). Its id is the key's label in the token.
 */
final class Pkcs11RootKeyWrapper implements RootKeyWrapper {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Provider provider;
    private final SecretKey key;
    private final String id;
    private final String source;

    Pkcs11RootKeyWrapper(Provider provider, SecretKey key, String label, String source) {
        this.provider = provider;
        this.key = key;
        this.id = "pkcs11:" + label;
        this.source = source;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public byte[] wrap(byte[] plaintextKey, String aad) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, nonce, aad);
            byte[] sealed = c.doFinal(plaintextKey);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException | ProviderException e) {
            throw new IllegalStateException(
                    "the PKCS#11 token could not wrap a key: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public byte[] unwrap(byte[] wrapped, String aad) {
        if (wrapped.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new DecryptionException("wrapped key too short");
        }
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(wrapped, NONCE_BYTES), aad);
            return c.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
        } catch (GeneralSecurityException | ProviderException e) {
            // SoftHSM2 reports a failed tag check as CKR_GENERAL_ERROR inside a ProviderException or
            // AEADBadTagException
            throw new DecryptionException(
                    "the PKCS#11 token refused to unwrap (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String aad) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", provider);
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
        return c;
    }

    @Override
    public String toString() {
        return "RootKey[" + id + " in " + source + ", non-extractable]";
    }
}
