package dev.keyhaven.server.secret;

import dev.keyhaven.server.access.PermissionSet;
import dev.keyhaven.server.auth.Actor;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.project.Environment;
import dev.keyhaven.server.project.Project;
import dev.keyhaven.server.project.ProjectService;
import java.util.HashMap;
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
    record FolderSecrets(Environment env, Folder folder, List<SecretRow> rows, Map<String, SecretRow> byKey,
            Map<String, List<Tag>> tags) {}

    final Actor actor;
    final Project project;
    final PermissionSet perms;
    private final ProjectService projects;
    private final FolderService folders;
    private final SecretStore store;
    private final TagStore tags;
    private final SecretSealer sealer;
    private final Map<String, Optional<FolderSecrets>> loaded = new HashMap<>();
    private List<Environment> environments;
    private final Map<String, String> values = new HashMap<>();

    ReadContext(Actor actor, Project project, PermissionSet perms, ProjectService projects, FolderService folders,
            SecretStore store, TagStore tags, SecretSealer sealer) {
        this.actor = actor;
        this.project = project;
        this.perms = perms;
        this.projects = projects;
        this.folders = folders;
        this.store = store;
        this.tags = tags;
        this.sealer = sealer;
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
        Optional<Environment> env = environments().stream().filter(e -> e.slug().equals(envSlug)).findFirst();
        Optional<Folder> folder = env.flatMap(e -> folders.find(e, path));
        if (folder.isEmpty()) {
            loaded.put(key, Optional.empty());
            return Optional.empty();
        }
        return Optional.of(load(env.get(), folder.get()));
    }

    /** The project's environments, read once per request. */
    List<Environment> environments() {
        if (environments == null) {
            environments = projects.environments(project.id());
        }
        return environments;
    }

    /** An environment by slug, or the same 404 as everywhere else. */
    Environment environment(String slug) {
        if (slug == null || slug.isEmpty()) {
            throw dev.keyhaven.server.platform.web.ValidationException.required("environment");
        }
        return environments().stream().filter(e -> e.slug().equals(slug)).findFirst()
                .orElseThrow(() -> ApiException.notFound("Environment with slug '" + slug + "' in project with ID "
                        + project.id() + " not found"));
    }

    Optional<Environment> environmentById(String id) {
        return environments().stream().filter(e -> e.id().equals(id)).findFirst();
    }

    FolderSecrets load(Environment env, Folder folder) {
        Map<String, SecretRow> byKey = new LinkedHashMap<>();
        List<SecretRow> rows = store.inFolders(List.of(folder.id()), actor.isUser() ? actor.id() : null);
        for (SecretRow s : rows) {
            if (SecretRow.SHARED.equals(s.type())) {
                byKey.putIfAbsent(s.key(), s);
            } else {
                byKey.put(s.key(), s);
            }
        }
        FolderSecrets fs = new FolderSecrets(env, folder, rows, byKey, tags.forFolders(List.of(folder.id())));
        loaded.put(env.slug() + ":" + folder.path(), Optional.of(fs));
        return fs;
    }

    String value(SecretRow s) {
        return values.computeIfAbsent(s.id() + ":" + s.version(), k -> sealer.openValue(s));
    }

    Map<String, Object> resource(String envSlug, String path, String key, List<Tag> secretTags) {
        return Map.of("environment", envSlug, "secretPath", path, "secretName", key,
                "secretTags", secretTags.isEmpty() ? List.of() : secretTags.stream().map(Tag::slug).toList());
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
        if (!perms.can("secrets", "readValue", resource(envSlug, path, key, t))) {
            throw new ApiException(403, "PermissionDenied", "You are not allowed to read the secret '" + key
                    + "' referenced in environment '" + envSlug + "' at path '" + path + "'");
        }
        return Optional.of(value(s));
    }
}
