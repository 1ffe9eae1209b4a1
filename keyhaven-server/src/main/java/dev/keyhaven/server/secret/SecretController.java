package dev.keyhaven.server.secret;

import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectPermission;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.web.Flags;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The v3 raw secrets API ({@code /api/v3/secrets/raw}), the one Infisical's SDKs and CLI call. */
@RestController
public class SecretController {
    private final SecretReader reader;
    private final SecretWriter writer;

    public SecretController(SecretReader reader, SecretWriter writer) {
        this.reader = reader;
        this.writer = writer;
    }

    @GetMapping("/api/v3/secrets/raw")
    @ProjectPermission(
            subject = ProjectSubject.SECRETS,
            actions = {ProjectAction.DESCRIBE_SECRET, ProjectAction.READ_VALUE})
    public ResponseEntity<byte[]> list(Actor actor, @RequestParam Map<String, String> q) {
        byte[] json = reader.listJson(actor, SecretQueries.list(q.get("workspaceId"), q.get("workspaceSlug"), q));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json);
    }

    @GetMapping("/api/v3/secrets/raw/id/{secretId}")
    @ProjectPermission(
            subject = ProjectSubject.SECRETS,
            actions = {ProjectAction.DESCRIBE_SECRET, ProjectAction.READ_VALUE})
    public Map<String, Object> getById(
            Actor actor, @PathVariable String secretId, @RequestParam Map<String, String> q) {
        return Map.of(
                "secret",
                reader.getById(
                        actor,
                        secretId,
                        Flags.parse("viewSecretValue", q.get("viewSecretValue"), true),
                        Flags.parse("expandSecretReferences", q.get("expandSecretReferences"), false)));
    }

    @GetMapping("/api/v3/secrets/raw/{secretName}")
    @ProjectPermission(
            subject = ProjectSubject.SECRETS,
            actions = {ProjectAction.DESCRIBE_SECRET, ProjectAction.READ_VALUE})
    public Map<String, Object> get(Actor actor, @PathVariable String secretName, @RequestParam Map<String, String> q) {
        return Map.of(
                "secret",
                reader.get(actor, SecretQueries.get(q.get("workspaceId"), q.get("workspaceSlug"), secretName, q)));
    }

    @PostMapping("/api/v3/secrets/raw/{secretName}")
    @ProjectPermission(subject = ProjectSubject.SECRETS, actions = ProjectAction.CREATE)
    public Map<String, Object> create(Actor actor, @PathVariable String secretName, @RequestBody SecretWriteBody body) {
        return Map.of(
                "secret",
                writer.create(actor, body.target(), List.of(body.single(secretName)))
                        .get(0));
    }

    @PatchMapping("/api/v3/secrets/raw/{secretName}")
    @ProjectPermission(subject = ProjectSubject.SECRETS, actions = ProjectAction.EDIT)
    public Map<String, Object> update(Actor actor, @PathVariable String secretName, @RequestBody SecretWriteBody body) {
        return Map.of(
                "secret",
                writer.update(
                                actor,
                                body.target(),
                                List.of(body.single(secretName)),
                                SecretWriter.PatchMode.FAIL_ON_NOT_FOUND)
                        .get(0));
    }

    @DeleteMapping("/api/v3/secrets/raw/{secretName}")
    @ProjectPermission(subject = ProjectSubject.SECRETS, actions = ProjectAction.DELETE)
    public Map<String, Object> delete(Actor actor, @PathVariable String secretName, @RequestBody SecretWriteBody body) {
        return Map.of(
                "secret",
                writer.delete(actor, body.target(), List.of(body.single(secretName)))
                        .get(0));
    }

    @PostMapping("/api/v3/secrets/batch/raw")
    @ProjectPermission(subject = ProjectSubject.SECRETS, actions = ProjectAction.CREATE)
    public Map<String, Object> createBatch(Actor actor, @RequestBody SecretWriteBody body) {
        return Map.of("secrets", writer.create(actor, body.target(), body.batch()));
    }

    @PatchMapping("/api/v3/secrets/batch/raw")
    @ProjectPermission(subject = ProjectSubject.SECRETS, actions = ProjectAction.EDIT)
    public Map<String, Object> updateBatch(Actor actor, @RequestBody SecretWriteBody body) {
        return Map.of("secrets", writer.update(actor, body.target(), body.batch(), body.patchMode()));
    }

    @DeleteMapping("/api/v3/secrets/batch/raw")
    @ProjectPermission(subject = ProjectSubject.SECRETS, actions = ProjectAction.DELETE)
    public Map<String, Object> deleteBatch(Actor actor, @RequestBody SecretWriteBody body) {
        return Map.of("secrets", writer.delete(actor, body.target(), body.batch()));
    }
}
