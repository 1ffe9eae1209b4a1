package dev.keyhaven.server.kms;

import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.log.Redaction;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Infisical's KMS API, {@code /api/v1/kms/keys}: keys of a KMS project and encrypt, decrypt, sign
 * and verify with them, as the official SDKs' {@code kms()} call them. Plus {@code POST
 * /keys/:keyId/rotate}, Keyhaven's own, for a new version of an encryption key.
 */
@RestController
public class KmsController {
    private static final String BASE = "/api/v1/kms/keys";

    public record EncryptBody(String plaintext) {}

    public record DecryptBody(String ciphertext) {}

    public record SignBody(String data, String signingAlgorithm, Boolean isDigest) {}

    public record VerifyBody(String data, String signature, String signingAlgorithm, Boolean isDigest) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    private final KmsKeyService keys;

    public KmsController(KmsKeyService keys) {
        this.keys = keys;
    }

    @PostMapping(BASE)
    @ProjectPermission(subject = ProjectSubject.CMEK, actions = ProjectAction.CREATE)
    public Map<String, Object> create(Actor actor, @RequestBody(required = false) KmsKeyService.NewKey body) {
        return one(keys.create(actor, body == null ? new KmsKeyService.NewKey(null, null, null, null, null) : body));
    }

    @GetMapping(BASE)
    @ProjectPermission(subject = ProjectSubject.CMEK, actions = ProjectAction.READ)
    public Map<String, Object> list(
            Actor actor,
            @RequestParam(required = false) String projectId,
            @RequestParam(required = false) String offset,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String orderBy,
            @RequestParam(required = false) String orderDirection,
            @RequestParam(required = false) String search) {
        KmsKeyService.KeyPage page = keys.list(actor, projectId, offset, limit, orderBy, orderDirection, search);
        return Map.of("keys", page.keys().stream().map(KmsController::json).toList(), "totalCount", page.totalCount());
    }

    @GetMapping(BASE + "/key-name/{name}")
    @ProjectPermission(subject = ProjectSubject.CMEK, actions = ProjectAction.READ)
    public Map<String, Object> getByName(
            Actor actor, @PathVariable String name, @RequestParam(required = false) String projectId) {
        return one(keys.getByName(actor, projectId, name));
    }

    @GetMapping(BASE + "/{keyId}")
    @ProjectPermission(subject = ProjectSubject.CMEK, actions = ProjectAction.READ)
    public Map<String, Object> get(Actor actor, @PathVariable String keyId) {
        return one(keys.get(actor, keyId));
    }

    @PatchMapping(BASE + "/{keyId}")
    @ProjectPermission(subject = ProjectSubject.CMEK, actions = ProjectAction.EDIT)
    public Map<String, Object> update(
            Actor actor, @PathVariable String keyId, @RequestBody(required = false) KmsKeyService.KeyUpdate body) {
        return one(keys.update(actor, keyId, body == null ? new KmsKeyService.KeyUpdate(null, null, null) : body));
    }

    @DeleteMapping(BASE + "/{keyId}")
    @ProjectPermission(subject = ProjectSubject.CMEK, actions = ProjectAction.DELETE)
    public Map<String, Object> delete(Actor actor, @PathVariable String keyId) {
        return one(keys.delete(actor, keyId));
    }

    @PostMapping(BASE + "/{keyId}/rotate")
    @ProjectPermission(subject = ProjectSubject.CMEK, actions = ProjectAction.ROTATE)
    public Map<String, Object> rotate(Actor actor, @PathVariable String keyId) {
        return one(keys.rotate(actor, keyId));
    }

    @PostMapping(BASE + "/{keyId}/encrypt")
    @ProjectPermission(subject = ProjectSubject.CMEK, actions = ProjectAction.ENCRYPT)
    public Map<String, Object> encrypt(
            Actor actor, @PathVariable String keyId, @RequestBody(required = false) EncryptBody body) {
        return Map.of("ciphertext", keys.encrypt(actor, keyId, body == null ? null : body.plaintext()));
    }

    @PostMapping(BASE + "/{keyId}/decrypt")
    @ProjectPermission(subject = ProjectSubject.CMEK, actions = ProjectAction.DECRYPT)
    public Map<String, Object> decrypt(
            Actor actor, @PathVariable String keyId, @RequestBody(required = false) DecryptBody body) {
        return Map.of("plaintext", keys.decrypt(actor, keyId, body == null ? null : body.ciphertext()));
    }

    @PostMapping(BASE + "/{keyId}/sign")
    @ProjectPermission(subject = ProjectSubject.CMEK, actions = ProjectAction.SIGN)
    public Map<String, Object> sign(
            Actor actor, @PathVariable String keyId, @RequestBody(required = false) SignBody body) {
        SignBody b = body == null ? new SignBody(null, null, null) : body;
        KmsKeyService.Signed s = keys.sign(actor, keyId, b.data(), b.signingAlgorithm(), b.isDigest());
        return Map.of(
                "signature",
                s.signature(),
                "keyId",
                s.keyId(),
                "signingAlgorithm",
                s.signingAlgorithm().name());
    }

    @PostMapping(BASE + "/{keyId}/verify")
    @ProjectPermission(subject = ProjectSubject.CMEK, actions = ProjectAction.VERIFY)
    public Map<String, Object> verify(
            Actor actor, @PathVariable String keyId, @RequestBody(required = false) VerifyBody body) {
        VerifyBody b = body == null ? new VerifyBody(null, null, null, null) : body;
        KmsKeyService.Verified v =
                keys.verify(actor, keyId, b.data(), b.signature(), b.signingAlgorithm(), b.isDigest());
        return Map.of(
                "signatureValid",
                v.signatureValid(),
                "keyId",
                v.keyId(),
                "signingAlgorithm",
                v.signingAlgorithm().name());
    }

    @GetMapping(BASE + "/{keyId}/signing-algorithms")
    @ProjectPermission(subject = ProjectSubject.CMEK, actions = ProjectAction.READ)
    public Map<String, Object> signingAlgorithms(Actor actor, @PathVariable String keyId) {
        return Map.of(
                "signingAlgorithms",
                keys.signingAlgorithms(actor, keyId).stream()
                        .map(SigningAlgorithm::name)
                        .toList());
    }

    @GetMapping(BASE + "/{keyId}/public-key")
    @ProjectPermission(subject = ProjectSubject.CMEK, actions = ProjectAction.READ)
    public Map<String, Object> publicKey(Actor actor, @PathVariable String keyId) {
        return Map.of("publicKey", keys.publicKey(actor, keyId));
    }

    private static Map<String, Object> one(KmsKey key) {
        return Map.of("key", json(key));
    }

    static Map<String, Object> json(KmsKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("name", k.name());
        m.put("description", k.description());
        m.put("isDisabled", k.disabled());
        m.put("orgId", k.orgId());
        m.put("projectId", k.projectId());
        m.put("keyUsage", k.usage().wire());
        m.put("version", k.version());
        m.put("encryptionAlgorithm", k.spec().wire());
        m.put("createdAt", Iso.of(k.createdAt()));
        m.put("updatedAt", Iso.of(k.updatedAt()));
        return m;
    }
}
