package dev.keyhaven.server.crypto;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keyhaven.server.platform.config.StartupException;
import dev.keyhaven.server.platform.db.Ids;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Envelope encryption: the root key wraps one key per organization, each org key wraps one data
 * key per project, and project data keys seal secret values, comments and encrypted metadata.
 * Every wrap and seal carries associated data naming its owner, so a wrapped key or ciphertext
 * moved to another row does not open. Unwrapped keys are cached in memory for a few minutes;
 * rotating the root key re-wraps org keys and touches no data. The root key is a {@link
 * RootKeyWrapper} held here alone: this class only asks it to wrap and unwrap, and besides the org
 * keys it wraps the instance keys (the instance key for data of no organization and the credential
 * digest keys {@link SecretDigests} uses), so no key outside the wrapper derives from its bytes.
 */
@Service
public class Keyring {
    private static final Logger log = LoggerFactory.getLogger(Keyring.class);
    private static final String ROOT_CHECK = "root_key_check";
    /** The name of the {@code instance_meta} row that holds the root key check value. */
    public static final String ROOT_KEY_CHECK_ROW = ROOT_CHECK;

    private static final String ROOT_CHECK_AAD = "keyhaven:root-key-check:v1";
    private static final String INSTANCE = "instance";
    private static final String INSTANCE_AAD = "keyhaven:instance-key:v1";
    private static final byte[] ROOT_CHECK_PLAINTEXT = "keyhaven root key check".getBytes(StandardCharsets.UTF_8);
    private static final String DIGEST = "digest";
    private static final String DIGEST_CURRENT = "v2";
    private static final String DIGEST_LEGACY = "v1";
    /** Set by migration 3.17 when the database held digests keyed from the root key bytes. */
    private static final String LEGACY_DIGESTS = "legacy-credential-digests";

    private final RootKeyWrapper rootKey;
    private final byte[] digestKey;
    private final byte[] legacyDigestKey;
    private final DataKeyStore store;
    private final Clock clock;
    private final Cache<String, byte[]> orgKeys = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(5))
            .maximumSize(10_000)
            .build();
    private final Cache<String, byte[]> projectKeys = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(5))
            .maximumSize(20_000)
            .build();

    public Keyring(List<RootKeyProvider> providers, DataKeyStore store, Clock clock, String dbDescription) {
        this.store = store;
        this.clock = clock;
        this.rootKey = loadRootKey(providers, dbDescription);
        verifyRootKey(dbDescription);
        ensureInstanceKey();
        this.digestKey = rootWrapped(DIGEST, DIGEST_CURRENT, () -> Optional.of(Aead.newKey()))
                .orElseThrow();
        this.legacyDigestKey =
                rootWrapped(DIGEST, DIGEST_LEGACY, this::legacyDigestKeyToKeep).orElse(null);
        log.info("Root key loaded from {}", rootKey.source());
    }

    /** The key of today's credential digests (random, made once per installation). */
    byte[] credentialDigestKey() {
        return digestKey;
    }

    /** The key of digests made before the instance digest key existed, when the database holds any. */
    Optional<byte[]> legacyCredentialDigestKey() {
        return Optional.ofNullable(legacyDigestKey);
    }

    /**
     * The first key a provider holds. Only a database with nothing sealed in it yet may get a new
     * key; for any other (a restored one, say) a missing key stops start-up before anything is
     * written, so the operator can put the matching key back.
     */
    private RootKeyWrapper loadRootKey(List<RootKeyProvider> providers, String dbDescription) {
        for (RootKeyProvider provider : providers) {
            Optional<RootKeyWrapper> key = provider.load();
            if (key.isPresent()) {
                return key.get();
            }
        }
        if (!store.isNew(ROOT_CHECK)) {
            String missing =
                    providers.stream().map(RootKeyProvider::describeMissing).collect(Collectors.joining(" and "));
            throw new StartupException("no root key for the existing data in " + dbDescription + ": " + missing
                    + " (restore the root key this database was created with, or set KEYHAVEN_ROOT_KEY to it; "
                    + "a new key cannot read the data)");
        }
        return providers.stream()
                .map(RootKeyProvider::generate)
                .flatMap(Optional::stream)
                .findFirst()
                .orElseThrow(() -> new StartupException("no root key: set KEYHAVEN_ROOT_KEY or KEYHAVEN_DATA_DIR"));
    }

    private void verifyRootKey(String dbDescription) {
        String check = store.meta(ROOT_CHECK)
                .orElseGet(() -> store.putMetaIfAbsent(ROOT_CHECK, wrap(ROOT_CHECK_PLAINTEXT, ROOT_CHECK_AAD)));
        try {
            unwrap(check, ROOT_CHECK_AAD);
        } catch (DecryptionException e) {
            throw new StartupException("the root key from " + rootKey.source() + " does not match the data in "
                    + dbDescription + " (it was created with another root key: restore that key, or point "
                    + "KEYHAVEN_DB_URL / KEYHAVEN_DATA_DIR at the matching data)");
        }
    }

    /** What a backup or a restore may know of a root key: its id, where it lives, whether it fits the data. */
    public record RootKeyReport(String id, String source, boolean opensCheck) {}

    /**
     * The first key the providers hold, described without handing it out, and whether it opens a
     * database's stored root key check value ({@code instance_meta} row {@link #ROOT_KEY_CHECK_ROW};
     * null when there is nothing to check): the test a restore makes before it replaces any data.
     */
    public static Optional<RootKeyReport> inspect(List<RootKeyProvider> providers, String storedCheck) {
        for (RootKeyProvider provider : providers) {
            Optional<RootKeyWrapper> key = provider.load();
            if (key.isPresent()) {
                RootKeyWrapper k = key.get();
                return Optional.of(new RootKeyReport(
                        k.id(), k.source(), storedCheck != null && opensRootKeyCheck(k, storedCheck)));
            }
        }
        return Optional.empty();
    }

    private static boolean opensRootKeyCheck(RootKeyWrapper key, String storedCheck) {
        try {
            return Arrays.equals(
                    key.unwrap(Base64.getDecoder().decode(storedCheck), ROOT_CHECK_AAD), ROOT_CHECK_PLAINTEXT);
        } catch (DecryptionException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Creates and stores the key of a new organization (inside the caller's transaction). */
    public void createOrgKey(String orgId) {
        byte[] key = Aead.newKey();
        store.insert(Ids.newId(), "org", orgId, null, wrap(key, orgAad(orgId)), clock.millis());
        orgKeys.put(orgId, key);
    }

    /** Creates and stores the data key of a new project, wrapped by its org key. */
    public void createProjectKey(String orgId, String projectId) {
        byte[] key = Aead.newKey();
        store.insert(
                Ids.newId(),
                "project",
                projectId,
                orgId,
                Aead.seal(orgKey(orgId), key, projectAad(orgId, projectId)),
                clock.millis());
        projectKeys.put(projectId, key);
    }

    public String sealForProject(String projectId, String plaintext, String aad) {
        return Aead.seal(projectKey(projectId), plaintext.getBytes(StandardCharsets.UTF_8), aad);
    }

    public String openForProject(String projectId, String sealed, String aad) {
        return new String(Aead.open(projectKey(projectId), sealed, aad), StandardCharsets.UTF_8);
    }

    /**
     * Seals data that belongs to no organization (a person's TOTP secret) under the instance key,
     * which the root key wraps like the org keys, so a root key rotation re-wraps it too.
     */
    public String sealForInstance(String plaintext, String aad) {
        return Aead.seal(instanceKey(), plaintext.getBytes(StandardCharsets.UTF_8), aad);
    }

    public String openForInstance(String sealed, String aad) {
        return new String(Aead.open(instanceKey(), sealed, aad), StandardCharsets.UTF_8);
    }

    private byte[] instanceKey() {
        return orgKeys.get(
                INSTANCE,
                k -> unwrap(store.find(INSTANCE, INSTANCE).orElseThrow().wrappedKey(), INSTANCE_AAD));
    }

    /** Made at start-up, outside any transaction, so no rolled-back request can lose it. */
    private void ensureInstanceKey() {
        if (store.find(INSTANCE, INSTANCE).isEmpty()) {
            store.insertIfAbsent(Ids.newId(), INSTANCE, INSTANCE, wrap(Aead.newKey(), INSTANCE_AAD), clock.millis());
        }
    }

    /**
     * The key {@code scope}/{@code owner} wrapped by the root key, unwrapped; when there is none,
     * {@code make} may give one, which is stored first (unless another node stored one meanwhile:
     * then that one wins). Runs at start-up, outside any transaction.
     */
    private Optional<byte[]> rootWrapped(String scope, String owner, Supplier<Optional<byte[]>> make) {
        String aad = "keyhaven:" + scope + "-key:" + owner;
        Optional<DataKeyStore.WrappedKey> row = store.find(scope, owner);
        if (row.isEmpty()) {
            Optional<byte[]> made = make.get();
            if (made.isEmpty()) {
                return Optional.empty();
            }
            store.insertIfAbsent(Ids.newId(), scope, owner, wrap(made.get(), aad), clock.millis());
            Arrays.fill(made.get(), (byte) 0);
            row = store.find(scope, owner);
        }
        return Optional.of(unwrap(row.orElseThrow().wrappedKey(), aad));
    }

    /**
     * The digest key of databases written before the instance digest key: derived once, at the
     * first start after the upgrade, from the root key (the only time its bytes matter), and from
     * then on read wrapped like any other key, so that a root key held in an HSM or rotated later
     * still verifies those digests. Only when migration 3.17 found such digests.
     */
    private Optional<byte[]> legacyDigestKeyToKeep() {
        if (store.meta(LEGACY_DIGESTS).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(rootKey.legacyCredentialDigestKey()
                .orElseThrow(() -> new StartupException("the database holds access tokens, client secrets or "
                        + "other credential digests keyed from the root key itself, and the root key from "
                        + rootKey.source() + " cannot derive that key: start once with the root key the data "
                        + "was created with in KEYHAVEN_ROOT_KEY or the root key file, which keeps them working")));
    }

    private String wrap(byte[] key, String aad) {
        return Base64.getEncoder().encodeToString(rootKey.wrap(key, aad));
    }

    private byte[] unwrap(String wrapped, String aad) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(wrapped);
        } catch (IllegalArgumentException e) {
            throw new DecryptionException("ciphertext is not base64");
        }
        return rootKey.unwrap(raw, aad);
    }

    /**
     * Seals an organization-level credential (e.g. an auth method's API token) under the org key.
     * The associated data is built here from {@code purpose}, which names the owning row and field, and
     * never collides with the AAD of a wrapped project key.
     */
    public String sealForOrg(String orgId, String purpose, String plaintext) {
        return Aead.seal(orgKey(orgId), plaintext.getBytes(StandardCharsets.UTF_8), orgCredentialAad(orgId, purpose));
    }

    public String openForOrg(String orgId, String purpose, String sealed) {
        return new String(Aead.open(orgKey(orgId), sealed, orgCredentialAad(orgId, purpose)), StandardCharsets.UTF_8);
    }

    private byte[] orgKey(String orgId) {
        return orgKeys.get(orgId, k -> {
            DataKeyStore.WrappedKey wrapped = store.find("org", orgId)
                    .orElseThrow(() -> new IllegalStateException("organization " + orgId + " has no key"));
            return unwrap(wrapped.wrappedKey(), orgAad(orgId));
        });
    }

    private byte[] projectKey(String projectId) {
        return projectKeys.get(projectId, k -> {
            DataKeyStore.WrappedKey wrapped = store.find("project", projectId)
                    .orElseThrow(() -> new IllegalStateException("project " + projectId + " has no data key"));
            return Aead.open(
                    orgKey(wrapped.parentId()), wrapped.wrappedKey(), projectAad(wrapped.parentId(), projectId));
        });
    }

    /** Forgets cached keys, e.g. after a transaction that created them rolled back. */
    public void evict(String scope, String ownerId) {
        ("org".equals(scope) ? orgKeys : projectKeys).invalidate(ownerId);
    }

    private static String orgAad(String orgId) {
        return "keyhaven:org-key:v1:" + orgId;
    }

    private static String orgCredentialAad(String orgId, String purpose) {
        return "keyhaven:org-credential:v1:" + orgId + ":" + purpose;
    }

    private static String projectAad(String orgId, String projectId) {
        return "keyhaven:project-key:v1:" + orgId + ":" + projectId;
    }
}
