package dev.keyhaven.server.crypto;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keyhaven.server.platform.config.StartupException;
import dev.keyhaven.server.platform.db.Ids;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * moved to another row does not open. Unwrapped keys are cached in memory for at most {@code
 * KEYHAVEN_KEY_CACHE_SECONDS} (60 s by default), so a root key an HSM or KMS stops serving stops
 * opening data within that bound; rotating the root key re-wraps org keys and touches no data
 * ({@link RootKeyRotation}). The root key is a {@link
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
    /** Root keys that may still have wrapped some keys (during a rotation), by id; never the current one. */
    private final Map<String, RootKeyWrapper> previousKeys;

    private final byte[] digestKey;
    private final byte[] legacyDigestKey;
    private final DataKeyStore store;
    private final Clock clock;
    private final Duration keyCache;
    private final Cache<String, byte[]> orgKeys;
    private final Cache<String, byte[]> projectKeys;

    /**
     * The root key from the first of {@code providers} that has one; the previous root keys of a
     * rotation from {@code KEYHAVEN_ROOT_KEY_PREVIOUS} and the providers' own previous-key settings.
     */
    Keyring(
            List<RootKeyProvider> providers,
            KeyLifetimeProperties lifetime,
            DataKeyStore store,
            Clock clock,
            String dbDescription) {
        Duration keyCache = lifetime.keyCache();
        List<RootKeyWrapper> previous = new ArrayList<>(EnvRootKeyProvider.previousLocalKeys(lifetime));
        providers.forEach(p -> previous.addAll(p.loadPrevious(lifetime)));
        this.store = store;
        this.clock = clock;
        this.keyCache = keyCache;
        this.orgKeys = Caffeine.newBuilder()
                .expireAfterWrite(keyCache)
                .maximumSize(10_000)
                .build();
        this.projectKeys = Caffeine.newBuilder()
                .expireAfterWrite(keyCache)
                .maximumSize(20_000)
                .build();
        this.rootKey = loadRootKey(providers, dbDescription);
        this.previousKeys = previous.stream()
                .filter(k -> !k.id().equals(rootKey.id()))
                .collect(Collectors.toMap(RootKeyWrapper::id, k -> k, (a, b) -> a, LinkedHashMap::new));
        try {
            verifyRootKey(dbDescription);
            ensureInstanceKey();
            this.digestKey = rootWrapped(DIGEST, DIGEST_CURRENT, () -> Optional.of(Aead.newKey()))
                    .orElseThrow();
            this.legacyDigestKey = rootWrapped(DIGEST, DIGEST_LEGACY, this::legacyDigestKeyToKeep)
                    .orElse(null);
        } catch (KeyServiceUnavailableException e) {
            throw new StartupException(e.getMessage());
        }
        log.info(
                "Root key loaded from {}{}; unwrapped keys stay in memory for at most {} s",
                rootKey.source(),
                previousKeys.isEmpty() ? "" : " (previous root keys given: " + previousKeys.size() + ")",
                keyCache.toSeconds());
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
            unwrap(check, null, ROOT_CHECK_AAD);
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
        store.insert(Ids.newId(), "org", orgId, null, wrap(key, orgAad(orgId)), rootKey.id(), clock.millis());
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
                null,
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
        return orgKeys.get(INSTANCE, k -> unwrap(store.find(INSTANCE, INSTANCE).orElseThrow(), INSTANCE_AAD));
    }

    /** Made at start-up, outside any transaction, so no rolled-back request can lose it. */
    private void ensureInstanceKey() {
        if (store.find(INSTANCE, INSTANCE).isEmpty()) {
            store.insertIfAbsent(
                    Ids.newId(), INSTANCE, INSTANCE, wrap(Aead.newKey(), INSTANCE_AAD), rootKey.id(), clock.millis());
        }
    }

    /**
     * The key {@code scope}/{@code owner} wrapped by the root key, unwrapped; when there is none,
     * {@code make} may give one, which is stored first (unless another node stored one meanwhile:
     * then that one wins). Runs at start-up, outside any transaction.
     */
    private Optional<byte[]> rootWrapped(String scope, String owner, Supplier<Optional<byte[]>> make) {
        String aad = rootWrappedAad(scope, owner);
        Optional<DataKeyStore.WrappedKey> row = store.find(scope, owner);
        if (row.isEmpty()) {
            Optional<byte[]> made = make.get();
            if (made.isEmpty()) {
                return Optional.empty();
            }
            store.insertIfAbsent(Ids.newId(), scope, owner, wrap(made.get(), aad), rootKey.id(), clock.millis());
            Arrays.fill(made.get(), (byte) 0);
            row = store.find(scope, owner);
        }
        return Optional.of(unwrap(row.orElseThrow(), aad));
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

    private byte[] unwrap(DataKeyStore.WrappedKey row, String aad) {
        return unwrap(row.wrappedKey(), row.rootKeyId(), aad);
    }

    /**
     * Unwraps with the root key {@code rootKeyId} names, or, for a key from before ids were kept
     * ({@code null}), with the current root key and then each previous one.
     */
    private byte[] unwrap(String wrapped, String rootKeyId, String aad) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(wrapped);
        } catch (IllegalArgumentException e) {
            throw new DecryptionException("ciphertext is not base64");
        }
        if (rootKeyId != null) {
            return rootKeyNamed(rootKeyId).unwrap(raw, aad);
        }
        DecryptionException refused = null;
        for (RootKeyWrapper key : rootKeys()) {
            try {
                return key.unwrap(raw, aad);
            } catch (DecryptionException e) {
                refused = refused == null ? e : refused;
            }
        }
        throw refused;
    }

    private RootKeyWrapper rootKeyNamed(String id) {
        if (id.equals(rootKey.id())) {
            return rootKey;
        }
        RootKeyWrapper previous = previousKeys.get(id);
        if (previous == null) {
            throw new KeyServiceUnavailableException("a key is wrapped by root key " + id
                    + ", which this node is not given: give it as a previous root key (KEYHAVEN_ROOT_KEY_PREVIOUS or "
                    + "KEYHAVEN_AWS_KMS_PREVIOUS_KEY_ID or KEYHAVEN_PKCS11_PREVIOUS_KEY_LABEL) until the rotation to "
                    + rootKey.id() + " has finished");
        }
        return previous;
    }

    private List<RootKeyWrapper> rootKeys() {
        List<RootKeyWrapper> keys = new ArrayList<>();
        keys.add(rootKey);
        keys.addAll(previousKeys.values());
        return keys;
    }

    // ---- root key rotation (see RootKeyRotation) ----

    /** The current root key's id. */
    String rootKeyId() {
        return rootKey.id();
    }

    /** The previous root keys' ids (empty when no rotation is configured). */
    List<String> previousRootKeyIds() {
        return List.copyOf(previousKeys.keySet());
    }

    /** What {@link #rewrapUnderCurrentRootKey} did with one key. */
    enum Rewrap {
        /** Wrapped again under the current root key. */
        REWRAPPED,
        /** Already under the current root key, from before ids were kept: only its id was recorded. */
        RECORDED,
        /** Another node changed the row first. */
        RACED
    }

    /**
     * Re-wraps one root-wrapped key under the current root key (the key itself, and so everything
     * below it, stays the same).
     */
    Rewrap rewrapUnderCurrentRootKey(DataKeyStore.WrappedKey row) {
        String aad = switch (row.scope()) {
            case "org" -> orgAad(row.ownerId());
            case INSTANCE -> INSTANCE_AAD;
            case DIGEST -> rootWrappedAad(DIGEST, row.ownerId());
            default -> throw new IllegalArgumentException("not a root-wrapped key: " + row.scope());
        };
        if (row.rootKeyId() == null && opensWithCurrentRootKey(row.wrappedKey(), aad)) {
            return store.rewrap(row.id(), row.wrappedKey(), row.wrappedKey(), rootKey.id())
                    ? Rewrap.RECORDED
                    : Rewrap.RACED;
        }
        byte[] key = unwrap(row, aad);
        try {
            return store.rewrap(row.id(), row.wrappedKey(), wrap(key, aad), rootKey.id())
                    ? Rewrap.REWRAPPED
                    : Rewrap.RACED;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private boolean opensWithCurrentRootKey(String wrapped, String aad) {
        try {
            byte[] key = rootKey.unwrap(Base64.getDecoder().decode(wrapped), aad);
            Arrays.fill(key, (byte) 0);
            return true;
        } catch (DecryptionException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Which root key is in use, which previous ones are given, and how many keys each wrapped. */
    public RootKeyStatus rootKeyStatus() {
        return new RootKeyStatus(
                rootKey.id(), rootKey.source(), previousRootKeyIds(), store.countByRootKey(), keyCache.toSeconds());
    }

    /** Re-wraps the check value under the current root key, unless it already opens with it. */
    boolean rewrapRootKeyCheck() {
        String check = store.meta(ROOT_CHECK).orElseThrow();
        if (opensWithCurrentRootKey(check, ROOT_CHECK_AAD)) {
            return false;
        }
        unwrap(check, null, ROOT_CHECK_AAD);
        return store.replaceMeta(ROOT_CHECK, check, wrap(ROOT_CHECK_PLAINTEXT, ROOT_CHECK_AAD));
    }

    private static String rootWrappedAad(String scope, String owner) {
        return "keyhaven:" + scope + "-key:" + owner;
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
            return unwrap(wrapped, orgAad(orgId));
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
