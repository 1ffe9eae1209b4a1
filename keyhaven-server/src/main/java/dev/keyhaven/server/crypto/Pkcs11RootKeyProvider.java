package dev.keyhaven.server.crypto;

import dev.keyhaven.server.platform.config.StartupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.security.auth.login.FailedLoginException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The root key as an AES-256 key inside a PKCS#11 token (an HSM, or SoftHSM2 for testing), reached
 * through the JDK's SunPKCS11 provider: the key is sensitive and non-extractable, and every wrap and
 * unwrap runs inside the token ({@link Pkcs11RootKeyWrapper}). Selected with {@code
 * KEYHAVEN_ROOT_KEY_PROVIDER=pkcs11}. The key is found by its label; one is generated in the token
 * only for a database that holds nothing sealed yet, like the root key file. A library that does not
 * load, a token that is not there or a PIN the token refuses stops start-up with one line naming
 * the setting, before anything is written.
 */
@Component
@Order(3)
public class Pkcs11RootKeyProvider implements RootKeyProvider {
    private static final Logger log = LoggerFactory.getLogger(Pkcs11RootKeyProvider.class);
    private final RootKeyProperties settings;
    private KeyStore token;

    public Pkcs11RootKeyProvider(RootKeyProperties settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "pkcs11";
    }

    @Override
    public String describeMissing() {
        return "the PKCS#11 token in " + slotDescription() + " holds no key labelled '" + label()
                + "' (KEYHAVEN_PKCS11_KEY_LABEL)";
    }

    @Override
    public Optional<RootKeyWrapper> load() {
        return load(label(), "KEYHAVEN_PKCS11_KEY_LABEL");
    }

    /**
     * The previous key of a rotation between two keys of the same token ({@code
     * KEYHAVEN_PKCS11_PREVIOUS_KEY_LABEL}); a label the token does not hold stops start-up.
     */
    @Override
    public List<RootKeyWrapper> loadPrevious(KeyLifetimeProperties lifetime) {
        String previous = lifetime.pkcs11PreviousKeyLabel();
        if (previous == null || previous.isBlank()) {
            return List.of();
        }
        String label = previous.trim();
        return List.of(load(label, "KEYHAVEN_PKCS11_PREVIOUS_KEY_LABEL")
                .orElseThrow(() -> new StartupException("KEYHAVEN_PKCS11_PREVIOUS_KEY_LABEL: the PKCS#11 token in "
                        + slotDescription() + " holds no key labelled '" + label + "'")));
    }

    private Optional<RootKeyWrapper> load(String label, String setting) {
        KeyStore ks = token();
        try {
            Key key = ks.containsAlias(label) ? ks.getKey(label, null) : null;
            if (key == null) {
                return Optional.empty();
            }
            if (!(key instanceof SecretKey secret) || !"AES".equalsIgnoreCase(key.getAlgorithm())) {
                throw new StartupException("the PKCS#11 object labelled '" + label + "' in " + slotDescription()
                        + " is not an AES key (" + setting + ")");
            }
            return Optional.of(new Pkcs11RootKeyWrapper(ks.getProvider(), secret, label, source(label)));
        } catch (GeneralSecurityException | ProviderException e) {
            throw new StartupException("cannot read the key labelled '" + label + "' from the PKCS#11 token in "
                    + slotDescription() + ": " + oneLine(e) + " (" + setting + ")");
        }
    }

    @Override
    public Optional<RootKeyWrapper> generate() {
        KeyStore ks = token();
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES", ks.getProvider());
            generator.init(256);
            SecretKey key = generator.generateKey();
            ks.setKeyEntry(label(), key, null, null);
            log.warn("Generated a new root key labelled '{}' in the PKCS#11 token in {}", label(), slotDescription());
            return load();
        } catch (GeneralSecurityException | ProviderException e) {
            throw new StartupException("cannot generate a root key in the PKCS#11 token in " + slotDescription() + ": "
                    + oneLine(e) + " (KEYHAVEN_PKCS11_KEY_LABEL)");
        }
    }

    private synchronized KeyStore token() {
        if (token == null) {
            token = open();
        }
        return token;
    }

    private KeyStore open() {
        if (settings.pkcs11Library() == null || settings.pkcs11Library().isBlank()) {
            throw new StartupException("KEYHAVEN_PKCS11_LIBRARY is not set (the path of the token's PKCS#11 module, "
                    + "e.g. /usr/lib/softhsm/libsofthsm2.so)");
        }
        String library = settings.pkcs11Library().trim();
        if (!Files.isReadable(Path.of(library))) {
            throw new StartupException("KEYHAVEN_PKCS11_LIBRARY: cannot read the PKCS#11 module " + library);
        }
        char[] pin = pin();
        Provider provider;
        try {
            provider = Security.getProvider("SunPKCS11").configure(config(library));
        } catch (RuntimeException e) {
            throw new StartupException("KEYHAVEN_PKCS11_LIBRARY / KEYHAVEN_PKCS11_SLOT: cannot open "
                    + slotDescription() + " with the PKCS#11 module " + library + ": " + oneLine(e));
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS11", provider);
            ks.load(null, pin);
            return ks;
        } catch (IOException e) {
            if (causedBy(e, FailedLoginException.class)) {
                throw new StartupException(
                        "KEYHAVEN_PKCS11_PIN: the PKCS#11 token in " + slotDescription() + " refused the PIN");
            }
            throw new StartupException("cannot log in to the PKCS#11 token in " + slotDescription() + ": " + oneLine(e)
                    + " (check KEYHAVEN_PKCS11_PIN and KEYHAVEN_PKCS11_SLOT)");
        } catch (GeneralSecurityException | ProviderException e) {
            throw new StartupException("cannot open the PKCS#11 token in " + slotDescription() + ": " + oneLine(e)
                    + " (check KEYHAVEN_PKCS11_LIBRARY and KEYHAVEN_PKCS11_SLOT)");
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /** SunPKCS11's configuration: the module, the slot, and keys made sensitive and non-extractable. */
    private String config(String library) {
        StringBuilder c =
                new StringBuilder("--name=keyhaven\nlibrary=").append(library).append('\n');
        if (settings.pkcs11Slot() != null) {
            c.append("slot=").append(settings.pkcs11Slot()).append('\n');
        } else {
            c.append("slotListIndex=").append(slotIndex()).append('\n');
        }
        c.append("attributes(generate, CKO_SECRET_KEY, CKK_AES) = {\n"
                + "  CKA_TOKEN = true\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n");
        return c.toString();
    }

    private char[] pin() {
        if (settings.pkcs11Pin() != null && !settings.pkcs11Pin().isEmpty()) {
            return settings.pkcs11Pin().toCharArray();
        }
        Path file = settings.pkcs11PinFile();
        if (file == null) {
            throw new StartupException("KEYHAVEN_PKCS11_PIN or KEYHAVEN_PKCS11_PIN_FILE must be set for the PKCS#11 "
                    + "root key provider");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
        } catch (IOException e) {
            throw new StartupException("KEYHAVEN_PKCS11_PIN_FILE: cannot read " + file.toAbsolutePath() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private int slotIndex() {
        return settings.pkcs11SlotIndex() == null ? 0 : settings.pkcs11SlotIndex();
    }

    private String label() {
        String l = settings.pkcs11KeyLabel();
        return l == null || l.isBlank() ? "keyhaven-root-key" : l.trim();
    }

    private String slotDescription() {
        return settings.pkcs11Slot() != null ? "slot " + settings.pkcs11Slot() : "slot index " + slotIndex();
    }

    private String source(String label) {
        return "PKCS#11 " + slotDescription() + ", key '" + label + "'";
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message, on one line (PKCS#11 errors carry the CKR_ code there). */
    private static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }
}
