package dev.keyhaven.server.project;

import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Environments of a project: add at a position, rename, change slug, move, delete. Positions stay
 * 1..n without gaps; deleting an environment deletes its folders and secrets.
 */
@Service
public class EnvironmentService {
    static final Pattern ENV_SLUG = Pattern.compile("^[a-z0-9][a-z0-9_-]*$");
    private final ProjectStore store;
    private final ProjectService projects;
    private final PermissionService permissions;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public EnvironmentService(
            ProjectStore store,
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

    public Environment create(Actor actor, Project project, String name, String slug, Integer position) {
        permissions.project(actor, project.id()).require(ProjectSubject.ENVIRONMENTS, ProjectAction.CREATE);
        String n = requireName(name);
        String s = requireSlug(slug);
        if (store.envBySlug(project.id(), s).isPresent()) {
            throw ApiException.badRequest("An environment with the slug '" + s + "' already exists");
        }
        return tx.execute(st -> {
            List<Environment> envs = store.envs(project.id());
            int pos = position == null ? envs.size() + 1 : clamp(position, envs.size() + 1);
            Environment env = projects.insertEnv(project.id(), n, s, envs.size() + 1, clock.millis());
            reorder(project.id(), env.id(), pos);
            audit.record(AuditEvent.of(
                    actor,
                    project.id(),
                    project.name(),
                    AuditEventType.CREATE_ENVIRONMENT,
                    Map.of("name", n, "slug", s)));
            return store.env(env.id()).orElseThrow();
        });
    }

    public Environment update(Actor actor, Project project, String envId, String name, String slug, Integer position) {
        permissions.project(actor, project.id()).require(ProjectSubject.ENVIRONMENTS, ProjectAction.EDIT);
        Environment env = find(project, envId);
        String n = name == null ? env.name() : requireName(name);
        String s = slug == null ? env.slug() : requireSlug(slug);
        if (!s.equals(env.slug()) && store.envBySlug(project.id(), s).isPresent()) {
            throw ApiException.badRequest("An environment with the slug '" + s + "' already exists");
        }
        return tx.execute(st -> {
            store.updateEnv(
                    new Environment(env.id(), env.projectId(), n, s, env.position(), env.createdAt(), clock.millis()));
            if (position != null) {
                reorder(
                        project.id(),
                        env.id(),
                        clamp(position, store.envs(project.id()).size()));
            }
            audit.record(AuditEvent.of(
                    actor,
                    project.id(),
                    project.name(),
                    AuditEventType.UPDATE_ENVIRONMENT,
                    Map.of("oldSlug", env.slug(), "newSlug", s, "oldName", env.name(), "newName", n)));
            return store.env(env.id()).orElseThrow();
        });
    }

    public Environment delete(Actor actor, Project project, String envId) {
        permissions.project(actor, project.id()).require(ProjectSubject.ENVIRONMENTS, ProjectAction.DELETE);
        Environment env = find(project, envId);
        tx.executeWithoutResult(st -> {
            store.deleteEnv(env.id());
            int p = 1;
            for (Environment e : store.envs(project.id())) {
                store.setPosition(e.id(), p++);
            }
            audit.record(AuditEvent.of(
                    actor,
                    project.id(),
                    project.name(),
                    AuditEventType.DELETE_ENVIRONMENT,
                    Map.of("name", env.name(), "slug", env.slug())));
        });
        return env;
    }

    public Environment get(Actor actor, Project project, String envId) {
        permissions.project(actor, project.id()).require(ProjectSubject.ENVIRONMENTS, ProjectAction.READ);
        return find(project, envId);
    }

    public Environment getBySlug(Actor actor, Project project, String slug) {
        permissions.project(actor, project.id()).require(ProjectSubject.ENVIRONMENTS, ProjectAction.READ);
        return projects.environment(project, slug);
    }

    private Environment find(Project project, String envId) {
        return store.env(envId)
                .filter(e -> e.projectId().equals(project.id()))
                .orElseThrow(() -> ApiException.notFound("Environment with ID " + envId + " not found"));
    }

    private void reorder(String projectId, String movedId, int position) {
        List<Environment> envs = new ArrayList<>(store.envs(projectId));
        Environment moved =
                envs.stream().filter(e -> e.id().equals(movedId)).findFirst().orElseThrow();
        envs.remove(moved);
        envs.add(position - 1, moved);
        for (int i = 0; i < envs.size(); i++) {
            store.setPosition(envs.get(i).id(), i + 1);
        }
    }

    private static int clamp(int position, int max) {
        if (position < 1) {
            throw ValidationException.field("position", "Number must be greater than or equal to 1");
        }
        return Math.min(position, max);
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw ValidationException.required("name");
        }
        if (name.length() > 64) {
            throw ValidationException.field("name", "String must contain at most 64 character(s)");
        }
        return name.trim();
    }

    private static String requireSlug(String slug) {
        if (slug == null || slug.isBlank()) {
            throw ValidationException.required("slug");
        }
        if (slug.length() > 64 || !ENV_SLUG.matcher(slug).matches()) {
            throw ValidationException.field("slug", "Slug must be at most 64 lower-case letters, digits, '-' or '_'");
        }
        return slug;
    }

    public static Map<String, Object> toJson(Environment e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("name", e.name());
        m.put("slug", e.slug());
        m.put("position", e.position());
        m.put("projectId", e.projectId());
        m.put("createdAt", Iso.of(e.createdAt()));
        m.put("updatedAt", Iso.of(e.updatedAt()));
        return m;
    }
}
