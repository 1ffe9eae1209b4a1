package dev.keyhaven.server.crypto;

import dev.keyhaven.server.platform.config.KeyhavenProperties;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/** Wires the keyring (after the database is migrated) and the password hasher. */
@Configuration(proxyBeanMethods = false)
class CryptoConfig {

    @Bean
    Keyring keyring(
            List<RootKeyProvider> providers,
            DataKeyStore store,
            Clock clock,
            KeyhavenProperties props,
            DataSource migratedDataSource) {
        return new Keyring(providers, store, clock, props.redactedDbUrl());
    }

    @Bean
    PasswordHasher passwordHasher() {
        return new PasswordHasher(Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8());
    }
}
