package dev.keyhaven.server.secret;

import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.project.Environment;
import dev.keyhaven.server.project.EnvironmentCreated;
import dev.keyhaven.server.project.Project;
import dev.keyhaven.server.project.ProjectService;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The folder tree of each environment: create (with missing parents), rename, delete (with
 * everything below), list and look up. Permissions are checked on the parent path, as Infisical
 * does.
 */
@Service
public class FolderService {
    private final FolderStore store;
    private final ProjectService projects;
    private final PermissionService permissions;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public FolderService(
            FolderStore store,
            ProjectService projects,
            PermissionService permissions,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.projects = projects;
        this.permissions = permissions;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    @EventListener
    void createRoot(EnvironmentCreated event) {
        long now = clock.millis();
        store.insert(new Folder(Ids.newId(), event.environmentId(), null, "root", SecretPath.ROOT, null, 1, now, now));
    }

    /** The folder at a path, or 404 naming the environment and path. */
    public Folder require(Environment env, String path) {
        return store.byPath(env.id(), path)
                .orElseThrow(() -> ApiException.notFound(
                        "Folder with path '" + path + "' in environment '" + env.slug() + "' not found"));
    }

    public java.util.Optional<Folder> find(Environment env, String path) {
        return store.byPath(env.id(), path);
    }

    /** The folders of an environment at any of {@code paths} (those that exist), with one query. */
    List<Folder> findAll(Environment env, List<String> paths) {
        return paths.isEmpty() ? List.of() : store.byPaths(env.id(), paths);
    }

    java.util.Optional<Folder> byId(String folderId) {
        return store.byId(folderId);
    }

    List<Folder> subtree(Environment env, String path) {
        return store.subtree(env.id(), path);
    }

    public Folder create(
            Actor actor, String projectId, String envSlug, String rawPath, String name, String description) {
        Project project = projects.resolveSecretManager(actor, projectId, null);
        Environment env = projects.environment(project, envSlug);
        String parentPath = SecretPath.normalize("path", rawPath);
        permissions
                .project(actor, project.id())
                .require(
                        ProjectSubject.SECRET_FOLDERS,
                        ProjectAction.CREATE,
                        Map.of("environment", env.slug(), "secretPath", parentPath));
        SecretPath.checkFolderName("name", name);
        String path = SecretPath.join(parentPath, name);
        java.util.Optional<Folder> existing = store.byPath(env.id(), path);
        if (existing.isPresent()) {
            return existing.get();
        }
        if (description != null && description.length() > 256) {
            throw dev.keyhaven.server.platform.web.ValidationException.field(
                    "description", "String must contain at most 256 character(s)");
        }
        return tx.execute(s -> {
            Folder parent = ensurePath(env, parentPath);
            long now = clock.millis();
            Folder folder = new Folder(Ids.newId(), env.id(), parent.id(), name, path, description, 1, now, now);
            store.insert(folder);
            audit.record(AuditEvent.of(
                    actor,
                    project.id(),
                    project.name(),
                    AuditEventType.CREATE_FOLDER,
                    Map.of(
                            "environment",
                            env.slug(),
                            "folderId",
                            folder.id(),
                            "folderName",
                            name,
                            "folderPath",
                            path)));
            return folder;
        });
    }

    public Folder update(
            Actor actor,
            String projectId,
            String envSlug,
            String folderId,
            String rawPath,
            String name,
            String description) {
        Project project = projects.resolveSecretManager(actor, projectId, null);
        Environment env = projects.environment(project, envSlug);
        Folder folder = byIdIn(env, folderId);
        permissions
                .project(actor, project.id())
                .require(
                        ProjectSubject.SECRET_FOLDERS,
                        ProjectAction.EDIT,
                        Map.of("environment", env.slug(), "secretPath", SecretPath.parent(folder.path())));
        if (SecretPath.ROOT.equals(folder.path())) {
            throw ApiException.badRequest("The root folder cannot be renamed");
        }
        String newName = name == null ? folder.name() : name;
        SecretPath.checkFolderName("name", newName);
        String newPath = SecretPath.join(SecretPath.parent(folder.path()), newName);
        if (!newPath.equals(folder.path()) && store.byPath(env.id(), newPath).isPresent()) {
            throw ApiException.badRequest("A folder named '" + newName + "' already exists there");
        }
        return tx.execute(s -> {
            long now = clock.millis();
            store.rename(folder.id(), newName, description == null ? folder.description() : description, now);
            if (!newPath.equals(folder.path())) {
                for (Folder f : store.subtree(env.id(), folder.path())) {
                    store.setPath(
                            f.id(), newPath + f.path().substring(folder.path().length()));
                }
            }
            audit.record(AuditEvent.of(
                    actor,
                    project.id(),
                    project.name(),
                    AuditEventType.UPDATE_FOLDER,
                    Map.of(
                            "environment",
                            env.slug(),
                            "folderId",
                            folder.id(),
                            "oldFolderName",
                            folder.name(),
                            "newFolderName",
                            newName,
                            "folderPath",
                            newPath)));
            return store.byId(folder.id()).orElseThrow();
        });
    }

    public Folder delete(Actor actor, String projectId, String envSlug, String folderIdOrName, String rawPath) {
        Project project = projects.resolveSecretManager(actor, projectId, null);
        Environment env = projects.environment(project, envSlug);
        String parentPath = SecretPath.normalize("path", rawPath);
        Folder folder = Ids.looksLikeId(folderIdOrName)
                ? byIdIn(env, folderIdOrName)
                : store.byPath(env.id(), SecretPath.join(parentPath, checkedName(folderIdOrName)))
                        .orElseThrow(() -> ApiException.notFound("Folder '" + folderIdOrName + "' not found"));
        permissions
                .project(actor, project.id())
                .require(
                        ProjectSubject.SECRET_FOLDERS,
                        ProjectAction.DELETE,
                        Map.of("environment", env.slug(), "secretPath", SecretPath.parent(folder.path())));
        if (SecretPath.ROOT.equals(folder.path())) {
            throw ApiException.badRequest("The root folder cannot be deleted");
        }
        tx.executeWithoutResult(s -> {
            store.delete(folder.id());
            audit.record(AuditEvent.of(
                    actor,
                    project.id(),
                    project.name(),
                    AuditEventType.DELETE_FOLDER,
                    Map.of("environment", env.slug(), "folderId", folder.id(), "folderPath", folder.path())));
        });
        return folder;
    }

    public List<Map<String, Object>> list(
            Actor actor, String projectId, String envSlug, String rawPath, boolean recursive) {
        Project project = projects.resolveSecretManager(actor, projectId, null);
        Environment env = projects.environment(project, envSlug);
        String path = SecretPath.normalize("path", rawPath);
        permissions
                .project(actor, project.id())
                .require(
                        ProjectSubject.SECRET_FOLDERS,
                        ProjectAction.READ,
                        Map.of("environment", env.slug(), "secretPath", path));
        Folder base = require(env, path);
        if (!recursive) {
            return store.children(base.id()).stream().map(f -> toJson(f, null)).toList();
        }
        return store.subtree(env.id(), path).stream()
                .filter(f -> !f.id().equals(base.id()))
                .map(f -> toJson(f, f.path()))
                .toList();
    }

    public Map<String, Object> get(Actor actor, String folderId) {
        permissions.org(actor).requireMembership();
        Folder folder = Ids.looksLikeId(folderId) ? store.byId(folderId).orElse(null) : null;
        Environment env =
                folder == null ? null : projects.findEnvironment(folder.envId()).orElse(null);
        if (env == null) {
            throw ApiException.notFound("Folder with ID '" + folderId + "' not found");
        }
        Project project;
        try {
            project = projects.resolve(actor, env.projectId(), null);
        } catch (ApiException e) {
            throw ApiException.notFound("Folder with ID '" + folderId + "' not found");
        }
        permissions
                .project(actor, project.id())
                .require(
                        ProjectSubject.SECRET_FOLDERS,
                        ProjectAction.READ,
                        Map.of("environment", env.slug(), "secretPath", SecretPath.parent(folder.path())));
        Map<String, Object> out = toJson(folder, null);
        out.put("environment", Map.of("envId", env.id(), "envName", env.name(), "envSlug", env.slug()));
        out.put("path", folder.path());
        out.put("projectId", project.id());
        return out;
    }

    /** Creates every missing folder along the path (inside the caller's transaction). */
    Folder ensurePath(Environment env, String path) {
        java.util.Optional<Folder> found = store.byPath(env.id(), path);
        if (found.isPresent()) {
            return found.get();
        }
        Folder parent = ensurePath(env, SecretPath.parent(path));
        long now = clock.millis();
        Folder folder = new Folder(Ids.newId(), env.id(), parent.id(), SecretPath.name(path), path, null, 1, now, now);
        store.insert(folder);
        return folder;
    }

    private Folder byIdIn(Environment env, String folderId) {
        return (Ids.looksLikeId(folderId) ? store.byId(folderId) : java.util.Optional.<Folder>empty())
                .filter(f -> f.envId().equals(env.id()))
                .orElseThrow(() -> ApiException.notFound("Folder with ID '" + folderId + "' not found"));
    }

    private static String checkedName(String name) {
        SecretPath.checkFolderName("folderIdOrName", name);
        return name;
    }

    static Map<String, Object> toJson(Folder f, String relativePath) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("name", f.name());
        m.put("envId", f.envId());
        m.put("parentId", f.parentId());
        m.put("version", f.version());
        m.put("description", f.description());
        m.put("createdAt", Iso.of(f.createdAt()));
        m.put("updatedAt", Iso.of(f.updatedAt()));
        if (relativePath != null) {
            m.put("relativePath", relativePath);
        }
        return m;
    }
}
