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
 * Custom organization roles (org subjects such as identity, role, audit-logs, project creation),
 * and the one check every org-role assignment goes through: the role must exist and the
 * assigning actor must hold every rule of it.
 */
@Service
public class OrgRoleService {
    private static final TypeReference<List<Map<String, Object>>> RULES = new TypeReference<>() {};
    private static final List<String> BUILT_IN_ORDER = List.of("admin", "member", "no-access");

    private final OrgRoleStore store;
    private final CustomRoleRules compiled;
    private final PermissionService permissions;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;

    public OrgRoleService(
            OrgRoleStore store,
            CustomRoleRules compiled,
            PermissionService permissions,
            AuditLog audit,
            TransactionTemplate tx,
            ObjectMapper json,
            Clock clock) {
        this.store = store;
        this.compiled = compiled;
        this.permissions = permissions;
        this.audit = audit;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    public Map<String, Object> create(Actor actor, ProjectRoleService.RoleBody body) {
        permissions.org(actor).require(OrgSubject.ROLE, OrgAction.CREATE);
        String slug = RoleSlugs.check("slug", body.slug());
        if (body.name() == null || body.name().isBlank()) {
            throw ValidationException.required("name");
        }
        List<Map<String, Object>> rules = RuleParser.normalizeOrg("permissions", body.permissions());
        if (store.bySlug(actor.orgId(), slug).isPresent()) {
            throw ApiException.badRequest("An organization role with the slug '" + slug + "' already exists");
        }
        long now = clock.millis();
        OrgRoleStore.RoleRow row = new OrgRoleStore.RoleRow(
                Ids.newId(),
                actor.orgId(),
                slug,
                body.name().strip(),
                body.description(),
                json.writeValueAsString(rules),
                now,
                now);
        tx.executeWithoutResult(s -> {
            store.insert(row);
            audit.record(AuditEvent.of(
                    actor, null, null, AuditEventType.CREATE_ORG_ROLE, Map.of("roleId", row.id(), "slug", slug)));
        });
        return toJson(row, true);
    }

    public Map<String, Object> update(Actor actor, String roleId, ProjectRoleService.RoleBody body) {
        permissions.org(actor).require(OrgSubject.ROLE, OrgAction.EDIT);
        OrgRoleStore.RoleRow current = find(actor, roleId);
        String slug = body.slug() == null ? current.slug() : RoleSlugs.check("slug", body.slug());
        if (!slug.equals(current.slug())
                && (store.bySlug(actor.orgId(), slug).isPresent() || store.usage(actor.orgId(), current.slug()) > 0)) {
            throw ApiException.badRequest(
                    "The slug '" + slug + "' is taken, or the role is assigned and cannot be renamed");
        }
        String rules = body.permissions() == null
                ? current.permissions()
                : json.writeValueAsString(RuleParser.normalizeOrg("permissions", body.permissions()));
        OrgRoleStore.RoleRow updated = new OrgRoleStore.RoleRow(
                current.id(),
                current.orgId(),
                slug,
                body.name() == null ? current.name() : body.name().strip(),
                body.description() == null ? current.description() : body.description(),
                rules,
                current.createdAt(),
                Math.max(clock.millis(), current.updatedAt() + 1));
        tx.executeWithoutResult(s -> {
            store.update(updated);
            audit.record(AuditEvent.of(
                    actor, null, null, AuditEventType.UPDATE_ORG_ROLE, Map.of("roleId", roleId, "slug", slug)));
        });
        return toJson(updated, true);
    }

    public Map<String, Object> delete(Actor actor, String roleId) {
        permissions.org(actor).require(OrgSubject.ROLE, OrgAction.DELETE);
        OrgRoleStore.RoleRow current = find(actor, roleId);
        long usage = store.usage(actor.orgId(), current.slug());
        if (usage > 0) {
            throw ApiException.badRequest(
                    "The role is assigned to " + usage + " member(s) or group(s); give them another role first");
        }
        tx.executeWithoutResult(s -> {
            store.delete(current.id());
            audit.record(AuditEvent.of(
                    actor,
                    null,
                    null,
                    AuditEventType.DELETE_ORG_ROLE,
                    Map.of("roleId", roleId, "slug", current.slug())));
        });
        return toJson(current, true);
    }

    public List<Map<String, Object>> list(Actor actor) {
        permissions.org(actor).require(OrgSubject.ROLE, OrgAction.READ);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String slug : BUILT_IN_ORDER) {
            out.add(builtIn(actor.orgId(), slug));
        }
        store.list(actor.orgId()).forEach(r -> out.add(toJson(r, false)));
        return out;
    }

    public Map<String, Object> get(Actor actor, String roleId) {
        permissions.org(actor).require(OrgSubject.ROLE, OrgAction.READ);
        return toJson(find(actor, roleId), true);
    }

    public Map<String, Object> getBySlug(Actor actor, String slug) {
        permissions.org(actor).require(OrgSubject.ROLE, OrgAction.READ);
        if (BuiltInRoles.ORG.containsKey(slug)) {
            return builtIn(actor.orgId(), slug);
        }
        return toJson(
                store.bySlug(actor.orgId(), slug)
                        .orElseThrow(() -> ApiException.notFound("Role '" + slug + "' not found")),
                true);
    }

    /**
     * Refuses an org role that does not exist (422) or that grants more than the actor holds (403).
     * Every place that assigns an org role calls this.
     */
    public void checkGrantable(Actor actor, String field, String role) {
        List<Rule> rules = rulesOf(actor.orgId(), role)
                .orElseThrow(() -> ValidationException.field(field, "Unknown organization role '" + role + "'"));
        if (!permissions.org(actor).coversAllOf(new PermissionSet(rules))) {
            throw ApiException.forbidden("Failed to assign a role with more privileges than your own");
        }
    }

    /** The rules of a built-in or custom org role. */
    Optional<List<Rule>> rulesOf(String orgId, String slug) {
        Optional<List<Rule>> builtIn = BuiltInRoles.org(slug);
        if (builtIn.isPresent()) {
            return builtIn;
        }
        return store.bySlug(orgId, slug)
                .map(r -> compiled.rules(r.id(), "org-role:" + r.slug(), r.permissions(), r.updatedAt()));
    }

    private OrgRoleStore.RoleRow find(Actor actor, String roleId) {
        return (Ids.looksLikeId(roleId) ? store.byId(roleId) : Optional.<OrgRoleStore.RoleRow>empty())
                .filter(r -> r.orgId().equals(actor.orgId()))
                .orElseThrow(() -> ApiException.notFound("Role with ID " + roleId + " not found"));
    }

    private Map<String, Object> toJson(OrgRoleStore.RoleRow r, boolean withPermissions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("name", r.name());
        m.put("description", r.description());
        m.put("slug", r.slug());
        if (withPermissions) {
            m.put("permissions", json.readValue(r.permissions(), RULES));
        }
        m.put("orgId", r.orgId());
        m.put("createdAt", Iso.of(r.createdAt()));
        m.put("updatedAt", Iso.of(r.updatedAt()));
        return m;
    }

    private static Map<String, Object> builtIn(String orgId, String slug) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "built-in:" + slug);
        m.put("name", Character.toUpperCase(slug.charAt(0)) + slug.substring(1).replace('-', ' '));
        m.put("description", "Built-in role");
        m.put("slug", slug);
        m.put("orgId", orgId);
        return m;
    }
}
