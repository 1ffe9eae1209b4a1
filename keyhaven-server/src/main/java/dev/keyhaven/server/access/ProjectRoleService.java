package dev.keyhaven.server.access;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Custom project roles: named rule sets a project defines for itself, next to the built-in ones.
 * Rules are validated on save and read from the database on every request (compiled once per
 * version of a role), so an edit takes effect on the very next request on every node.
 */
@Service
public class ProjectRoleService {
    private static final TypeReference<List<Map<String, Object>>> RULES = new TypeReference<>() {};
    private static final List<String> BUILT_IN_ORDER = List.of("admin", "member", "viewer", "no-access");

    private final ProjectRoleStore store;
    private final PermissionService permissions;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;

    public ProjectRoleService(
            ProjectRoleStore store,
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

    /** The body of create and update; every field optional on update. */
    public record RoleBody(String slug, String name, String description, List<Map<String, Object>> permissions) {}

    public Map<String, Object> create(Actor actor, String projectId, String projectName, RoleBody body) {
        permissions.project(actor, projectId).require(ProjectSubject.ROLE, ProjectAction.CREATE);
        String slug = RoleSlugs.check("slug", body.slug());
        String name = name(body.name());
        List<Map<String, Object>> rules = RuleParser.normalize("permissions", body.permissions());
        if (store.bySlug(projectId, slug).isPresent()) {
            throw ApiException.badRequest("A role with the slug '" + slug + "' already exists in this project");
        }
        long now = clock.millis();
        ProjectRoleStore.RoleRow row = new ProjectRoleStore.RoleRow(
                Ids.newId(),
                projectId,
                slug,
                name,
                description(body.description()),
                json.writeValueAsString(rules),
                now,
                now);
        tx.executeWithoutResult(s -> {
            store.insert(row);
            audit.record(AuditEvent.of(
                    actor,
                    projectId,
                    projectName,
                    AuditEventType.CREATE_ROLE,
                    Map.of("roleId", row.id(), "slug", slug)));
        });
        return toJson(row, true);
    }

    public Map<String, Object> update(Actor actor, String projectId, String projectName, String roleId, RoleBody body) {
        permissions.project(actor, projectId).require(ProjectSubject.ROLE, ProjectAction.EDIT);
        ProjectRoleStore.RoleRow current = find(projectId, roleId);
        String slug = body.slug() == null ? current.slug() : RoleSlugs.check("slug", body.slug());
        if (!slug.equals(current.slug()) && store.bySlug(projectId, slug).isPresent()) {
            throw ApiException.badRequest("A role with the slug '" + slug + "' already exists in this project");
        }
        String rules = body.permissions() == null
                ? current.permissions()
                : json.writeValueAsString(RuleParser.normalize("permissions", body.permissions()));
        ProjectRoleStore.RoleRow updated = new ProjectRoleStore.RoleRow(
                current.id(),
                projectId,
                slug,
                body.name() == null ? current.name() : name(body.name()),
                body.description() == null ? current.description() : description(body.description()),
                rules,
                current.createdAt(),
                Math.max(clock.millis(), current.updatedAt() + 1));
        tx.executeWithoutResult(s -> {
            store.update(updated);
            audit.record(AuditEvent.of(
                    actor, projectId, projectName, AuditEventType.UPDATE_ROLE, Map.of("roleId", roleId, "slug", slug)));
        });
        return toJson(updated, true);
    }

    public Map<String, Object> delete(Actor actor, String projectId, String projectName, String roleId) {
        permissions.project(actor, projectId).require(ProjectSubject.ROLE, ProjectAction.DELETE);
        ProjectRoleStore.RoleRow current = find(projectId, roleId);
        tx.executeWithoutResult(s -> {
            store.delete(current.id());
            audit.record(AuditEvent.of(
                    actor,
                    projectId,
                    projectName,
                    AuditEventType.DELETE_ROLE,
                    Map.of("roleId", roleId, "slug", current.slug())));
        });
        return toJson(current, true);
    }

    /** Built-in roles first (with synthetic ids), then the project's own, without their rules. */
    public List<Map<String, Object>> list(Actor actor, String projectId) {
        permissions.project(actor, projectId).require(ProjectSubject.ROLE, ProjectAction.READ);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String slug : BUILT_IN_ORDER) {
            out.add(builtIn(projectId, slug, false));
        }
        for (ProjectRoleStore.RoleRow r : store.list(projectId)) {
            out.add(toJson(r, false));
        }
        return out;
    }

    public Map<String, Object> getBySlug(Actor actor, String projectId, String slug) {
        permissions.project(actor, projectId).require(ProjectSubject.ROLE, ProjectAction.READ);
        if (BuiltInRoles.PROJECT.containsKey(slug)) {
            return builtIn(projectId, slug, true);
        }
        return toJson(
                store.bySlug(projectId, slug).orElseThrow(() -> ApiException.notFound("Role '" + slug + "' not found")),
                true);
    }

    /** A custom role by id, for {@code GET /api/v1/projects/roles/:roleId}; the caller resolves its project. */
    public Optional<String> projectOf(String roleId) {
        return Ids.looksLikeId(roleId) ? store.byId(roleId).map(ProjectRoleStore.RoleRow::projectId) : Optional.empty();
    }

    public Map<String, Object> getById(Actor actor, String projectId, String roleId) {
        permissions.project(actor, projectId).require(ProjectSubject.ROLE, ProjectAction.READ);
        return toJson(find(projectId, roleId), true);
    }

    /** A custom role as a project template sees it: slug, name and rules in their normal form. */
    public record Definition(String slug, String name, List<Map<String, Object>> permissions) {}

    /** Checks a custom role slug as on save: built-in slugs are refused in every spelling (422). */
    public static String checkSlug(String field, String slug) {
        return RoleSlugs.check(field, slug);
    }

    /** True when a role name reads as a built-in one ({@code "No Access"}, {@code "ADMIN"}, ...). */
    public static boolean isReservedName(String name) {
        return RoleSlugs.reservedName(name);
    }

    /** The predefined project roles as {@code {name, slug, permissions}}, in their usual order. */
    public static List<Map<String, Object>> builtInDefinitions() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String slug : BUILT_IN_ORDER) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(
                    "name",
                    "no-access".equals(slug) ? "No Access" : Character.toUpperCase(slug.charAt(0)) + slug.substring(1));
            m.put("slug", slug);
            m.put(
                    "permissions",
                    BuiltInRoles.PROJECT.get(slug).stream()
                            .map(ProjectRoleService::ruleJson)
                            .toList());
            out.add(m);
        }
        return out;
    }

    /** The project's custom roles, with no access check: the caller has checked the project. */
    public List<Definition> definitions(String projectId) {
        return store.list(projectId).stream()
                .map(r -> new Definition(r.slug(), r.name(), json.readValue(r.permissions(), RULES)))
                .toList();
    }

    /**
     * Creates the custom role {@code d.slug()} or replaces its name and rules. No access check and
     * no audit: the caller (creating a project from a template, applying a template) checks the
     * project first and audits the whole change, inside its own transaction.
     */
    public void putDefinition(String projectId, Definition d) {
        String rules = json.writeValueAsString(d.permissions());
        long now = clock.millis();
        Optional<ProjectRoleStore.RoleRow> current = store.bySlug(projectId, d.slug());
        if (current.isEmpty()) {
            store.insert(
                    new ProjectRoleStore.RoleRow(Ids.newId(), projectId, d.slug(), d.name(), null, rules, now, now));
            return;
        }
        ProjectRoleStore.RoleRow r = current.get();
        store.update(new ProjectRoleStore.RoleRow(
                r.id(),
                projectId,
                r.slug(),
                d.name(),
                r.description(),
                rules,
                r.createdAt(),
                Math.max(now, r.updatedAt() + 1)));
    }

    /** Deletes the custom role {@code slug} and every grant of it; same contract as {@link #putDefinition}. */
    public void removeDefinition(String projectId, String slug) {
        store.bySlug(projectId, slug).ifPresent(r -> store.delete(r.id()));
    }

    private ProjectRoleStore.RoleRow find(String projectId, String roleId) {
        return (Ids.looksLikeId(roleId) ? store.byId(roleId) : Optional.<ProjectRoleStore.RoleRow>empty())
                .filter(r -> r.projectId().equals(projectId))
                .orElseThrow(() -> ApiException.notFound("Role with ID " + roleId + " not found"));
    }

    private Map<String, Object> toJson(ProjectRoleStore.RoleRow r, boolean withPermissions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("name", r.name());
        m.put("description", r.description());
        m.put("slug", r.slug());
        if (withPermissions) {
            m.put("permissions", json.readValue(r.permissions(), RULES));
        }
        m.put("projectId", r.projectId());
        m.put("createdAt", Iso.of(r.createdAt()));
        m.put("updatedAt", Iso.of(r.updatedAt()));
        return m;
    }

    private static Map<String, Object> builtIn(String projectId, String slug, boolean withPermissions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "built-in:" + slug);
        m.put("name", Character.toUpperCase(slug.charAt(0)) + slug.substring(1).replace('-', ' '));
        m.put("description", "Built-in role");
        m.put("slug", slug);
        if (withPermissions) {
            m.put(
                    "permissions",
                    BuiltInRoles.PROJECT.get(slug).stream()
                            .map(ProjectRoleService::ruleJson)
                            .toList());
        }
        m.put("projectId", projectId);
        return m;
    }

    private static Map<String, Object> ruleJson(Rule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", r.subject());
        m.put("action", new java.util.TreeSet<>(r.actions()).stream().toList());
        return m;
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw ValidationException.required("name");
        }
        if (name.length() > 128) {
            throw ValidationException.field("name", "String must contain at most 128 character(s)");
        }
        return name.strip();
    }

    private static String description(String description) {
        if (description != null && description.length() > 1000) {
            throw ValidationException.field("description", "String must contain at most 1000 character(s)");
        }
        return description;
    }
}
