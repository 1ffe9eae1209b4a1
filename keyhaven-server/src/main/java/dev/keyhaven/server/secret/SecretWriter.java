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
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import dev.keyhaven.server.project.Environment;
import dev.keyhaven.server.project.Project;
import dev.keyhaven.server.project.ProjectService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * The one write path for secrets: create, update and delete, single or batch. Everything is
 * validated and permission-checked before the transaction; inside it each change becomes a new
 * immutable version, conditional on the version it was based on, and a batch commits whole or
 * not at all. A write that would make a secret reference itself in a cycle is refused. Change
 * approvals will hook in here, so no write can go around them.
 */
@Service
public class SecretWriter {
    public enum PatchMode {
        FAIL_ON_NOT_FOUND,
        UPSERT,
        IGNORE
    }

    private final ProjectService projects;
    private final FolderService folders;
    private final PermissionService permissions;
    private final SecretStore store;
    private final TagStore tagStore;
    private final TagService tags;
    private final SecretSealer sealer;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;
    private final ReferenceCycleCheck cycles;
    private final ReferenceLimits limits;

    public SecretWriter(
            ProjectService projects,
            FolderService folders,
            PermissionService permissions,
            SecretStore store,
            TagStore tagStore,
            TagService tags,
            SecretSealer sealer,
            AuditLog audit,
            TransactionTemplate tx,
            ObjectMapper json,
            Clock clock,
            ReferenceCycleCheck cycles,
            ReferenceLimits limits) {
        this.cycles = cycles;
        this.limits = limits;
        this.projects = projects;
        this.folders = folders;
        this.permissions = permissions;
        this.store = store;
        this.tagStore = tagStore;
        this.tags = tags;
        this.sealer = sealer;
        this.audit = audit;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    /** Where a write goes: project (by id or slug), environment slug and default folder path. */
    public record Target(String projectId, String projectSlug, String environment, String secretPath) {}

    /** A change prepared outside the transaction. */
    private record Change(
            SecretInput input,
            Environment env,
            Folder folder,
            String path,
            SecretRow current,
            String key,
            String type,
            String value,
            String comment,
            List<SecretMetadata> metadata,
            List<Tag> tags,
            boolean skipMultiline,
            String reminderNote,
            Integer reminderDays) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    private record Scope(Actor actor, Project project, Environment env, String path, PermissionSet perms) {}

    public List<Map<String, Object>> create(Actor actor, Target target, List<SecretInput> items) {
        Scope scope = scope(actor, target);
        List<Change> changes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            SecretInput in = items.get(i);
            String field = items.size() == 1 ? "secretKey" : "secrets." + i + ".secretKey";
            if (in.secretValue() == null) {
                // Infisical requires the value on create; an empty secret is written only when asked for
                throw ValidationException.required(items.size() == 1 ? "secretValue" : "secrets." + i + ".secretValue");
            }
            Change c = prepareCreate(scope, in, field);
            if (!seen.add(c.type() + ":" + c.key())) {
                throw ValidationException.field(field, "Secret '" + c.key() + "' appears twice in the request");
            }
            changes.add(c);
        }
        return commit(scope, changes, items.size() == 1 ? AuditEventType.CREATE_SECRET : AuditEventType.CREATE_SECRETS);
    }

    public List<Map<String, Object>> update(Actor actor, Target target, List<SecretInput> items, PatchMode mode) {
        Scope scope = scope(actor, target);
        List<Change> changes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            SecretInput in = items.get(i);
            String field = items.size() == 1 ? "secretKey" : "secrets." + i + ".secretKey";
            SecretRules.key(field, in.secretKey());
            String type = SecretRules.type(in.type());
            Folder folder = folderFor(scope, in);
            Optional<SecretRow> current = store.find(folder.id(), in.secretKey(), type, owner(scope.actor(), type));
            Change c;
            if (current.isEmpty()) {
                if (mode == PatchMode.IGNORE) {
                    continue;
                }
                if (mode == PatchMode.FAIL_ON_NOT_FOUND) {
                    throw ApiException.notFound("Secret with name '" + in.secretKey() + "' not found in environment '"
                            + scope.env().slug() + "' at path '" + folder.path() + "'");
                }
                c = prepareCreate(scope, in, field);
            } else {
                c = prepareUpdate(scope, in, folder, current.get(), field);
            }
            if (!seen.add(c.folder().id() + ":" + c.type() + ":" + c.key())) {
                throw ValidationException.field(field, "Secret '" + c.key() + "' appears twice in the request");
            }
            changes.add(c);
        }
        return commit(scope, changes, items.size() == 1 ? AuditEventType.UPDATE_SECRET : AuditEventType.UPDATE_SECRETS);
    }

    public List<Map<String, Object>> delete(Actor actor, Target target, List<SecretInput> items) {
        Scope scope = scope(actor, target);
        List<Change> changes = new ArrayList<>();
        List<Change> overrides = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            SecretInput in = items.get(i);
            String field = items.size() == 1 ? "secretKey" : "secrets." + i + ".secretKey";
            SecretRules.key(field, in.secretKey());
            String type = SecretRules.type(in.type());
            Folder folder = folderFor(scope, in);
            SecretRow current = store.find(folder.id(), in.secretKey(), type, owner(scope.actor(), type))
                    .orElseThrow(() ->
                            ApiException.notFound("Secret with name '" + in.secretKey() + "' not found in environment '"
                                    + scope.env().slug() + "' at path '" + folder.path() + "'"));
            List<Tag> currentTags = tagStore.forSecret(current.id());
            scope.perms()
                    .require(
                            ProjectSubject.SECRETS,
                            ProjectAction.DELETE,
                            resource(scope, folder.path(), current.key(), currentTags));
            checkExpected(in, current);
            changes.add(new Change(
                    in,
                    scope.env(),
                    folder,
                    folder.path(),
                    current,
                    current.key(),
                    type,
                    null,
                    null,
                    List.of(),
                    currentTags,
                    current.skipMultiline(),
                    sealer.openReminderNote(current),
                    current.reminderRepeatDays()));
            if (SecretRow.SHARED.equals(type)) {
                // as in Infisical, the personal overrides of a shared secret go with it
                for (SecretRow override : store.overridesOf(folder.id(), current.key())) {
                    overrides.add(new Change(
                            in,
                            scope.env(),
                            folder,
                            folder.path(),
                            override,
                            override.key(),
                            override.type(),
                            null,
                            null,
                            List.of(),
                            tagStore.forSecret(override.id()),
                            override.skipMultiline(),
                            sealer.openReminderNote(override),
                            override.reminderRepeatDays()));
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        AuditEventType event = items.size() == 1 ? AuditEventType.DELETE_SECRET : AuditEventType.DELETE_SECRETS;
        tx.executeWithoutResult(st -> {
            long now = clock.millis();
            List<Map<String, Object>> auditItems = new ArrayList<>();
            for (Change c : changes) {
                SecretRow cur = c.current();
                Map<String, Object> view = view(scope, c, cur);
                remove(scope, c, now);
                auditItems.add(auditItem(c.path(), cur.id(), cur.key(), cur.version()));
                out.add(view);
            }
            Set<String> removed = new HashSet<>();
            changes.forEach(c -> removed.add(c.current().id()));
            for (Change c : overrides) {
                if (removed.add(c.current().id())) {
                    remove(scope, c, now);
                }
            }
            recordWrite(scope, event, auditItems);
        });
        return out;
    }

    /** Deletes the secret of a change (conditional on the version read) and writes its tombstone version. */
    private void remove(Scope scope, Change c, long now) {
        SecretRow cur = c.current();
        if (!store.delete(cur.id(), cur.version())) {
            throw conflict(cur.key());
        }
        SecretRow tombstone = cur.withVersion(
                cur.version() + 1,
                cur.key(),
                sealer.sealValue(cur.projectId(), cur.id(), cur.version() + 1, ""),
                null,
                "[]",
                cur.skipMultiline(),
                sealer.sealReminderNote(cur.projectId(), cur.id(), cur.version() + 1, c.reminderNote()),
                cur.reminderRepeatDays(),
                now);
        store.insertVersion(
                Ids.newId(),
                new SecretStore.VersionRow(
                        tombstone,
                        tagIds(c.tags()),
                        true,
                        scope.actor().type().wire(),
                        scope.actor().id()),
                now);
    }

    private Change prepareCreate(Scope scope, SecretInput in, String field) {
        String key = SecretRules.key(field, in.secretKey());
        String type = SecretRules.type(in.type());
        requireUserForPersonal(scope.actor(), type);
        String value = SecretRules.value(valueField(field), in.secretValue());
        checkReferenceCount(field, value);
        Folder folder = folderFor(scope, in);
        List<Tag> secretTags = tags.resolveIds(scope.project().id(), "tagIds", in.tagIds());
        scope.perms()
                .require(ProjectSubject.SECRETS, ProjectAction.CREATE, resource(scope, folder.path(), key, secretTags));
        if (store.find(folder.id(), key, type, owner(scope.actor(), type)).isPresent()) {
            throw ApiException.badRequest("Secret with key '" + key + "' already exists in environment '"
                    + scope.env().slug() + "' at path '" + folder.path() + "'");
        }
        if (SecretRow.PERSONAL.equals(type)
                && store.find(folder.id(), key, SecretRow.SHARED, "").isEmpty()) {
            // Infisical's answer, word for word: an override needs the shared secret it overrides
            throw ApiException.badRequest(
                    "Failed to create personal secret override for no corresponding shared secret");
        }
        return new Change(
                in,
                scope.env(),
                folder,
                folder.path(),
                null,
                key,
                type,
                value,
                SecretRules.comment(in.secretComment()),
                SecretRules.metadata(in.metadataEntries()),
                secretTags,
                Boolean.TRUE.equals(in.skipMultilineEncoding()),
                SecretRules.reminderNote(in.secretReminderNote()),
                SecretRules.reminderDays(in.secretReminderRepeatDays()));
    }

    private Change prepareUpdate(Scope scope, SecretInput in, Folder folder, SecretRow current, String field) {
        List<Tag> currentTags = tagStore.forSecret(current.id());
        scope.perms()
                .require(
                        ProjectSubject.SECRETS,
                        ProjectAction.EDIT,
                        resource(scope, folder.path(), current.key(), currentTags));
        checkExpected(in, current);
        String newKey = current.key();
        if (in.newSecretName() != null && !in.newSecretName().equals(current.key())) {
            if (SecretRow.PERSONAL.equals(current.type())) {
                // an override is found by the name of the shared secret it overrides
                throw ApiException.badRequest("Personal secret cannot change the key name");
            }
            newKey = SecretRules.key("newSecretName", in.newSecretName());
            if (store.find(folder.id(), newKey, current.type(), current.ownerId())
                    .isPresent()) {
                throw ApiException.badRequest("Secret with key '" + newKey + "' already exists at this path");
            }
        }
        List<Tag> newTags = in.tagIds() == null
                ? currentTags
                : tags.resolveIds(scope.project().id(), "tagIds", in.tagIds());
        if (!newKey.equals(current.key()) || in.tagIds() != null) {
            scope.perms()
                    .require(
                            ProjectSubject.SECRETS,
                            ProjectAction.EDIT,
                            resource(scope, folder.path(), newKey, newTags));
        }
        String value = in.secretValue() == null
                ? sealer.openValue(current)
                : checkReferenceCount(field, SecretRules.value(valueField(field), in.secretValue()));
        return new Change(
                in,
                scope.env(),
                folder,
                folder.path(),
                current,
                newKey,
                current.type(),
                value,
                in.secretComment() == null ? sealer.openComment(current) : SecretRules.comment(in.secretComment()),
                in.metadataEntries() == null
                        ? sealer.openMetadata(current)
                        : SecretRules.metadata(in.metadataEntries()),
                newTags,
                in.skipMultilineEncoding() == null ? current.skipMultiline() : in.skipMultilineEncoding(),
                in.secretReminderNote() == null
                        ? sealer.openReminderNote(current)
                        : SecretRules.reminderNote(in.secretReminderNote()),
                in.secretReminderRepeatDays() == null
                        ? current.reminderRepeatDays()
                        : SecretRules.reminderDays(in.secretReminderRepeatDays()));
    }

    /** The field of a value next to its key's field: {@code secretValue} or {@code secrets.N.secretValue}. */
    private static String valueField(String keyField) {
        return keyField.endsWith("secretKey")
                ? keyField.substring(0, keyField.length() - "secretKey".length()) + "secretValue"
                : "secretValue";
    }

    private String checkReferenceCount(String keyField, String value) {
        int n = ReferenceExpander.count(value);
        if (n > limits.maxPerValue()) {
            throw ReferenceLimits.tooManyInValue(valueField(keyField), n, limits.maxPerValue());
        }
        return value;
    }

    /**
     * Writes the changes in one transaction. The reference-cycle check, which may walk many
     * secrets, runs before it; inside, after the writes (which lock the project's content, as
     * every content write does), a few queries confirm that what it read is unchanged, and only
     * otherwise is it run again (on SQLite the transaction holds the database's write lock, so
     * the work inside it is kept small).
     */
    private List<Map<String, Object>> commit(Scope scope, List<Change> changes, AuditEventType event) {
        List<ReferenceCycleCheck.Written> leaves = changes.stream()
                .map(c -> new ReferenceCycleCheck.Written(
                        c.env(),
                        c.path(),
                        c.current() == null ? null : c.current().key(),
                        c.key(),
                        c.type(),
                        c.value(),
                        c.tags()))
                .toList();
        ReferenceCycleCheck.Checked checked = cycles.refuse(scope.project().id(), scope.perms(), leaves);
        List<Map<String, Object>> out = new ArrayList<>();
        tx.executeWithoutResult(st -> {
            long now = clock.millis();
            List<Map<String, Object>> auditItems = new ArrayList<>();
            for (Change c : changes) {
                SecretRow row = c.current() == null ? insert(scope, c, now) : update(scope, c, now);
                tagStore.replaceSecretTags(
                        row.id(), c.tags().stream().map(Tag::id).toList());
                store.insertVersion(
                        Ids.newId(),
                        new SecretStore.VersionRow(
                                row,
                                tagIds(c.tags()),
                                false,
                                scope.actor().type().wire(),
                                scope.actor().id()),
                        now);
                auditItems.add(auditItem(c.path(), row.id(), row.key(), row.version()));
                out.add(view(scope, c, row));
            }
            cycles.confirm(checked, scope.project().id(), scope.perms(), leaves);
            recordWrite(scope, event, auditItems);
        });
        return out;
    }

    private SecretRow insert(Scope scope, Change c, long now) {
        String id = Ids.newId();
        String projectId = scope.project().id();
        SecretRow row = new SecretRow(
                id,
                projectId,
                c.env().id(),
                c.folder().id(),
                c.key(),
                c.type(),
                owner(scope.actor(), c.type()),
                1,
                sealer.sealValue(projectId, id, 1, c.value()),
                sealer.sealComment(projectId, id, 1, c.comment()),
                sealer.sealMetadata(projectId, id, 1, c.metadata()),
                c.skipMultiline(),
                sealer.sealReminderNote(projectId, id, 1, c.reminderNote()),
                c.reminderDays(),
                now,
                now);
        store.insert(row);
        return row;
    }

    private SecretRow update(Scope scope, Change c, long now) {
        SecretRow cur = c.current();
        int v = cur.version() + 1;
        SecretRow row = cur.withVersion(
                v,
                c.key(),
                sealer.sealValue(cur.projectId(), cur.id(), v, c.value()),
                sealer.sealComment(cur.projectId(), cur.id(), v, c.comment()),
                sealer.sealMetadata(cur.projectId(), cur.id(), v, c.metadata()),
                c.skipMultiline(),
                sealer.sealReminderNote(cur.projectId(), cur.id(), v, c.reminderNote()),
                c.reminderDays(),
                now);
        if (!store.update(row, cur.version())) {
            throw conflict(cur.key());
        }
        return row;
    }

    private Map<String, Object> view(Scope scope, Change c, SecretRow row) {
        boolean canRead = scope.perms()
                .can(ProjectSubject.SECRETS, ProjectAction.READ_VALUE, resource(scope, c.path(), row.key(), c.tags()));
        String value = canRead ? (c.value() != null ? c.value() : sealer.openValue(row)) : null;
        String comment = c.comment() != null ? c.comment() : sealer.openComment(row);
        List<SecretMetadata> metadata = c.value() != null ? c.metadata() : sealer.openMetadata(row);
        return SecretJson.of(
                row, c.env().slug(), c.path(), value, !canRead, comment, c.reminderNote(), metadata, c.tags(), true);
    }

    private Scope scope(Actor actor, Target target) {
        Project project = projects.resolveSecretManager(actor, target.projectId(), target.projectSlug());
        PermissionSet perms = permissions.project(actor, project.id());
        Environment env = projects.environment(project, target.environment());
        return new Scope(actor, project, env, SecretPath.normalize("secretPath", target.secretPath()), perms);
    }

    private Folder folderFor(Scope scope, SecretInput in) {
        String path = in.secretPath() == null ? scope.path() : SecretPath.normalize("secretPath", in.secretPath());
        return folders.require(scope.env(), path);
    }

    private Map<String, Object> resource(Scope scope, String path, String key, List<Tag> secretTags) {
        return Map.of(
                "environment",
                scope.env().slug(),
                "secretPath",
                path,
                "secretName",
                key,
                "secretTags",
                secretTags.stream().map(Tag::slug).toList());
    }

    private static void checkExpected(SecretInput in, SecretRow current) {
        if (in.expectedVersion() != null && in.expectedVersion() != current.version()) {
            throw ApiException.conflict("Secret '" + current.key() + "' is at version " + current.version()
                    + ", not the expected version " + in.expectedVersion() + "; read it again and retry");
        }
    }

    private static ApiException conflict(String key) {
        return ApiException.conflict("Secret '" + key + "' was changed by another request; read it again and retry");
    }

    private static void requireUserForPersonal(Actor actor, String type) {
        if (SecretRow.PERSONAL.equals(type) && !actor.isUser()) {
            throw ApiException.badRequest(
                    "Only users can have personal secrets; machine identities use shared secrets");
        }
    }

    private static String owner(Actor actor, String type) {
        return SecretRow.PERSONAL.equals(type) ? actor.id() : "";
    }

    private String tagIds(List<Tag> t) {
        return json.writeValueAsString(t.stream().map(Tag::id).toList());
    }

    private static Map<String, Object> auditItem(String path, String id, String key, int version) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("secretPath", path);
        m.put("secretId", id);
        m.put("secretKey", key);
        m.put("secretVersion", version);
        return m;
    }

    private void recordWrite(Scope scope, AuditEventType event, List<Map<String, Object>> items) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("environment", scope.env().slug());
        if (items.size() == 1) {
            meta.putAll(items.get(0));
        } else {
            meta.put("secretPath", scope.path());
            meta.put("secrets", items);
        }
        audit.record(AuditEvent.of(
                scope.actor(), scope.project().id(), scope.project().name(), event, meta));
    }
}
