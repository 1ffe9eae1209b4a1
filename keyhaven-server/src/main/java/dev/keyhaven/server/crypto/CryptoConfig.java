package dev.keyhaven.server.crypto;

import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.config.StartupException;
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
            RootKeyProperties rootKeySettings,
            KeyLifetimeProperties lifetime,
            DataKeyStore store,
            Clock clock,
            KeyhavenProperties props,
            DataSource migratedDataSource) {
        return new Keyring(selected(providers, rootKeySettings), lifetime, store, clock, props.redactedDbUrl());
    }

    /**
     * The providers {@code KEYHAVEN_ROOT_KEY_PROVIDER} names: by default the environment, then the
     * root key file, as always; otherwise that one provider alone, so a misconfigured HSM or KMS
     * never falls back to a key of another kind.
     */
    static List<RootKeyProvider> selected(List<RootKeyProvider> all, RootKeyProperties settings) {
        String name = settings.providerOrNull();
        if (name == null) {
            return all.stream()
                    .filter(p -> p.name().equals("env") || p.name().equals("file"))
                    .toList();
        }
        if (!RootKeyProperties.PROVIDERS.contains(name)) {
            throw new StartupException("KEYHAVEN_ROOT_KEY_PROVIDER must be one of "
                    + String.join(", ", RootKeyProperties.PROVIDERS) + ", got '" + name + "'");
        }
        return all.stream().filter(p -> p.name().equals(name)).toList();
    }

    @Bean
    PasswordHasher passwordHasher() {
        return new PasswordHasher(Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8());
    }
}
