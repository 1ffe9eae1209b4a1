package dev.keyhaven.server.secret;

import dev.keyhaven.server.access.PermissionSet;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.project.Environment;
import dev.keyhaven.server.project.Project;
import dev.keyhaven.server.project.ProjectService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one read request has loaded so far: folders' secrets and tags, decrypted values, and the
 * caller's permissions. Reference expansion and imports go through it, so each folder is read
 * and each value decrypted at most once per request, and every referenced secret is checked.
 */
final class ReadContext implements ReferenceExpander.Lookup {
    record FolderSecrets(
            Environment env,
            Folder folder,
            List<SecretRow> rows,
            Map<String, SecretRow> byKey,
            Map<String, List<Tag>> tags) {}

    final Actor actor;
    final Project project;
    final PermissionSet perms;
    private final ProjectService projects;
    private final FolderService folders;
    private final SecretStore store;
    private final TagStore tags;
    private final SecretSealer sealer;
    private final ImportService importService;
    private final ReferenceLimits limits;
    private final ContentCache cache;
    private ReferenceExpander expander;
    private final Map<String, List<SecretImport>> imports = new HashMap<>();
    private final Map<String, Optional<FolderSecrets>> loaded = new HashMap<>();
    private List<Environment> environments;
    /** Decrypted values by row: the rows of a request are loaded once, so identity is enough. */
    private final Map<SecretRow, String> values = new IdentityHashMap<>(128);

    ReadContext(
            Actor actor,
            Project project,
            PermissionSet perms,
            ProjectService projects,
            FolderService folders,
            SecretStore store,
            TagStore tags,
            SecretSealer sealer,
            ImportService importService,
            ReferenceLimits limits,
            ContentCache cache) {
        this.cache = cache;
        this.actor = actor;
        this.project = project;
        this.perms = perms;
        this.projects = projects;
        this.folders = folders;
        this.store = store;
        this.tags = tags;
        this.sealer = sealer;
        this.importService = importService;
        this.limits = limits;
    }

    /** A value with its references expanded; references resolved once per request, within its limits. */
    String expand(String value, String envSlug, String path, String key) {
        if (expander == null) {
            expander = new ReferenceExpander(this, limits);
        }
        return expander.expand(value, envSlug, path, key);
    }

    /**
     * The secrets of one folder keyed by name, personal overrides of the calling user in place of
     * the shared value; empty when the environment or folder does not exist.
     */
    Optional<FolderSecrets> folder(String envSlug, String path) {
        String key = envSlug + ":" + path;
        Optional<FolderSecrets> cached = loaded.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<Environment> env =
                environments().stream().filter(e -> e.slug().equals(envSlug)).findFirst();
        Optional<Folder> folder = env.flatMap(e -> findFolder(e, path));
        if (folder.isEmpty()) {
            loaded.put(key, Optional.empty());
            return Optional.empty();
        }
        return Optional.of(load(env.get(), folder.get()));
    }

    /** The project's environments, read once per request. */
    List<Environment> environments() {
        if (environments == null) {
            environments = cache.environments(project, () -> projects.environments(project.id()));
        }
        return environments;
    }

    /** An environment by slug, or the same 404 as everywhere else. */
    Environment environment(String slug) {
        if (slug == null || slug.isEmpty()) {
            throw dev.keyhaven.server.platform.web.ValidationException.required("environment");
        }
        return environments().stream()
                .filter(e -> e.slug().equals(slug))
                .findFirst()
                .orElseThrow(() -> ApiException.notFound(
                        "Environment with slug '" + slug + "' in project with ID " + project.id() + " not found"));
    }

    Optional<Environment> environmentById(String id) {
        return environments().stream().filter(e -> e.id().equals(id)).findFirst();
    }

    FolderSecrets load(Environment env, Folder folder) {
        return loadAll(List.of(env), List.of(folder)).get(0);
    }

    /**
     * Loads a folder together with the folders it imports directly, with one query for all their
     * secrets and one for their tags. Nested imports and folders reached only by references are
     * loaded when first asked for, as before.
     */
    FolderSecrets loadWithImports(Environment env, Folder folder) {
        List<Environment> envs = new ArrayList<>(List.of(env));
        List<Folder> toLoad = new ArrayList<>(List.of(folder));
        for (SecretImport imp : importsOf(folder)) {
            Optional<Environment> source = environmentById(imp.importEnvId());
            String key = source.map(e -> e.slug() + ":" + imp.importPath()).orElse(null);
            if (key == null || loaded.containsKey(key)) {
                continue;
            }
            Optional<Folder> f = findFolder(source.get(), imp.importPath());
            if (f.isEmpty()) {
                loaded.put(key, Optional.empty());
            } else if (toLoad.stream().noneMatch(x -> x.id().equals(f.get().id()))) {
                envs.add(source.get());
                toLoad.add(f.get());
            }
        }
        return loadAll(envs, toLoad).get(0);
    }

    private List<FolderSecrets> loadAll(List<Environment> envs, List<Folder> toLoad) {
        String owner = actor.isUser() ? actor.id() : null;
        List<String> folderIds = toLoad.stream().map(Folder::id).toList();
        SecretStore.FolderRows found =
                cache.folderRows(project, folderIds, owner, () -> store.inFolders(project.id(), toLoad, owner));
        List<SecretRow> all = found.rows();
        Map<String, List<Tag>> allTags =
                found.anyTagged() ? cache.folderTags(project, folderIds, () -> tags.forFolders(folderIds)) : Map.of();
        List<FolderSecrets> out = new ArrayList<>(toLoad.size());
        for (int i = 0; i < toLoad.size(); i++) {
            Folder folder = toLoad.get(i);
            Environment env = envs.get(i);
            List<SecretRow> rows = new ArrayList<>();
            Map<String, SecretRow> byKey = new LinkedHashMap<>();
            for (SecretRow s : all) {
                if (!s.folderId().equals(folder.id())) {
                    continue;
                }
                rows.add(s);
                if (SecretRow.SHARED.equals(s.type())) {
                    byKey.putIfAbsent(s.key(), s);
                } else {
                    byKey.put(s.key(), s);
                }
            }
            FolderSecrets fs = new FolderSecrets(env, folder, rows, byKey, allTags);
            loaded.put(env.slug() + ":" + folder.path(), Optional.of(fs));
            out.add(fs);
        }
        return out;
    }

    /** The imports of a folder, read once per request. */
    List<SecretImport> importsOf(Folder folder) {
        return imports.computeIfAbsent(
                folder.id(), id -> cache.importsOf(project, id, () -> importService.importsOf(id)));
    }

    /** A folder of this project by path, or empty. */
    Optional<Folder> findFolder(Environment env, String path) {
        return cache.folderByPath(project, env.id(), path, () -> folders.find(env, path));
    }

    /** A folder of this project by path, or the same 404 as everywhere else. */
    Folder requireFolder(Environment env, String path) {
        return findFolder(env, path)
                .orElseThrow(() -> ApiException.notFound(
                        "Folder with path '" + path + "' in environment '" + env.slug() + "' not found"));
    }

    /** A folder of this project by id, or empty. */
    Optional<Folder> folderById(String folderId) {
        return cache.folderById(project, folderId, () -> folders.byId(folderId));
    }

    /** One secret of a folder of this project, as stored. */
    Optional<SecretRow> secret(String folderId, String key, String type, String ownerId) {
        return cache.secret(project, folderId, key, type, ownerId, () -> store.find(folderId, key, type, ownerId));
    }

    /** The tags of one secret of this project. */
    List<Tag> tagsOf(String secretId) {
        return cache.tagsOf(project, secretId, () -> tags.forSecret(secretId));
    }

    String value(SecretRow s) {
        return values.computeIfAbsent(s, sealer::openValue);
    }

    Map<String, Object> resource(String envSlug, String path, String key, List<Tag> secretTags) {
        return Map.of(
                "environment",
                envSlug,
                "secretPath",
                path,
                "secretName",
                key,
                "secretTags",
                secretTags.isEmpty()
                        ? List.of()
                        : secretTags.stream().map(Tag::slug).toList());
    }

    @Override
    public Optional<String> value(String envSlug, String path, String key) {
        Optional<FolderSecrets> fs = folder(envSlug, path);
        if (fs.isEmpty()) {
            return Optional.empty();
        }
        SecretRow s = fs.get().byKey().get(key);
        if (s == null) {
            return Optional.empty();
        }
        List<Tag> t = fs.get().tags().getOrDefault(s.id(), List.of());
        if (!perms.can(ProjectSubject.SECRETS, ProjectAction.READ_VALUE, resource(envSlug, path, key, t))) {
            throw new ApiException(
                    403,
                    "PermissionDenied",
                    "You are not allowed to read the secret '" + key + "' referenced in environment '" + envSlug
                            + "' at path '" + path + "'");
        }
        return Optional.of(value(s));
    }
}
