package dev.keyhaven.server.project;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.access.ProjectRoleService;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ApiException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Project templates of an organization (org subject {@code project-templates}): create, read,
 * change and delete them, and look one up by name for a new project. The built-in
 * {@code default} template (dev, staging, prod and the predefined roles) lives in code, is listed
 * beside the stored ones and cannot be changed. Every change that alters a template raises its
 * version by one.
 */
@Service
public class ProjectTemplateService {
    /** The id the built-in default template is listed under; never stored (Infisical's sentinel). */
    static final String DEFAULT_ID = "b11b49a9-09a9-4443-916a-4246f9ff2c69";

    static final List<ProjectTemplate.Env> DEFAULT_ENVIRONMENTS = List.of(
            new ProjectTemplate.Env("Development", "dev", 1),
            new ProjectTemplate.Env("Staging", "staging", 2),
            new ProjectTemplate.Env("Production", "prod", 3));
    private static final TypeReference<List<ProjectTemplate.Env>> ENVS = new TypeReference<>() {};
    private static final TypeReference<List<ProjectRoleService.Definition>> ROLES = new TypeReference<>() {};

    private final ProjectTemplateStore store;
    private final PermissionService permissions;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;

    public ProjectTemplateService(
            ProjectTemplateStore store,
            PermissionService permissions,
            AuditLog audit,
            TransactionTemplate tx,
            ObjectMapper json,
            Clock clock) {
        this.store = store;
        this.permissions = permissions;
        this.audit = audit;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    public ProjectTemplate create(Actor actor, ProjectTemplateInput.Body body) {
        permissions.org(actor).require(OrgSubject.PROJECT_TEMPLATES, OrgAction.CREATE);
        String name = ProjectTemplateInput.name(body.name());
        String type = ProjectTemplateInput.type(body.type());
        String description = ProjectTemplateInput.description(body.description());
        List<ProjectRoleService.Definition> roles = ProjectTemplateInput.roles(body.roles(), json);
        List<ProjectTemplate.Env> envs = environmentsFor(type, body.environments(), null);
        ProjectTemplateInput.noMembers(body);
        if (store.byName(actor.orgId(), name).isPresent()) {
            throw ApiException.badRequest("A project template with the name \"" + name + "\" already exists.");
        }
        long now = clock.millis();
        ProjectTemplate t =
                new ProjectTemplate(Ids.newId(), actor.orgId(), name, description, type, envs, roles, 1, now, now);
        tx.executeWithoutResult(s -> {
            store.insert(row(t));
            audit.record(AuditEvent.of(
                    actor,
                    null,
                    null,
                    AuditEventType.CREATE_PROJECT_TEMPLATE,
                    Map.of("templateId", t.id(), "name", name, "version", 1)));
        });
        return t;
    }

    public ProjectTemplate update(Actor actor, String templateId, ProjectTemplateInput.Body body) {
        permissions.org(actor).require(OrgSubject.PROJECT_TEMPLATES, OrgAction.EDIT);
        ProjectTemplate current = find(actor, templateId);
        String name = body.name() == null ? current.name() : ProjectTemplateInput.name(body.name());
        String description = body.description() == null
                ? current.description()
                : ProjectTemplateInput.description(body.description());
        List<ProjectRoleService.Definition> roles =
                body.roles() == null ? current.roles() : ProjectTemplateInput.roles(body.roles(), json);
        List<ProjectTemplate.Env> envs = body.environments() == null
                ? current.environments()
                : environmentsFor(current.type(), body.environments(), current.environments());
        ProjectTemplateInput.noMembers(body);
        if (!name.equals(current.name()) && store.byName(actor.orgId(), name).isPresent()) {
            throw ApiException.badRequest("A project template with the name \"" + name + "\" already exists.");
        }
        ProjectTemplate proposed = new ProjectTemplate(
                current.id(),
                current.orgId(),
                name,
                description,
                current.type(),
                envs,
                roles,
                current.version(),
                current.createdAt(),
                current.updatedAt());
        if (row(proposed).equals(row(current))) {
            return current;
        }
        ProjectTemplate updated = new ProjectTemplate(
                current.id(),
                current.orgId(),
                name,
                description,
                current.type(),
                envs,
                roles,
                current.version() + 1,
                current.createdAt(),
                Math.max(clock.millis(), current.updatedAt() + 1));
        tx.executeWithoutResult(s -> {
            if (!store.update(row(updated))) {
                throw ApiException.conflict(
                        "The project template changed while this update was made; read it and try again");
            }
            audit.record(AuditEvent.of(
                    actor,
                    null,
                    null,
                    AuditEventType.UPDATE_PROJECT_TEMPLATE,
                    Map.of("templateId", updated.id(), "name", name, "version", updated.version())));
        });
        return updated;
    }

    public ProjectTemplate delete(Actor actor, String templateId) {
        permissions.org(actor).require(OrgSubject.PROJECT_TEMPLATES, OrgAction.DELETE);
        ProjectTemplate current = find(actor, templateId);
        tx.executeWithoutResult(s -> {
            store.delete(current.id());
            audit.record(AuditEvent.of(
                    actor,
                    null,
                    null,
                    AuditEventType.DELETE_PROJECT_TEMPLATE,
                    Map.of("templateId", current.id(), "name", current.name())));
        });
        return current;
    }

    public ProjectTemplate get(Actor actor, String templateId) {
        permissions.org(actor).require(OrgSubject.PROJECT_TEMPLATES, OrgAction.READ);
        if (DEFAULT_ID.equals(templateId)) {
            return builtInDefault(actor.orgId(), Project.SECRET_MANAGER);
        }
        return find(actor, templateId);
    }

    /** The built-in default template of each type (or of {@code type}) first, then the org's own. */
    public List<ProjectTemplate> list(Actor actor, String type) {
        permissions.org(actor).require(OrgSubject.PROJECT_TEMPLATES, OrgAction.READ);
        if (type != null && !type.isEmpty()) {
            ProjectTemplateInput.type(type);
        }
        String filter = type == null || type.isEmpty() ? null : type;
        List<ProjectTemplate> out = new ArrayList<>();
        for (String t : filter == null ? ProjectService.TYPES.stream().sorted().toList() : List.of(filter)) {
            if (!"ssh".equals(t)) {
                out.add(builtInDefault(actor.orgId(), t));
            }
        }
        store.list(actor.orgId(), filter).forEach(r -> out.add(fromRow(r)));
        return out;
    }

    /**
     * The template a new project of {@code type} is made from (not the built-in default, which the
     * caller handles): reading templates needs the org permission, and the type must match.
     */
    ProjectTemplate forNewProject(Actor actor, String name, String type) {
        permissions.org(actor).require(OrgSubject.PROJECT_TEMPLATES, OrgAction.READ);
        ProjectTemplate t = store.byName(actor.orgId(), name)
                .map(this::fromRow)
                .orElseThrow(() -> ApiException.notFound("Project template '" + name + "' not found"));
        if (!t.type().equals(type)) {
            throw ApiException.badRequest(
                    "Project template '" + name + "' is for " + t.type() + " projects, not " + type);
        }
        return t;
    }

    /** A stored template of the actor's org: absent and foreign look the same (404); the built-in default is 400. */
    ProjectTemplate find(Actor actor, String templateId) {
        if (DEFAULT_ID.equals(templateId)) {
            throw ApiException.badRequest("The built-in default template cannot be changed, reported on or applied");
        }
        return (Ids.looksLikeId(templateId)
                        ? store.byId(templateId)
                        : Optional.<ProjectTemplateStore.TemplateRow>empty())
                .filter(r -> r.orgId().equals(actor.orgId()))
                .map(this::fromRow)
                .orElseThrow(() -> ApiException.notFound("Could not find project template with ID " + templateId));
    }

    /** Records that a project was made from {@code t}; call inside the project's creating transaction. */
    void linkNewProject(String projectId, ProjectTemplate t, long now) {
        store.insertLink(projectId, t.id(), t.version(), now);
    }

    /** The projects made from the template, with the version each was made from or last brought up to. */
    List<ProjectTemplateStore.Link> links(String templateId) {
        return store.links(templateId);
    }

    Optional<ProjectTemplateStore.Link> link(String projectId) {
        return store.link(projectId);
    }

    void setLinkVersion(String projectId, int version) {
        store.setLinkVersion(projectId, version, clock.millis());
    }

    private List<ProjectTemplate.Env> environmentsFor(
            String type, List<ProjectTemplateInput.EnvIn> raw, List<ProjectTemplate.Env> current) {
        if (!Project.SECRET_MANAGER.equals(type)) {
            if (raw != null) {
                throw ApiException.badRequest("Cannot configure environments for non-SecretManager project templates");
            }
            return null;
        }
        if (raw == null) {
            return current == null ? DEFAULT_ENVIRONMENTS : current;
        }
        return ProjectTemplateInput.environments(raw, json);
    }

    private ProjectTemplate builtInDefault(String orgId, String type) {
        return new ProjectTemplate(
                DEFAULT_ID,
                orgId,
                ProjectTemplateInput.DEFAULT_NAME,
                "Keyhaven's " + type + " default project template",
                type,
                Project.SECRET_MANAGER.equals(type) ? DEFAULT_ENVIRONMENTS : null,
                List.of(),
                1,
                0,
                0);
    }

    private ProjectTemplateStore.TemplateRow row(ProjectTemplate t) {
        return new ProjectTemplateStore.TemplateRow(
                t.id(),
                t.orgId(),
                t.name(),
                t.description(),
                t.type(),
                t.environments() == null ? null : json.writeValueAsString(t.environments()),
                json.writeValueAsString(t.roles()),
                t.version(),
                t.createdAt(),
                t.updatedAt());
    }

    private ProjectTemplate fromRow(ProjectTemplateStore.TemplateRow r) {
        return new ProjectTemplate(
                r.id(),
                r.orgId(),
                r.name(),
                r.description(),
                r.type(),
                r.environments() == null ? null : json.readValue(r.environments(), ENVS),
                json.readValue(r.roles(), ROLES),
                r.version(),
                r.createdAt(),
                r.updatedAt());
    }

    /** Infisical's shape; roles list the predefined ones first (clients filter them out by slug). */
    public Map<String, Object> toJson(ProjectTemplate t) {
        boolean builtIn = DEFAULT_ID.equals(t.id());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("description", t.description());
        m.put("type", t.type());
        m.put("orgId", t.orgId());
        m.put("version", t.version());
        m.put("createdAt", Iso.of(builtIn ? clock.millis() : t.createdAt()));
        m.put("updatedAt", Iso.of(builtIn ? clock.millis() : t.updatedAt()));
        List<Map<String, Object>> roles = new ArrayList<>(ProjectRoleService.builtInDefinitions());
        for (ProjectRoleService.Definition d : t.roles()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", d.name());
            r.put("slug", d.slug());
            r.put("permissions", d.permissions());
            roles.add(r);
        }
        m.put("roles", roles);
        m.put(
                "environments",
                t.environments() == null
                        ? null
                        : t.environments().stream()
                                .map(e -> {
                                    Map<String, Object> env = new LinkedHashMap<>();
                                    env.put("name", e.name());
                                    env.put("slug", e.slug());
                                    env.put("position", e.position());
                                    return env;
                                })
                                .toList());
        m.put("users", builtIn ? null : List.of());
        m.put("groups", builtIn ? null : List.of());
        m.put("identities", builtIn ? null : List.of());
        m.put("projectManagedIdentities", null);
        return m;
    }

    static boolean isDefault(String name) {
        return name == null || Objects.equals(ProjectTemplateInput.DEFAULT_NAME, name);
    }
}
