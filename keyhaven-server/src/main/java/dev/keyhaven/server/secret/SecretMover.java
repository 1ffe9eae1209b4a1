package dev.keyhaven.server.secret;

import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.access.PermissionSet;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import dev.keyhaven.server.project.Environment;
import dev.keyhaven.server.project.Project;
import dev.keyhaven.server.project.ProjectService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves secrets between folders or environments of one project ({@code POST /api/v4/secrets/move}),
 * in one transaction, through the ordinary write path: the destination gets new secrets (or new
 * versions when overwriting), the source keeps a tombstone version. Moving needs
 * {@code readValue} and {@code delete} on each source secret, so a move cannot reveal a value
 * its caller could not read.
 */
@Service
public class SecretMover {
    private final ProjectService projects;
    private final FolderService folders;
    private final PermissionService permissions;
    private final SecretStore store;
    private final TagStore tags;
    private final SecretSealer sealer;
    private final SecretWriter writer;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    public SecretMover(
            ProjectService projects,
            FolderService folders,
            PermissionService permissions,
            SecretStore store,
            TagStore tags,
            SecretSealer sealer,
            SecretWriter writer,
            AuditLog audit,
            TransactionTemplate tx) {
        this.projects = projects;
        this.folders = folders;
        this.permissions = permissions;
        this.store = store;
        this.tags = tags;
        this.sealer = sealer;
        this.writer = writer;
        this.audit = audit;
        this.tx = tx;
    }

    public record Move(
            String projectId,
            String sourceEnvironment,
            String sourceSecretPath,
            String destinationEnvironment,
            String destinationSecretPath,
            List<String> secretIds,
            Boolean shouldOverwrite) {}

    public Map<String, Object> move(Actor actor, Move m) {
        Project project = projects.resolveSecretManager(actor, m.projectId(), null);
        PermissionSet perms = permissions.project(actor, project.id());
        Environment sourceEnv = projects.environment(project, m.sourceEnvironment());
        Environment destEnv = projects.environment(project, m.destinationEnvironment());
        String sourcePath = SecretPath.normalize("sourceSecretPath", m.sourceSecretPath());
        String destPath = SecretPath.normalize("destinationSecretPath", m.destinationSecretPath());
        if (m.secretIds() == null || m.secretIds().isEmpty()) {
            throw ValidationException.field("secretIds", "Array must contain at least 1 element(s)");
        }
        if (sourceEnv.id().equals(destEnv.id()) && sourcePath.equals(destPath)) {
            throw ApiException.badRequest("Source and destination are the same folder");
        }
        Folder source = folders.require(sourceEnv, sourcePath);
        Folder dest = folders.require(destEnv, destPath);
        boolean overwrite = Boolean.TRUE.equals(m.shouldOverwrite());
        List<SecretInput> creates = new ArrayList<>();
        List<SecretInput> updates = new ArrayList<>();
        List<SecretInput> deletes = new ArrayList<>();
        for (String id : m.secretIds()) {
            SecretRow s = (Ids.looksLikeId(id) ? store.byId(id) : Optional.<SecretRow>empty())
                    .filter(r -> r.folderId().equals(source.id()) && SecretRow.SHARED.equals(r.type()))
                    .orElseThrow(
                            () -> ApiException.notFound("Secret with ID " + id + " not found in the source folder"));
            List<Tag> secretTags = tags.forSecret(s.id());
            Map<String, Object> resource = Map.of(
                    "environment",
                    sourceEnv.slug(),
                    "secretPath",
                    sourcePath,
                    "secretName",
                    s.key(),
                    "secretTags",
                    secretTags.stream().map(Tag::slug).toList());
            perms.require(ProjectSubject.SECRETS, ProjectAction.READ_VALUE, resource);
            perms.require(ProjectSubject.SECRETS, ProjectAction.DELETE, resource);
            SecretInput moved = new SecretInput(
                    s.key(),
                    sealer.openValue(s),
                    sealer.openComment(s),
                    s.skipMultiline(),
                    metadata(sealer.openMetadata(s)),
                    null,
                    secretTags.stream().map(Tag::id).toList(),
                    null,
                    null,
                    sealer.openReminderNote(s),
                    s.reminderRepeatDays(),
                    null,
                    null);
            boolean exists =
                    store.find(dest.id(), s.key(), SecretRow.SHARED, "").isPresent();
            if (exists && !overwrite) {
                continue;
            }
            (exists ? updates : creates).add(moved);
            deletes.add(
                    new SecretInput(s.key(), null, null, null, null, null, null, null, null, null, null, null, null));
        }
        SecretWriter.Target to = new SecretWriter.Target(project.id(), null, destEnv.slug(), destPath);
        SecretWriter.Target from = new SecretWriter.Target(project.id(), null, sourceEnv.slug(), sourcePath);
        tx.executeWithoutResult(st -> {
            if (!creates.isEmpty()) {
                writer.create(actor, to, creates);
            }
            if (!updates.isEmpty()) {
                writer.update(actor, to, updates, SecretWriter.PatchMode.FAIL_ON_NOT_FOUND);
            }
            if (!deletes.isEmpty()) {
                writer.delete(actor, from, deletes);
            }
            audit.record(AuditEvent.of(
                    actor,
                    project.id(),
                    project.name(),
                    AuditEventType.MOVE_SECRETS,
                    Map.of(
                            "sourceEnvironment",
                            sourceEnv.slug(),
                            "sourceSecretPath",
                            sourcePath,
                            "destinationEnvironment",
                            destEnv.slug(),
                            "destinationSecretPath",
                            destPath,
                            "secretIds",
                            m.secretIds())));
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("isSourceUpdated", !deletes.isEmpty());
        out.put("isDestinationUpdated", !creates.isEmpty() || !updates.isEmpty());
        return out;
    }

    private static List<Map<String, Object>> metadata(List<SecretMetadata> entries) {
        return entries.stream()
                .map(e -> Map.<String, Object>of("key", e.key(), "value", e.value(), "isEncrypted", e.isEncrypted()))
                .toList();
    }
}
