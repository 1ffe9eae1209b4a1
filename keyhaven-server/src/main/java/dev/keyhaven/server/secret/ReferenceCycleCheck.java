package dev.keyhaven.server.secret;

import dev.keyhaven.server.access.PermissionSet;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.project.Environment;
import dev.keyhaven.server.project.ProjectService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Refuses a write after which a secret would reach itself through references. The references
 * are walked level by level ({@link ReferenceExpander#cycleThrough}), each level loaded with a
 * few queries (the folders of each environment, then their secrets) and the values of the write
 * itself taking the place of what is stored; at most {@link ReferenceLimits#maxPerRequest()}
 * distinct references per write request. The check sees every secret, readable or not, but its
 * answer names only the secrets the writer may read.
 */
@Component
class ReferenceCycleCheck {
    /** A secret as a write leaves it: where, under which name (and the name it had), with which value and tags. */
    record Written(Environment env, String path, String oldKey, String key, String type, String value, List<Tag> tags) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    private final ProjectService projects;
    private final FolderService folders;
    private final SecretStore store;
    private final TagStore tags;
    private final SecretSealer sealer;
    private final ReferenceLimits limits;

    ReferenceCycleCheck(
            ProjectService projects,
            FolderService folders,
            SecretStore store,
            TagStore tags,
            SecretSealer sealer,
            ReferenceLimits limits) {
        this.projects = projects;
        this.folders = folders;
        this.store = store;
        this.tags = tags;
        this.sealer = sealer;
        this.limits = limits;
    }

    /** What a check read, to confirm inside the write's transaction that it still holds. */
    static final class Checked {
        private final Graph graph;

        private Checked(Graph graph) {
            this.graph = graph;
        }
    }

    /** Refuses the write if it would close a cycle; returns what the check read. */
    Checked refuse(String projectId, PermissionSet perms, List<Written> writes) {
        Graph graph = null;
        for (Written w : writes) {
            if (!ReferenceExpander.hasReferences(w.value())) {
                continue;
            }
            if (graph == null) {
                graph = new Graph(projectId, writes);
            }
            Graph g = graph;
            ReferenceExpander.cycleThrough(w.value(), w.env().slug(), w.path(), w.key(), g, limits.maxPerRequest())
                    .ifPresent(cycle -> {
                        throw ApiException.badRequest("Secret '" + w.key()
                                + "' would reference itself through a cycle: " + describe(cycle, g, perms));
                    });
        }
        return new Checked(graph);
    }

    /**
     * Inside the write's transaction, after its own changes (so the project is locked against
     * other content changes, in the order every content write takes its locks): re-reads what
     * the check read before the transaction, a few queries, and only if something else changed
     * it in between runs the check again.
     */
    void confirm(Checked checked, String projectId, PermissionSet perms, List<Written> writes) {
        if (checked.graph != null && checked.graph.changed()) {
            refuse(projectId, perms, writes);
        }
    }

    /** The cycle as {@code env:path:KEY -> ...}, each secret the writer may not read shown only as such. */
    private String describe(List<String> cycle, Graph g, PermissionSet perms) {
        List<String> out = new ArrayList<>(cycle.size());
        for (int i = 0; i < cycle.size(); i++) {
            String id = cycle.get(i);
            boolean own = i == 0 || i == cycle.size() - 1;
            out.add(own || g.readable(id, perms) ? id : "(a secret you may not read)");
        }
        return String.join(" -> ", out);
    }

    /** The secrets of the project as the write would leave them, loaded as the walk reaches them. */
    private final class Graph implements ReferenceExpander.BatchLookup {
        private final String projectId;
        private final Map<String, Written> pending = new HashMap<>();
        private final Set<String> freed = new HashSet<>();
        private final List<Environment> environments;
        private final Map<String, Optional<Folder>> folderByPath = new HashMap<>();
        private final Map<String, Folder> folderById = new HashMap<>();
        private final Set<String> loadedFolders = new HashSet<>();
        private final Map<String, SecretRow> rows = new HashMap<>();
        private final Map<String, String> values = new HashMap<>();
        private final Set<String> asked = new HashSet<>();

        Graph(String projectId, List<Written> writes) {
            this.projectId = projectId;
            this.environments = projects.environments(projectId);
            for (Written w : writes) {
                if (!SecretRow.SHARED.equals(w.type())) {
                    continue;
                }
                pending.put(new ReferenceExpander.Ref(w.env().slug(), w.path(), w.key()).id(), w);
                if (w.oldKey() != null && !w.oldKey().equals(w.key())) {
                    freed.add(new ReferenceExpander.Ref(w.env().slug(), w.path(), w.oldKey()).id());
                }
            }
        }

        @Override
        public Map<String, String> values(Collection<ReferenceExpander.Ref> refs) {
            Map<String, String> out = new HashMap<>();
            List<ReferenceExpander.Ref> stored = new ArrayList<>();
            for (ReferenceExpander.Ref r : refs) {
                if (asked.add(r.id()) && asked.size() > limits.maxPerRequest()) {
                    throw ReferenceLimits.tooManyResolved(limits.maxPerRequest());
                }
                Written w = pending.get(r.id());
                if (w != null) {
                    out.put(r.id(), w.value());
                } else if (!freed.contains(r.id())) {
                    stored.add(r);
                }
            }
            load(stored);
            for (ReferenceExpander.Ref r : stored) {
                SecretRow row = rows.get(r.id());
                if (row != null) {
                    out.put(r.id(), values.computeIfAbsent(r.id(), k -> sealer.openValue(row)));
                }
            }
            return out;
        }

        /** Looks up the folders not seen yet (a query per environment), then their secrets (one query). */
        private void load(List<ReferenceExpander.Ref> refs) {
            Map<Environment, List<String>> paths = new LinkedHashMap<>();
            for (ReferenceExpander.Ref r : refs) {
                String at = r.environment() + ":" + r.path();
                if (folderByPath.putIfAbsent(at, Optional.empty()) != null) {
                    continue;
                }
                environments.stream()
                        .filter(e -> e.slug().equals(r.environment()))
                        .findFirst()
                        .ifPresent(e ->
                                paths.computeIfAbsent(e, x -> new ArrayList<>()).add(r.path()));
            }
            paths.forEach((env, p) -> {
                for (Folder f : folders.findAll(env, p)) {
                    folderByPath.put(env.slug() + ":" + f.path(), Optional.of(f));
                    folderById.put(f.id(), f);
                }
            });
            List<Folder> toLoad = new ArrayList<>();
            for (ReferenceExpander.Ref r : refs) {
                folderByPath
                        .get(r.environment() + ":" + r.path())
                        .filter(f -> loadedFolders.add(f.id()))
                        .ifPresent(toLoad::add);
            }
            if (toLoad.isEmpty()) {
                return;
            }
            for (SecretRow row : store.inFolders(projectId, toLoad, null).rows()) {
                Folder f = folderById.get(row.folderId());
                environments.stream()
                        .filter(e -> e.id().equals(f.envId()))
                        .findFirst()
                        .ifPresent(e -> rows.put(new ReferenceExpander.Ref(e.slug(), f.path(), row.key()).id(), row));
            }
        }

        /**
         * Whether the environments, folders and shared secrets (id and version) this graph read
         * are not what they were, leaving out the secrets of the write itself.
         */
        boolean changed() {
            List<Environment> now = projects.environments(projectId);
            if (!now.stream()
                    .map(e -> e.slug() + ":" + e.id())
                    .toList()
                    .equals(environments.stream()
                            .map(e -> e.slug() + ":" + e.id())
                            .toList())) {
                return true;
            }
            Map<Environment, List<String>> paths = new LinkedHashMap<>();
            Map<String, String> folderIds = new HashMap<>();
            folderByPath.forEach((at, folder) -> {
                int colon = at.indexOf(':');
                environments.stream()
                        .filter(e -> e.slug().equals(at.substring(0, colon)))
                        .findFirst()
                        .ifPresent(e ->
                                paths.computeIfAbsent(e, x -> new ArrayList<>()).add(at.substring(colon + 1)));
            });
            List<Folder> found = new ArrayList<>();
            paths.forEach((env, p) -> folders.findAll(env, p).forEach(f -> {
                folderIds.put(env.slug() + ":" + f.path(), f.id());
                found.add(f);
            }));
            for (Map.Entry<String, Optional<Folder>> e : folderByPath.entrySet()) {
                if (!java.util.Objects.equals(
                        folderIds.get(e.getKey()), e.getValue().map(Folder::id).orElse(null))) {
                    return true;
                }
            }
            List<Folder> loaded =
                    found.stream().filter(f -> loadedFolders.contains(f.id())).toList();
            Map<String, String> versions = new HashMap<>();
            if (!loaded.isEmpty()) {
                for (SecretRow row : store.inFolders(projectId, loaded, null).rows()) {
                    Folder f = folderById.get(row.folderId());
                    environments.stream()
                            .filter(e -> e.id().equals(f.envId()))
                            .findFirst()
                            .ifPresent(e -> versions.put(
                                    new ReferenceExpander.Ref(e.slug(), f.path(), row.key()).id(),
                                    row.id() + "@" + row.version()));
                }
            }
            Map<String, String> before = new HashMap<>();
            rows.forEach((id, row) -> before.put(id, row.id() + "@" + row.version()));
            for (String id : pending.keySet()) {
                versions.remove(id);
                before.remove(id);
            }
            for (String id : freed) {
                versions.remove(id);
                before.remove(id);
            }
            return !versions.equals(before);
        }

        /** Whether the writer may read the value of a secret the walk went through. */
        boolean readable(String id, PermissionSet perms) {
            Written w = pending.get(id);
            SecretRow row = rows.get(id);
            if (w == null && row == null) {
                return false;
            }
            List<String> slugs = (w != null ? w.tags() : tags.forSecret(row.id()))
                    .stream().map(Tag::slug).toList();
            int first = id.indexOf(':');
            int last = id.lastIndexOf(':');
            return perms.can(
                    ProjectSubject.SECRETS,
                    ProjectAction.READ_VALUE,
                    Map.of(
                            "environment",
                            id.substring(0, first),
                            "secretPath",
                            id.substring(first + 1, last),
                            "secretName",
                            id.substring(last + 1),
                            "secretTags",
                            slugs));
        }
    }
}
