package dev.keyhaven.server.secret;

import dev.keyhaven.server.access.PermissionService;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads secrets: list a folder (or subtree) with imports and expanded references, get one by
 * name, version or id. Each secret is checked twice: {@code describeSecret} decides whether it
 * is listed at all, {@code readValue} whether its value is shown or masked. Every read is audited
 * before the response is sent.
 */
@Service
public class SecretReader {
    private final ProjectService projects;
    private final FolderService folders;
    private final PermissionService permissions;
    private final SecretStore store;
    private final TagStore tags;
    private final SecretSealer sealer;
    private final ImportService imports;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final ListingCache listings;
    private final ReferenceLimits limits;
    private final ContentCache cache;

    public SecretReader(
            ProjectService projects,
            FolderService folders,
            PermissionService permissions,
            SecretStore store,
            TagStore tags,
            SecretSealer sealer,
            ImportService imports,
            AuditLog audit,
            ObjectMapper json,
            ListingCache listings,
            ReferenceLimits limits,
            ContentCache cache) {
        this.cache = cache;
        this.listings = listings;
        this.limits = limits;
        this.projects = projects;
        this.folders = folders;
        this.permissions = permissions;
        this.store = store;
        this.tags = tags;
        this.sealer = sealer;
        this.imports = imports;
        this.audit = audit;
        this.json = json;
    }

    /** Parameters of a list request, already parsed from query strings. */
    public record ListQuery(
            String projectId,
            String projectSlug,
            String environment,
            String secretPath,
            boolean viewSecretValue,
            boolean expand,
            boolean recursive,
            boolean includeImports,
            List<String> tagSlugs,
            List<Map<String, String>> metadataFilter) {}

    /** Parameters of a get-one request. */
    public record GetQuery(
            String projectId,
            String projectSlug,
            String environment,
            String secretPath,
            String secretName,
            String type,
            Integer version,
            boolean viewSecretValue,
            boolean expand,
            boolean includeImports) {}

    public Map<String, Object> list(Actor actor, ListQuery q) {
        Project project = projects.resolveSecretManager(actor, q.projectId(), q.projectSlug());
        return list(actor, project, context(actor, project), q).response();
    }

    /** A listing and the metadata of the audit row its read wrote. */
    private record Listing(Map<String, Object> response, Map<String, Object> audit) {}

    /**
     * The listing as JSON, from the {@link ListingCache} when the project's content and the
     * reader's permissions are what they were when it was rendered; rendered (and kept) otherwise.
     * Either way the request is checked and audited as {@link #list(Actor, ListQuery)} would.
     */
    public byte[] listJson(Actor actor, ListQuery q) {
        // the project (with its content revision) and the permissions are read before any data
        Project project = projects.resolveSecretManager(actor, q.projectId(), q.projectSlug());
        ReadContext ctx = context(actor, project);
        ListingCache.Key key = new ListingCache.Key(actor.type().wire(), actor.id(), project.id(), q);
        ListingCache.Entry hit = listings.get(key, project.contentRevision(), ctx.perms.version());
        if (hit != null) {
            // the same rules and the same content: the same answer, checked again for the record
            ctx.perms.requireSome(
                    ProjectSubject.SECRETS,
                    ProjectAction.DESCRIBE_SECRET,
                    Map.of(
                            "environment",
                            hit.auditMetadata().get("environment"),
                            "secretPath",
                            hit.auditMetadata().get("secretPath")));
            recordRead(actor, project, AuditEventType.GET_SECRETS, hit.auditMetadata());
            return hit.json();
        }
        Listing listing = list(actor, project, ctx, q);
        byte[] body = json.writeValueAsBytes(listing.response());
        if (listings.enabled()) {
            listings.put(
                    key, new ListingCache.Entry(project.contentRevision(), ctx.perms.version(), body, listing.audit()));
        }
        return body;
    }

    private Listing list(Actor actor, Project project, ReadContext ctx, ListQuery q) {
        Environment env = ctx.environment(q.environment());
        String path = SecretPath.normalize("secretPath", q.secretPath());
        ctx.perms.requireSome(
                ProjectSubject.SECRETS,
                ProjectAction.DESCRIBE_SECRET,
                Map.of("environment", env.slug(), "secretPath", path));
        List<Folder> scope = q.recursive() ? folders.subtree(env, path) : List.of(ctx.requireFolder(env, path));
        if (scope.isEmpty()) {
            throw ApiException.notFound(
                    "Folder with path '" + path + "' in environment '" + env.slug() + "' not found");
        }
        List<Map<String, Object>> secrets = new ArrayList<>();
        for (Folder folder : scope) {
            // the first folder of the scope is the requested one; its imports come in the same queries
            ReadContext.FolderSecrets fs = q.includeImports() && folder == scope.get(0)
                    ? ctx.loadWithImports(env, folder)
                    : ctx.load(env, folder);
            for (SecretRow s : fs.rows()) {
                Map<String, Object> out = render(
                        ctx,
                        env.slug(),
                        folder.path(),
                        s,
                        fs.tags().getOrDefault(s.id(), List.of()),
                        q.viewSecretValue(),
                        q.expand(),
                        true,
                        q.tagSlugs(),
                        q.metadataFilter());
                if (out != null) {
                    secrets.add(out);
                }
            }
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("secrets", secrets);
        if (q.includeImports()) {
            // the first folder of the scope is the requested one (the subtree is ordered by path)
            response.put("imports", importedSecrets(ctx, env, scope.get(0), q.viewSecretValue(), q.expand()));
        }
        Map<String, Object> audited =
                Map.of("environment", env.slug(), "secretPath", path, "numberOfSecrets", secrets.size());
        recordRead(actor, project, AuditEventType.GET_SECRETS, audited);
        return new Listing(response, audited);
    }

    public Map<String, Object> get(Actor actor, GetQuery q) {
        Project project = projects.resolveSecretManager(actor, q.projectId(), q.projectSlug());
        ReadContext ctx = context(actor, project);
        Environment env = ctx.environment(q.environment());
        String path = SecretPath.normalize("secretPath", q.secretPath());
        String type = q.type() == null ? SecretRow.SHARED : q.type();
        if (!SecretRow.SHARED.equals(type) && !SecretRow.PERSONAL.equals(type)) {
            throw ValidationException.field("type", "Invalid enum value. Expected 'shared' | 'personal'");
        }
        Folder folder = ctx.requireFolder(env, path);
        Optional<SecretRow> found =
                ctx.secret(folder.id(), q.secretName(), type, SecretRow.PERSONAL.equals(type) ? actor.id() : "");
        if (found.isEmpty() && q.includeImports() && q.version() == null) {
            Optional<Map<String, Object>> imported =
                    findInImports(ctx, env, folder, q.secretName(), q.viewSecretValue(), q.expand());
            if (imported.isPresent()) {
                recordRead(
                        actor,
                        project,
                        AuditEventType.GET_SECRET,
                        Map.of(
                                "environment",
                                env.slug(),
                                "secretPath",
                                path,
                                "secretKey",
                                q.secretName(),
                                "imported",
                                true));
                return imported.get();
            }
        }
        SecretRow s = found.orElseThrow(() -> notFound(q.secretName(), env, path));
        List<Tag> currentTags = ctx.tagsOf(s.id());
        List<Tag> secretTags = currentTags;
        // an older version is read only as far as both it and the secret as it is now may be read:
        // a rename into a denied name or a tag added later must not leave the history readable
        Map<String, Object> current = null;
        if (q.version() != null && q.version() != s.version()) {
            current = ctx.resource(env.slug(), path, s.key(), currentTags);
            s = versionOf(s, q.version())
                    .orElseThrow(() ->
                            ApiException.notFound("Secret '" + q.secretName() + "' has no version " + q.version()));
            secretTags = versionTags(s);
        }
        Map<String, Object> out = render(
                ctx, env.slug(), path, s, secretTags, current, q.viewSecretValue(), q.expand(), true, null, null);
        if (out == null) {
            throw ApiException.permissionDenied("describeSecret", "secrets", List.of());
        }
        recordRead(
                actor,
                project,
                AuditEventType.GET_SECRET,
                Map.of(
                        "environment",
                        env.slug(),
                        "secretPath",
                        path,
                        "secretKey",
                        s.key(),
                        "secretId",
                        s.id(),
                        "secretVersion",
                        s.version()));
        return out;
    }

    public Map<String, Object> getById(Actor actor, String secretId, boolean viewSecretValue, boolean expand) {
        permissions.org(actor).requireMembership();
        SecretRow s = (Ids.looksLikeId(secretId) ? store.byId(secretId) : Optional.<SecretRow>empty())
                .filter(r -> SecretRow.SHARED.equals(r.type()) || r.ownerId().equals(actor.id()))
                .orElseThrow(() -> ApiException.notFound("Secret with ID " + secretId + " not found"));
        Project project;
        try {
            project = projects.resolveSecretManager(actor, s.projectId(), null);
        } catch (ApiException e) {
            throw ApiException.notFound("Secret with ID " + secretId + " not found");
        }
        ReadContext ctx = context(actor, project);
        Environment env = ctx.environmentById(s.envId()).orElseThrow();
        Folder folder = ctx.folderById(s.folderId()).orElseThrow();
        Map<String, Object> out = render(
                ctx, env.slug(), folder.path(), s, ctx.tagsOf(s.id()), viewSecretValue, expand, true, null, null);
        if (out == null) {
            throw ApiException.permissionDenied("describeSecret", "secrets", List.of());
        }
        recordRead(
                actor,
                project,
                AuditEventType.GET_SECRET,
                Map.of(
                        "environment",
                        env.slug(),
                        "secretPath",
                        folder.path(),
                        "secretKey",
                        s.key(),
                        "secretId",
                        s.id(),
                        "secretVersion",
                        s.version()));
        return out;
    }

    /**
     * One secret as the caller may see it, or null when it may not be described or does not pass
     * the filters.
     */
    private Map<String, Object> render(
            ReadContext ctx,
            String envSlug,
            String path,
            SecretRow s,
            List<Tag> secretTags,
            boolean viewValue,
            boolean expand,
            boolean timestamps,
            List<String> tagSlugs,
            List<Map<String, String>> metaFilter) {
        return render(ctx, envSlug, path, s, secretTags, null, viewValue, expand, timestamps, tagSlugs, metaFilter);
    }

    /**
     * As above; {@code current}, when not null, is the resource of the secret as it is now, which
     * must allow the read as well as the version's own resource (for reads of older versions).
     */
    private Map<String, Object> render(
            ReadContext ctx,
            String envSlug,
            String path,
            SecretRow s,
            List<Tag> secretTags,
            Map<String, Object> current,
            boolean viewValue,
            boolean expand,
            boolean timestamps,
            List<String> tagSlugs,
            List<Map<String, String>> metaFilter) {
        if (tagSlugs != null
                && !tagSlugs.isEmpty()
                && secretTags.stream().noneMatch(t -> tagSlugs.contains(t.slug()))) {
            return null;
        }
        Map<String, Object> resource = ctx.resource(envSlug, path, s.key(), secretTags);
        if (!ctx.perms.can(ProjectSubject.SECRETS, ProjectAction.DESCRIBE_SECRET, resource)
                || current != null && !ctx.perms.can(ProjectSubject.SECRETS, ProjectAction.DESCRIBE_SECRET, current)) {
            return null;
        }
        List<SecretMetadata> metadata = sealer.openMetadata(s);
        if (metaFilter != null && !metaFilter.isEmpty() && !matches(metadata, metaFilter)) {
            return null;
        }
        boolean hidden = !viewValue
                || !ctx.perms.can(ProjectSubject.SECRETS, ProjectAction.READ_VALUE, resource)
                || current != null && !ctx.perms.can(ProjectSubject.SECRETS, ProjectAction.READ_VALUE, current);
        String value = null;
        if (!hidden) {
            value = ctx.value(s);
            if (expand && ReferenceExpander.hasReferences(value)) {
                value = ctx.expand(value, envSlug, path, s.key());
                if (s.skipMultiline() && value.contains("\n")) {
                    value = "\"" + value.replace("\n", "\\n") + "\"";
                }
            }
        }
        return SecretJson.of(
                s,
                envSlug,
                path,
                value,
                hidden,
                sealer.openComment(s),
                sealer.openReminderNote(s),
                metadata,
                secretTags,
                timestamps);
    }

    private static boolean matches(List<SecretMetadata> metadata, List<Map<String, String>> filters) {
        for (Map<String, String> f : filters) {
            boolean any = metadata.stream()
                    .anyMatch(m -> !m.isEncrypted()
                            && (f.get("key") == null || f.get("key").equals(m.key()))
                            && (f.get("value") == null || f.get("value").equals(m.value())));
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /**
     * The imports of a folder, nested ones before the import that brings them in, so that walking
     * the list from last to first (as the CLI does) gives each folder's own secrets precedence
     * over what it imports.
     */
    private List<Map<String, Object>> importedSecrets(
            ReadContext ctx, Environment env, Folder folder, boolean viewValue, boolean expand) {
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        seen.add(folder.id());
        collectImports(ctx, folder, viewValue, expand, out, seen, 1);
        return out;
    }

    private void collectImports(
            ReadContext ctx,
            Folder folder,
            boolean viewValue,
            boolean expand,
            List<Map<String, Object>> out,
            Set<String> seen,
            int depth) {
        if (depth > ImportService.MAX_DEPTH) {
            return;
        }
        for (SecretImport imp : ctx.importsOf(folder)) {
            Environment source = ctx.environmentById(imp.importEnvId()).orElse(null);
            if (source == null) {
                continue;
            }
            Optional<ReadContext.FolderSecrets> fs = ctx.folder(source.slug(), imp.importPath());
            if (fs.isEmpty() || !seen.add(fs.get().folder().id())) {
                continue;
            }
            collectImports(ctx, fs.get().folder(), viewValue, expand, out, seen, depth + 1);
            List<Map<String, Object>> secrets = new ArrayList<>();
            for (SecretRow s : fs.get().byKey().values()) {
                Map<String, Object> rendered = render(
                        ctx,
                        source.slug(),
                        imp.importPath(),
                        s,
                        fs.get().tags().getOrDefault(s.id(), List.of()),
                        viewValue,
                        expand,
                        false,
                        null,
                        null);
                if (rendered != null) {
                    secrets.add(rendered);
                }
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("secretPath", imp.importPath());
            entry.put("environment", source.slug());
            entry.put("folderId", fs.get().folder().id());
            entry.put("secrets", secrets);
            out.add(entry);
        }
    }

    /** A key not in the folder, looked up in its imports: the last import that has it wins. */
    private Optional<Map<String, Object>> findInImports(
            ReadContext ctx, Environment env, Folder folder, String key, boolean viewValue, boolean expand) {
        List<Map<String, Object>> entries = importedSecrets(ctx, env, folder, viewValue, expand);
        for (int i = entries.size() - 1; i >= 0; i--) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> secrets =
                    (List<Map<String, Object>>) entries.get(i).get("secrets");
            for (Map<String, Object> s : secrets) {
                if (key.equals(s.get("secretKey"))) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    private Optional<SecretRow> versionOf(SecretRow current, int version) {
        return store.version(current.id(), version).filter(v -> !v.deleted()).map(v -> {
            SecretRow r = v.secret();
            return new SecretRow(
                    r.id(),
                    r.projectId(),
                    current.envId(),
                    r.folderId(),
                    r.key(),
                    r.type(),
                    r.ownerId(),
                    r.version(),
                    r.valueCt(),
                    r.commentCt(),
                    r.metadataJson(),
                    r.skipMultiline(),
                    r.reminderNote(),
                    r.reminderRepeatDays(),
                    current.createdAt(),
                    r.updatedAt());
        });
    }

    private List<Tag> versionTags(SecretRow s) {
        List<Tag> out = new ArrayList<>();
        store.version(s.id(), s.version()).ifPresent(v -> {
            for (String id : json.readValue(v.tagsJson(), new TypeReference<List<String>>() {})) {
                tags.find(s.projectId(), id).ifPresent(out::add);
            }
        });
        return out;
    }

    private ReadContext context(Actor actor, Project project) {
        return new ReadContext(
                actor,
                project,
                permissions.project(actor, project.id()),
                projects,
                folders,
                store,
                tags,
                sealer,
                imports,
                limits,
                cache);
    }

    private void recordRead(Actor actor, Project project, AuditEventType type, Map<String, Object> metadata) {
        audit.recordRead(AuditEvent.of(actor, project.id(), project.name(), type, metadata));
    }

    private static ApiException notFound(String key, Environment env, String path) {
        return ApiException.notFound(
                "Secret with name '" + key + "' not found in environment '" + env.slug() + "' at path '" + path + "'");
    }
}
