package dev.keyhaven.server.kms;

import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.crypto.DecryptionException;
import dev.keyhaven.server.crypto.KeyMaterialAead;
import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.text.Slugs;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.Paging;
import dev.keyhaven.server.platform.web.ValidationException;
import dev.keyhaven.server.project.Project;
import dev.keyhaven.server.project.ProjectService;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The KMS API: keys of a KMS project and the cryptographic operations with them. Key material is
 * made here, sealed at once with the project's data key (bound to the key id and version) and
 * opened only for the operation at hand; no route returns it. Every call checks the project's
 * {@code cmek} permission first, treats a key of another organization like a missing one, refuses
 * a disabled key, and is audited without any plaintext, ciphertext, data or signature.
 */
@Service
public class KmsKeyService {
    /** The most bytes encrypt takes and sign signs (as Infisical and AWS KMS). */
    static final int MAX_DATA_BYTES = 4096;
    /** A ciphertext of {@link #MAX_DATA_BYTES} is about 5.5 kB of base64; anything much longer is not ours. */
    private static final int MAX_CIPHERTEXT_CHARS = 8192;

    private static final int MAX_SIGNATURE_BYTES = 1024;
    private static final int MAX_NAME = 32;
    private static final int MAX_DESCRIPTION = 500;
    private static final byte FORMAT = 1;
    private static final int HEADER_BYTES = 5;

    private final KmsKeyStore store;
    private final ProjectService projects;
    private final PermissionService permissions;
    private final Keyring keyring;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public KmsKeyService(
            KmsKeyStore store,
            ProjectService projects,
            PermissionService permissions,
            Keyring keyring,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.projects = projects;
        this.permissions = permissions;
        this.keyring = keyring;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public record NewKey(
            String projectId, String name, String description, String keyUsage, String encryptionAlgorithm) {}

    public record KeyUpdate(String name, String description, Boolean isDisabled) {}

    public record KeyPage(List<KmsKey> keys, long totalCount) {}

    public record Signed(String signature, String keyId, SigningAlgorithm signingAlgorithm) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    public record Verified(boolean signatureValid, String keyId, SigningAlgorithm signingAlgorithm) {}

    public KmsKey create(Actor actor, NewKey req) {
        if (req.projectId() == null || req.projectId().isBlank()) {
            throw ValidationException.required("projectId");
        }
        Project project = projects.resolve(actor, req.projectId(), null);
        permissions.project(actor, project.id()).require(ProjectSubject.CMEK, ProjectAction.CREATE);
        requireKmsProject(project);
        String name = checkName(req.name());
        String description = checkDescription(req.description());
        KeyUsage usage = req.keyUsage() == null
                ? KeyUsage.ENCRYPT_DECRYPT
                : KeyUsage.fromWire(req.keyUsage())
                        .orElseThrow(() -> ValidationException.field(
                                "keyUsage", "Invalid key usage; expected encrypt-decrypt or sign-verify"));
        KeySpec spec = req.encryptionAlgorithm() == null
                ? (usage == KeyUsage.ENCRYPT_DECRYPT ? KeySpec.AES_256_GCM : null)
                : KeySpec.fromWire(req.encryptionAlgorithm())
                        .orElseThrow(() -> ValidationException.field(
                                "encryptionAlgorithm",
                                "Invalid encryption algorithm; expected aes-256-gcm, aes-128-gcm, RSA_4096 or "
                                        + "ECC_NIST_P256"));
        if (spec == null || spec.usage() != usage) {
            throw ValidationException.field(
                    "encryptionAlgorithm",
                    "Keys for " + usage.wire() + " use "
                            + (usage == KeyUsage.ENCRYPT_DECRYPT
                                    ? "aes-256-gcm or aes-128-gcm"
                                    : "RSA_4096 or ECC_NIST_P256"));
        }
        if (store.findByName(project.id(), name).isPresent()) {
            throw ApiException.badRequest("A key with the name '" + name + "' already exists in this project");
        }
        long now = clock.millis();
        KmsKey key = new KmsKey(
                Ids.newId(), project.orgId(), project.id(), name, description, usage, spec, 1, false, now, now);
        KeyOperations.Material material = KeyOperations.generate(spec);
        tx.executeWithoutResult(s -> {
            store.insert(key);
            storeVersion(key, 1, material, now);
            audit.record(event(actor, project, AuditEventType.CREATE_CMEK, key, Map.of()));
        });
        return key;
    }

    public KmsKey get(Actor actor, String keyId) {
        Found f = find(actor, keyId, ProjectAction.READ);
        audit.record(event(actor, f.project(), AuditEventType.GET_CMEK, f.key(), Map.of()));
        return f.key();
    }

    public KmsKey getByName(Actor actor, String projectId, String name) {
        if (projectId == null || projectId.isBlank()) {
            throw ValidationException.required("projectId");
        }
        Project project = projects.resolve(actor, projectId, null);
        permissions.project(actor, project.id()).require(ProjectSubject.CMEK, ProjectAction.READ);
        KmsKey key = store.findByName(project.id(), name == null ? "" : name)
                .orElseThrow(() -> ApiException.notFound("Key with name '" + name + "' not found"));
        audit.record(event(actor, project, AuditEventType.GET_CMEK, key, Map.of()));
        return key;
    }

    public KeyPage list(
            Actor actor,
            String projectId,
            String offset,
            String limit,
            String orderBy,
            String orderDirection,
            String search) {
        if (projectId == null || projectId.isBlank()) {
            throw ValidationException.required("projectId");
        }
        Project project = projects.resolve(actor, projectId, null);
        permissions.project(actor, project.id()).require(ProjectSubject.CMEK, ProjectAction.READ);
        Paging paging = Paging.of(offset, limit, 100, 100);
        if (orderBy != null && !orderBy.equals("name")) {
            throw ValidationException.field("orderBy", "Keys are ordered by name");
        }
        if (orderDirection != null && !orderDirection.equals("asc") && !orderDirection.equals("desc")) {
            throw ValidationException.field("orderDirection", "Expected asc or desc");
        }
        if (search != null && search.length() > 256) {
            throw ValidationException.field("search", "String must contain at most 256 character(s)");
        }
        List<KmsKey> keys =
                store.list(project.id(), search, "desc".equals(orderDirection), paging.offset(), paging.limit());
        long total = store.count(project.id(), search);
        audit.record(AuditEvent.of(
                actor, project.id(), project.name(), AuditEventType.GET_CMEKS, Map.of("keyIds", keyIds(keys))));
        return new KeyPage(keys, total);
    }

    public KmsKey update(Actor actor, String keyId, KeyUpdate req) {
        Found f = find(actor, keyId, ProjectAction.EDIT);
        KmsKey key = f.key();
        String name = req.name() == null ? key.name() : checkName(req.name());
        String description = req.description() == null ? key.description() : checkDescription(req.description());
        boolean disabled = req.isDisabled() == null ? key.disabled() : req.isDisabled();
        if (!name.equals(key.name()) && store.nameTaken(key.projectId(), name, key.id())) {
            throw ApiException.badRequest("A key with the name '" + name + "' already exists in this project");
        }
        KmsKey updated = key.withChanges(name, description, disabled, key.version(), clock.millis());
        Map<String, Object> changes = new LinkedHashMap<>();
        if (req.name() != null) {
            changes.put("name", name);
        }
        if (req.description() != null) {
            changes.put("description", description);
        }
        if (req.isDisabled() != null) {
            changes.put("isDisabled", disabled);
        }
        tx.executeWithoutResult(s -> {
            store.update(updated);
            audit.record(event(actor, f.project(), AuditEventType.UPDATE_CMEK, updated, changes));
        });
        return updated;
    }

    /** Deletes the key and every version of its material: what it encrypted can no longer be decrypted. */
    public KmsKey delete(Actor actor, String keyId) {
        Found f = find(actor, keyId, ProjectAction.DELETE);
        tx.executeWithoutResult(s -> {
            store.delete(f.key().id());
            audit.record(event(actor, f.project(), AuditEventType.DELETE_CMEK, f.key(), Map.of()));
        });
        return f.key();
    }

    /**
     * A new version of an encryption key's material: encrypt uses it from now on, and ciphertexts
     * of earlier versions still decrypt (each names its version). Signing keys are not rotated:
     * a verifier holding the public key would no longer match.
     */
    public KmsKey rotate(Actor actor, String keyId) {
        Found f = find(actor, keyId, ProjectAction.ROTATE);
        KmsKey key = enabled(f.key());
        if (key.usage() != KeyUsage.ENCRYPT_DECRYPT) {
            throw ApiException.badRequest("Only encrypt-decrypt keys can be rotated");
        }
        long now = clock.millis();
        KmsKey rotated = key.withChanges(key.name(), key.description(), false, key.version() + 1, now);
        KeyOperations.Material material = KeyOperations.generate(key.spec());
        tx.executeWithoutResult(s -> {
            storeVersion(rotated, rotated.version(), material, now);
            store.update(rotated);
            audit.record(event(actor, f.project(), AuditEventType.ROTATE_CMEK, rotated, Map.of()));
        });
        return rotated;
    }

    public String encrypt(Actor actor, String keyId, String plaintext) {
        Found f = find(actor, keyId, ProjectAction.ENCRYPT);
        KmsKey key = enabled(f.key());
        requireUsage(key, KeyUsage.ENCRYPT_DECRYPT, "encrypt");
        byte[] data = base64("plaintext", plaintext, MAX_DATA_BYTES);
        byte[] sealed = KeyMaterialAead.seal(material(key, key.version()), data, aad(key.id(), key.version()));
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + sealed.length);
        out.put(FORMAT).putInt(key.version()).put(sealed);
        audit.record(event(actor, f.project(), AuditEventType.CMEK_ENCRYPT, key, Map.of()));
        return Base64.getEncoder().encodeToString(out.array());
    }

    public String decrypt(Actor actor, String keyId, String ciphertext) {
        Found f = find(actor, keyId, ProjectAction.DECRYPT);
        KmsKey key = enabled(f.key());
        requireUsage(key, KeyUsage.ENCRYPT_DECRYPT, "decrypt");
        if (ciphertext == null || ciphertext.isEmpty()) {
            throw ValidationException.required("ciphertext");
        }
        if (ciphertext.length() > MAX_CIPHERTEXT_CHARS) {
            throw undecryptable();
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(ciphertext);
        } catch (IllegalArgumentException e) {
            throw undecryptable();
        }
        if (raw.length <= HEADER_BYTES || raw[0] != FORMAT) {
            throw undecryptable();
        }
        int version = ByteBuffer.wrap(raw, 1, 4).getInt();
        if (version < 1 || version > key.version()) {
            throw undecryptable();
        }
        byte[] sealed = java.util.Arrays.copyOfRange(raw, HEADER_BYTES, raw.length);
        byte[] plain;
        try {
            plain = KeyMaterialAead.open(material(key, version), sealed, aad(key.id(), version));
        } catch (DecryptionException e) {
            throw undecryptable();
        }
        audit.record(event(actor, f.project(), AuditEventType.CMEK_DECRYPT, key, Map.of("ciphertextVersion", version)));
        return Base64.getEncoder().encodeToString(plain);
    }

    public Signed sign(Actor actor, String keyId, String data, String signingAlgorithm, Boolean isDigest) {
        Found f = find(actor, keyId, ProjectAction.SIGN);
        KmsKey key = enabled(f.key());
        requireUsage(key, KeyUsage.SIGN_VERIFY, "sign");
        SigningAlgorithm alg = algorithm(key, signingAlgorithm);
        boolean digest = Boolean.TRUE.equals(isDigest);
        byte[] input = input(alg, data, digest);
        byte[] signature = KeyOperations.sign(key.spec(), material(key, key.version()), alg, input, digest);
        audit.record(event(
                actor,
                f.project(),
                AuditEventType.CMEK_SIGN,
                key,
                Map.of("signingAlgorithm", alg.name(), "isDigest", digest)));
        return new Signed(Base64.getEncoder().encodeToString(signature), key.id(), alg);
    }

    public Verified verify(
            Actor actor, String keyId, String data, String signature, String signingAlgorithm, Boolean isDigest) {
        Found f = find(actor, keyId, ProjectAction.VERIFY);
        KmsKey key = enabled(f.key());
        requireUsage(key, KeyUsage.SIGN_VERIFY, "verify");
        SigningAlgorithm alg = algorithm(key, signingAlgorithm);
        boolean digest = Boolean.TRUE.equals(isDigest);
        byte[] input = input(alg, data, digest);
        byte[] sig = base64("signature", signature, MAX_SIGNATURE_BYTES);
        boolean valid = KeyOperations.verify(key.spec(), publicKey(key), alg, input, sig, digest);
        audit.record(event(
                actor,
                f.project(),
                AuditEventType.CMEK_VERIFY,
                key,
                Map.of("signingAlgorithm", alg.name(), "isDigest", digest, "signatureValid", valid)));
        return new Verified(valid, key.id(), alg);
    }

    public List<SigningAlgorithm> signingAlgorithms(Actor actor, String keyId) {
        Found f = find(actor, keyId, ProjectAction.READ);
        KmsKey key = f.key();
        requireUsage(key, KeyUsage.SIGN_VERIFY, "list signing algorithms of");
        audit.record(event(actor, f.project(), AuditEventType.CMEK_LIST_SIGNING_ALGORITHMS, key, Map.of()));
        return key.spec().signingAlgorithms();
    }

    /** The public key of a signing key: base64 of its X.509 SubjectPublicKeyInfo (DER). */
    public String publicKey(Actor actor, String keyId) {
        Found f = find(actor, keyId, ProjectAction.READ);
        KmsKey key = enabled(f.key());
        requireUsage(key, KeyUsage.SIGN_VERIFY, "get the public key of");
        String publicKey = Base64.getEncoder().encodeToString(publicKey(key));
        audit.record(event(actor, f.project(), AuditEventType.CMEK_GET_PUBLIC_KEY, key, Map.of()));
        return publicKey;
    }

    // --- helpers

    private record Found(KmsKey key, Project project) {}

    /** The key, when it is in the actor's organization and the actor may do {@code action} with it; 404 otherwise. */
    private Found find(Actor actor, String keyId, ProjectAction action) {
        KmsKey key = (Ids.looksLikeId(keyId) ? store.find(keyId) : java.util.Optional.<KmsKey>empty())
                .filter(k -> k.orgId().equals(actor.orgId()))
                .orElseThrow(() -> ApiException.notFound("Key with ID " + keyId + " not found"));
        Project project = projects.resolve(actor, key.projectId(), null);
        permissions.project(actor, project.id()).require(ProjectSubject.CMEK, action);
        return new Found(key, project);
    }

    private static void requireKmsProject(Project project) {
        if (!"kms".equals(project.type())) {
            throw ApiException.badRequest("Project " + project.id() + " is a " + project.type()
                    + " project; KMS keys live in projects of type kms");
        }
    }

    private static KmsKey enabled(KmsKey key) {
        if (key.disabled()) {
            throw ApiException.badRequest("Key is disabled");
        }
        return key;
    }

    private static void requireUsage(KmsKey key, KeyUsage usage, String what) {
        if (key.usage() != usage) {
            throw ApiException.badRequest(
                    "Key '" + key.name() + "' is a " + key.usage().wire() + " key; it cannot " + what + " data");
        }
    }

    private static SigningAlgorithm algorithm(KmsKey key, String wire) {
        if (wire == null || wire.isBlank()) {
            throw ValidationException.required("signingAlgorithm");
        }
        return SigningAlgorithm.fromWire(wire)
                .filter(a -> key.spec().signingAlgorithms().contains(a))
                .orElseThrow(() -> ApiException.badRequest("Signing algorithm '" + wire + "' is not available for "
                        + key.spec().wire() + " keys; use one of " + key.spec().signingAlgorithms()));
    }

    private static byte[] input(SigningAlgorithm alg, String data, boolean isDigest) {
        byte[] input = base64("data", data, MAX_DATA_BYTES);
        if (isDigest && input.length != alg.digestBytes()) {
            throw ValidationException.field(
                    "data", "A " + alg.name() + " digest is " + alg.digestBytes() + " bytes; got " + input.length);
        }
        return input;
    }

    private static byte[] base64(String field, String value, int maxBytes) {
        if (value == null) {
            throw ValidationException.required(field);
        }
        if (value.length() > (maxBytes + 2) / 3 * 4 + 4) {
            throw ValidationException.field(field, "At most " + maxBytes + " bytes (base64-encoded)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw ValidationException.field(field, "Expected base64");
        }
        if (bytes.length > maxBytes) {
            throw ValidationException.field(field, "At most " + maxBytes + " bytes (base64-encoded)");
        }
        return bytes;
    }

    private static ApiException undecryptable() {
        return ApiException.badRequest("The ciphertext cannot be decrypted with this key");
    }

    private void storeVersion(KmsKey key, int version, KeyOperations.Material material, long now) {
        String sealed = keyring.sealForProject(
                key.projectId(), Base64.getEncoder().encodeToString(material.secret()), materialAad(key.id(), version));
        java.util.Arrays.fill(material.secret(), (byte) 0);
        String publicKey =
                material.publicKey() == null ? null : Base64.getEncoder().encodeToString(material.publicKey());
        store.insertVersion(new KmsKeyStore.Version(key.id(), version, sealed, publicKey), now);
    }

    private byte[] material(KmsKey key, int version) {
        KmsKeyStore.Version v = store.version(key.id(), version).orElseThrow(KmsKeyService::undecryptable);
        return Base64.getDecoder()
                .decode(keyring.openForProject(key.projectId(), v.sealedMaterial(), materialAad(key.id(), version)));
    }

    private byte[] publicKey(KmsKey key) {
        KmsKeyStore.Version v = store.version(key.id(), key.version())
                .orElseThrow(() -> new IllegalStateException("key " + key.id() + " has no current version"));
        return Base64.getDecoder().decode(v.publicKey());
    }

    private static String materialAad(String keyId, int version) {
        return "keyhaven:kms-key-material:v1:" + keyId + ":" + version;
    }

    private static byte[] aad(String keyId, int version) {
        return ("keyhaven:kms-ciphertext:v1:" + keyId + ":" + version).getBytes(StandardCharsets.UTF_8);
    }

    private static String checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw ValidationException.required("name");
        }
        if (name.length() > MAX_NAME || !Slugs.isSlug(name)) {
            throw ValidationException.field(
                    "name", "Key names are 1 to 32 lower-case letters, digits, hyphens and underscores");
        }
        return name;
    }

    private static String checkDescription(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw ValidationException.field("description", "String must contain at most 500 character(s)");
        }
        return description;
    }

    private static List<String> keyIds(List<KmsKey> keys) {
        return keys.stream().map(KmsKey::id).toList();
    }

    private static AuditEvent event(
            Actor actor, Project project, AuditEventType type, KmsKey key, Map<String, Object> extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keyId", key.id());
        m.put("name", key.name());
        m.put("keyUsage", key.usage().wire());
        m.put("encryptionAlgorithm", key.spec().wire());
        m.put("version", key.version());
        m.putAll(extra);
        return AuditEvent.of(actor, project.id(), project.name(), type, m);
    }
}
