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
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.project.Environment;
import dev.keyhaven.server.project.Project;
import dev.keyhaven.server.project.ProjectService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Secret imports: a folder pulls in the secrets of another environment and path of the same
 * project, in position order. An import that would make a folder (directly or through nested
 * imports) import itself is refused when it is created.
 */
@Service
public class ImportService {
    static final int MAX_DEPTH = 10;
    private final ImportStore store;
    private final FolderService folders;
    private final ProjectService projects;
    private final PermissionService permissions;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public ImportService(
            ImportStore store,
            FolderService folders,
            ProjectService projects,
            PermissionService permissions,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.folders = folders;
        this.projects = projects;
        this.permissions = permissions;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public Map<String, Object> create(
            Actor actor,
            String projectId,
            String envSlug,
            String rawPath,
            String importEnvSlug,
            String rawImportPath,
            boolean isReplication) {
        Project project = projects.resolveSecretManager(actor, projectId, null);
        Environment env = projects.environment(project, envSlug);
        String path = SecretPath.normalize("path", rawPath);
        PermissionSet perms = permissions.project(actor, project.id());
        perms.require(
                ProjectSubject.SECRET_IMPORTS,
                ProjectAction.CREATE,
                Map.of("environment", env.slug(), "secretPath", path));
        Environment source = projects.environment(project, importEnvSlug);
        String sourcePath = SecretPath.normalize("import.path", rawImportPath);
        perms.requireSome(
                ProjectSubject.SECRETS,
                ProjectAction.DESCRIBE_SECRET,
                Map.of("environment", source.slug(), "secretPath", sourcePath));
        if (isReplication) {
            throw ApiException.badRequest("Replication imports are not supported yet; create a plain import");
        }
        Folder folder = folders.require(env, path);
        if (env.id().equals(source.id()) && path.equals(sourcePath)) {
            throw ApiException.badRequest("A folder cannot import itself");
        }
        if (reaches(source.id(), sourcePath, env.id(), path)) {
            throw ApiException.badRequest("This import would create a cycle: " + source.slug() + ":" + sourcePath
                    + " already imports " + env.slug() + ":" + path + " (directly or through other imports)");
        }
        for (SecretImport existing : store.forFolder(folder.id())) {
            if (existing.importEnvId().equals(source.id())
                    && existing.importPath().equals(sourcePath)) {
                throw ApiException.badRequest("This folder already imports " + source.slug() + ":" + sourcePath);
            }
        }
        long now = clock.millis();
        return tx.execute(s -> {
            int position = store.forFolder(folder.id()).size() + 1;
            SecretImport imp =
                    new SecretImport(Ids.newId(), folder.id(), source.id(), sourcePath, position, false, 1, now, now);
            store.insert(imp);
            audit.record(AuditEvent.of(
                    actor,
                    project.id(),
                    project.name(),
                    AuditEventType.CREATE_SECRET_IMPORT,
                    Map.of(
                            "environment",
                            env.slug(),
                            "secretPath",
                            path,
                            "importFromEnvironment",
                            source.slug(),
                            "importFromSecretPath",
                            sourcePath,
                            "secretImportId",
                            imp.id())));
            return toJson(imp, source);
        });
    }

    public Map<String, Object> update(
            Actor actor,
            String projectId,
            String envSlug,
            String rawPath,
            String importId,
            String newEnvSlug,
            String newRawPath,
            Integer newPosition) {
        Project project = projects.resolveSecretManager(actor, projectId, null);
        Environment env = projects.environment(project, envSlug);
        String path = SecretPath.normalize("path", rawPath);
        PermissionSet perms = permissions.project(actor, project.id());
        perms.require(
                ProjectSubject.SECRET_IMPORTS,
                ProjectAction.EDIT,
                Map.of("environment", env.slug(), "secretPath", path));
        Folder folder = folders.require(env, path);
        SecretImport imp = find(folder, importId);
        Environment source = newEnvSlug == null
                ? projects.findEnvironment(imp.importEnvId()).orElseThrow()
                : projects.environment(project, newEnvSlug);
        String sourcePath = newRawPath == null ? imp.importPath() : SecretPath.normalize("import.path", newRawPath);
        perms.requireSome(
                ProjectSubject.SECRETS,
                ProjectAction.DESCRIBE_SECRET,
                Map.of("environment", source.slug(), "secretPath", sourcePath));
        boolean moved = !source.id().equals(imp.importEnvId()) || !sourcePath.equals(imp.importPath());
        if (moved
                && ((env.id().equals(source.id()) && path.equals(sourcePath))
                        || reaches(source.id(), sourcePath, env.id(), path))) {
            throw ApiException.badRequest("This import would create a cycle");
        }
        return tx.execute(s -> {
            List<SecretImport> all = new ArrayList<>(store.forFolder(folder.id()));
            SecretImport updated = new SecretImport(
                    imp.id(),
                    imp.folderId(),
                    source.id(),
                    sourcePath,
                    imp.position(),
                    imp.isReplication(),
                    imp.version() + 1,
                    imp.createdAt(),
                    clock.millis());
            store.update(updated);
            if (newPosition != null) {
                all.removeIf(i -> i.id().equals(imp.id()));
                int pos = Math.max(1, Math.min(newPosition, all.size() + 1));
                all.add(pos - 1, updated);
                for (int i = 0; i < all.size(); i++) {
                    store.setPosition(all.get(i).id(), i + 1);
                }
            }
            audit.record(AuditEvent.of(
                    actor,
                    project.id(),
                    project.name(),
                    AuditEventType.UPDATE_SECRET_IMPORT,
                    Map.of("environment", env.slug(), "secretPath", path, "secretImportId", imp.id())));
            return toJson(store.byId(imp.id()).orElseThrow(), source);
        });
    }

    public Map<String, Object> delete(Actor actor, String projectId, String envSlug, String rawPath, String importId) {
        Project project = projects.resolveSecretManager(actor, projectId, null);
        Environment env = projects.environment(project, envSlug);
        String path = SecretPath.normalize("path", rawPath);
        permissions
                .project(actor, project.id())
                .require(
                        ProjectSubject.SECRET_IMPORTS,
                        ProjectAction.DELETE,
                        Map.of("environment", env.slug(), "secretPath", path));
        Folder folder = folders.require(env, path);
        SecretImport imp = find(folder, importId);
        Environment source = projects.findEnvironment(imp.importEnvId()).orElseThrow();
        return tx.execute(s -> {
            store.delete(imp.id());
            int p = 1;
            for (SecretImport i : store.forFolder(folder.id())) {
                store.setPosition(i.id(), p++);
            }
            audit.record(AuditEvent.of(
                    actor,
                    project.id(),
                    project.name(),
                    AuditEventType.DELETE_SECRET_IMPORT,
                    Map.of("environment", env.slug(), "secretPath", path, "secretImportId", imp.id())));
            return toJson(imp, source);
        });
    }

    public List<Map<String, Object>> list(Actor actor, String projectId, String envSlug, String rawPath) {
        Project project = projects.resolveSecretManager(actor, projectId, null);
        Environment env = projects.environment(project, envSlug);
        String path = SecretPath.normalize("path", rawPath);
        permissions
                .project(actor, project.id())
                .require(
                        ProjectSubject.SECRET_IMPORTS,
                        ProjectAction.READ,
                        Map.of("environment", env.slug(), "secretPath", path));
        Folder folder = folders.require(env, path);
        List<Map<String, Object>> out = new ArrayList<>();
        for (SecretImport i : store.forFolder(folder.id())) {
            out.add(toJson(i, projects.findEnvironment(i.importEnvId()).orElseThrow()));
        }
        return out;
    }

    List<SecretImport> importsOf(String folderId) {
        return store.forFolder(folderId);
    }

    /** True when the folder at (fromEnv, fromPath) imports (toEnv, toPath), following nested imports. */
    private boolean reaches(String fromEnvId, String fromPath, String toEnvId, String toPath) {
        Set<String> seen = new HashSet<>();
        return reaches(fromEnvId, fromPath, toEnvId, toPath, seen, 0);
    }

    private boolean reaches(String envId, String path, String toEnvId, String toPath, Set<String> seen, int depth) {
        if (depth > MAX_DEPTH || !seen.add(envId + ":" + path)) {
            return false;
        }
        Environment env = projects.findEnvironment(envId).orElse(null);
        Folder folder = env == null ? null : folders.find(env, path).orElse(null);
        if (folder == null) {
            return false;
        }
        for (SecretImport i : store.forFolder(folder.id())) {
            if (i.importEnvId().equals(toEnvId) && i.importPath().equals(toPath)) {
                return true;
            }
            if (reaches(i.importEnvId(), i.importPath(), toEnvId, toPath, seen, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    private SecretImport find(Folder folder, String importId) {
        return store.byId(importId)
                .filter(i -> i.folderId().equals(folder.id()))
                .orElseThrow(() -> ApiException.notFound("Secret import with ID " + importId + " not found"));
    }

    static Map<String, Object> toJson(SecretImport i, Environment source) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("version", i.version());
        m.put("importPath", i.importPath());
        m.put("importEnv", Map.of("id", source.id(), "name", source.name(), "slug", source.slug()));
        m.put("position", i.position());
        m.put("folderId", i.folderId());
        m.put("isReplication", i.isReplication());
        m.put("createdAt", Iso.of(i.createdAt()));
        m.put("updatedAt", Iso.of(i.updatedAt()));
        return m;
    }
}
