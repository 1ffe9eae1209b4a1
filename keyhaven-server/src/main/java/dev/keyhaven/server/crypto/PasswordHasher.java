package dev.keyhaven.server.crypto;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Argon2id hashes for passwords, which people choose and attackers guess; machine credentials
 * are high-entropy and use {@link SecretDigests} instead.
 */
public class PasswordHasher {
    private final PasswordEncoder encoder;

    PasswordHasher(PasswordEncoder encoder) {
        this.encoder = encoder;
    }

    public String hash(String password) {
        return encoder.encode(password);
    }

    public boolean matches(String password, String hash) {
        return hash != null && encoder.matches(password, hash);
    }
}
