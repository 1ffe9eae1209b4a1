package dev.keyhaven.server.project;

import dev.keyhaven.server.access.MembershipService;
import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.access.ProjectAction;
import dev.keyhaven.server.access.ProjectRoleService;
import dev.keyhaven.server.access.ProjectSubject;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.text.Slugs;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Projects: creation (with a data key, the default environments or those of a template, the
 * template's roles, and the creator as admin), lookup that never crosses the org boundary, rename
 * and deletion. A project of another org is reported exactly like a missing one.
 */
@Service
public class ProjectService {
    static final Set<String> TYPES = Set.of("secret-manager", "cert-manager", "kms", "ssh", "secret-scanning", "pam");
    private final ProjectStore store;
    private final PermissionService permissions;
    private final MembershipService memberships;
    private final ProjectTemplateService templates;
    private final ProjectRoleService roles;
    private final Keyring keyring;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;

    public ProjectService(
            ProjectStore store,
            PermissionService permissions,
            MembershipService memberships,
            ProjectTemplateService templates,
            ProjectRoleService roles,
            Keyring keyring,
            AuditLog audit,
            ApplicationEventPublisher events,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.permissions = permissions;
        this.memberships = memberships;
        this.templates = templates;
        this.roles = roles;
        this.keyring = keyring;
        this.audit = audit;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
    }

    /** {@code kmsKeyId} is read only to refuse it: projects are encrypted with the server's own keys. */
    public record NewProject(
            String projectName,
            String projectDescription,
            String slug,
            String type,
            Boolean shouldCreateDefaultEnvs,
            Boolean hasDeleteProtection,
            String template,
            String kmsKeyId) {}

    public Project create(Actor actor, NewProject req) {
        permissions.org(actor).require(OrgSubject.WORKSPACE, OrgAction.CREATE);
        String name = req.projectName();
        if (name == null || name.isBlank()) {
            throw ValidationException.required("projectName");
        }
        if (name.length() > 64) {
            throw ValidationException.field("projectName", "String must contain at most 64 character(s)");
        }
        if (req.projectDescription() != null && req.projectDescription().length() > 256) {
            throw ValidationException.field("projectDescription", "String must contain at most 256 character(s)");
        }
        String type = req.type() == null ? Project.SECRET_MANAGER : checkType(req.type());
        if (req.kmsKeyId() != null && !req.kmsKeyId().isBlank()) {
            throw ApiException.badRequest(
                    "External KMS keys are not supported yet: leave kmsKeyId out, and the project "
                            + "is encrypted with a data key under the server's root key");
        }
        ProjectTemplate template = ProjectTemplateService.isDefault(req.template())
                ? null
                : templates.forNewProject(actor, req.template(), type);
        String slug = req.slug();
        if (slug != null) {
            if (slug.length() < 5 || slug.length() > 64 || !Slugs.isSlug(slug)) {
                throw ValidationException.field("slug", "Slug must be 5 to 64 lower-case letters, digits and hyphens");
            }
            if (store.slugTaken(actor.orgId(), slug)) {
                throw ApiException.badRequest("A project with the slug '" + slug + "' already exists");
            }
        } else {
            slug = uniqueSlug(actor.orgId(), name);
        }
        long now = clock.millis();
        Project project = new Project(
                Ids.newId(),
                actor.orgId(),
                name.trim(),
                slug,
                req.projectDescription(),
                type,
                3,
                false,
                Boolean.TRUE.equals(req.hasDeleteProtection()),
                now,
                now,
                0);
        boolean defaults = req.shouldCreateDefaultEnvs() == null || req.shouldCreateDefaultEnvs();
        try {
            tx.executeWithoutResult(s -> {
                store.insert(project);
                keyring.createProjectKey(actor.orgId(), project.id());
                memberships.addCreator(project.id(), actor);
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put("projectId", project.id());
                metadata.put("name", project.name());
                metadata.put("slug", project.slug());
                if (template != null) {
                    // a template's environments replace the defaults; its roles join the built-in ones
                    for (ProjectTemplate.Env env : template.environments() == null
                            ? List.<ProjectTemplate.Env>of()
                            : template.environments()) {
                        insertEnv(project.id(), env.name(), env.slug(), env.position(), now);
                    }
                    template.roles().forEach(role -> roles.putDefinition(project.id(), role));
                    templates.linkNewProject(project.id(), template, now);
                    metadata.put("templateId", template.id());
                    metadata.put("templateName", template.name());
                    metadata.put("templateVersion", template.version());
                } else if (defaults && Project.SECRET_MANAGER.equals(type)) {
                    for (ProjectTemplate.Env env : ProjectTemplateService.DEFAULT_ENVIRONMENTS) {
                        insertEnv(project.id(), env.name(), env.slug(), env.position(), now);
                    }
                }
                audit.record(
                        AuditEvent.of(actor, project.id(), project.name(), AuditEventType.CREATE_PROJECT, metadata));
            });
        } catch (RuntimeException e) {
            keyring.evict("project", project.id());
            throw e;
        }
        return project;
    }

    /** Finds a project of the actor's org by id or slug; absent and foreign look the same (404). */
    public Project resolve(Actor actor, String projectId, String projectSlug) {
        Optional<Project> found = Optional.empty();
        if (projectId != null && !projectId.isEmpty()) {
            found = Ids.looksLikeId(projectId) ? store.find(projectId) : Optional.empty();
        } else if (projectSlug != null && !projectSlug.isEmpty()) {
            found = store.findBySlug(actor.orgId(), projectSlug);
        } else {
            throw ValidationException.required("workspaceId");
        }
        String label = projectId != null && !projectId.isEmpty() ? "ID " + projectId : "slug " + projectSlug;
        return found.filter(p -> p.orgId().equals(actor.orgId()))
                .orElseThrow(() -> ApiException.notFound("Project with " + label + " not found"));
    }

    /** Like {@link #resolve} but also requires a secret-manager project (400 for other types). */
    public Project resolveSecretManager(Actor actor, String projectId, String projectSlug) {
        Project p = resolve(actor, projectId, projectSlug);
        if (!Project.SECRET_MANAGER.equals(p.type())) {
            throw ApiException.badRequest(
                    "Project " + p.id() + " is a " + p.type() + " project, not a secret-manager project");
        }
        return p;
    }

    public Project get(Actor actor, String projectId, String projectSlug) {
        Project p = resolve(actor, projectId, projectSlug);
        permissions.project(actor, p.id()).requireMembership();
        return p;
    }

    /** The projects the actor is a member of, directly or through a group; {@code type} (optional) narrows them. */
    public List<Project> list(Actor actor, String type) {
        permissions.org(actor).requireMembership();
        String wanted = type == null ? null : checkType(type);
        return store.listForMember(actor.orgId(), actor.type().wire(), actor.id()).stream()
                .filter(p -> wanted == null || wanted.equals(p.type()))
                .toList();
    }

    private static String checkType(String type) {
        if (!TYPES.contains(type)) {
            throw ValidationException.field(
                    "type", "Invalid project type '" + type + "'; expected one of " + new java.util.TreeSet<>(TYPES));
        }
        return type;
    }

    public record ProjectUpdate(
            String name, String description, Boolean autoCapitalization, Boolean hasDeleteProtection, String slug) {}

    public Project update(Actor actor, String projectId, ProjectUpdate u) {
        Project p = resolve(actor, projectId, null);
        permissions.project(actor, p.id()).require(ProjectSubject.SETTINGS, ProjectAction.EDIT);
        if (u.name() != null && (u.name().isBlank() || u.name().length() > 64)) {
            throw ValidationException.field("name", "Name must be 1 to 64 characters");
        }
        if (u.slug() != null && (!Slugs.isSlug(u.slug()) || u.slug().length() > 64)) {
            throw ValidationException.field("slug", "Slug must be lower-case letters, digits and hyphens");
        }
        if (u.slug() != null && !u.slug().equals(p.slug()) && store.slugTaken(p.orgId(), u.slug())) {
            throw ApiException.badRequest("A project with the slug '" + u.slug() + "' already exists");
        }
        Project updated = new Project(
                p.id(),
                p.orgId(),
                u.name() == null ? p.name() : u.name().trim(),
                u.slug() == null ? p.slug() : u.slug(),
                u.description() == null ? p.description() : u.description(),
                p.type(),
                p.version(),
                u.autoCapitalization() == null ? p.autoCapitalization() : u.autoCapitalization(),
                u.hasDeleteProtection() == null ? p.hasDeleteProtection() : u.hasDeleteProtection(),
                p.createdAt(),
                clock.millis(),
                p.contentRevision());
        tx.executeWithoutResult(s -> {
            store.update(updated);
            audit.record(AuditEvent.of(
                    actor, p.id(), updated.name(), AuditEventType.UPDATE_PROJECT, Map.of("projectId", p.id())));
        });
        return updated;
    }

    public Project delete(Actor actor, String projectId) {
        Project p = resolve(actor, projectId, null);
        permissions.project(actor, p.id()).require(ProjectSubject.WORKSPACE, ProjectAction.DELETE);
        if (p.hasDeleteProtection()) {
            throw ApiException.badRequest("Project has delete protection enabled; turn it off first");
        }
        tx.executeWithoutResult(s -> {
            store.delete(p.id());
            audit.record(
                    AuditEvent.of(actor, p.id(), p.name(), AuditEventType.DELETE_PROJECT, Map.of("projectId", p.id())));
        });
        keyring.evict("project", p.id());
        return p;
    }

    public List<Environment> environments(String projectId) {
        return store.envs(projectId);
    }

    /** An environment of the project by slug, or 404 naming both. */
    public Environment environment(Project project, String slug) {
        if (slug == null || slug.isEmpty()) {
            throw ValidationException.required("environment");
        }
        return store.envBySlug(project.id(), slug)
                .orElseThrow(() -> ApiException.notFound(
                        "Environment with slug '" + slug + "' in project with ID " + project.id() + " not found"));
    }

    /** An environment by id, with no access check: callers check the project it belongs to. */
    public Optional<Environment> findEnvironment(String envId) {
        return store.env(envId);
    }

    Environment insertEnv(String projectId, String name, String slug, int position, long now) {
        Environment env = new Environment(Ids.newId(), projectId, name, slug, position, now, now);
        store.insertEnv(env);
        events.publishEvent(new EnvironmentCreated(projectId, env.id()));
        return env;
    }

    private String uniqueSlug(String orgId, String name) {
        String base = Slugs.slugify(name);
        if (base.length() < 5) {
            base = base + "-project";
        }
        String slug = base;
        while (store.slugTaken(orgId, slug)) {
            slug = base + "-" + dev.keyhaven.server.crypto.SecretDigests.randomHex(3);
        }
        return slug;
    }

    public Map<String, Object> toJson(Project p, boolean withEnvironments) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("_id", p.id());
        m.put("name", p.name());
        m.put("description", p.description());
        m.put("type", p.type());
        m.put("slug", p.slug());
        m.put("orgId", p.orgId());
        m.put("version", p.version());
        m.put("autoCapitalization", p.autoCapitalization());
        m.put("hasDeleteProtection", p.hasDeleteProtection());
        m.put("createdAt", Iso.of(p.createdAt()));
        m.put("updatedAt", Iso.of(p.updatedAt()));
        if (withEnvironments) {
            List<Map<String, Object>> envs = new ArrayList<>();
            for (Environment e : store.envs(p.id())) {
                envs.add(Map.of("id", e.id(), "name", e.name(), "slug", e.slug()));
            }
            m.put("environments", envs);
        }
        return m;
    }
}
