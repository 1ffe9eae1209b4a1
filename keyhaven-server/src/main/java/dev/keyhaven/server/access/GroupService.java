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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Org groups: named sets of people and machine identities of one organization that carry an org
 * role and join projects with roles (members are managed by {@link GroupMemberService}). Deleting
 * a group, or changing its org role, changes its members' access on the next request. Renaming,
 * re-roling and deleting a group pass its permission boundary ({@link PrincipalBoundary}): the
 * actor must hold at least the group's org role and its roles in every project it is in, and
 * after a role change what it would hold then.
 */
@Service
public class GroupService {
    private final GroupStore store;
    private final PermissionService permissions;
    private final OrgRoleService orgRoles;
    private final PrincipalBoundary boundary;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public GroupService(
            GroupStore store,
            PermissionService permissions,
            OrgRoleService orgRoles,
            PrincipalBoundary boundary,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.permissions = permissions;
        this.orgRoles = orgRoles;
        this.boundary = boundary;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public Map<String, Object> create(Actor actor, String name, String slug, String role) {
        permissions.org(actor).require(OrgSubject.GROUPS, OrgAction.CREATE);
        String n = name(name);
        String s = slug == null ? uniqueSlug(actor.orgId(), n) : checkSlug(slug);
        if (slug != null && store.slugTaken(actor.orgId(), s)) {
            throw ApiException.badRequest("A group with the slug '" + s + "' already exists");
        }
        String r = role == null ? "no-access" : role;
        orgRoles.checkGrantable(actor, "role", r);
        long now = clock.millis();
        GroupStore.GroupRow g = new GroupStore.GroupRow(Ids.newId(), actor.orgId(), n, s, r, now, now);
        tx.executeWithoutResult(st -> {
            store.insert(g);
            audit.record(AuditEvent.of(
                    actor, null, null, AuditEventType.CREATE_GROUP, Map.of("groupId", g.id(), "name", n)));
        });
        return toJson(g);
    }

    public Map<String, Object> update(Actor actor, String groupId, String name, String slug, String role) {
        permissions.org(actor).require(OrgSubject.GROUPS, OrgAction.EDIT);
        GroupStore.GroupRow g = find(actor, groupId);
        boundary.requireCoversGroup(actor, g);
        String s = slug == null ? g.slug() : checkSlug(slug);
        if (!s.equals(g.slug()) && store.slugTaken(actor.orgId(), s)) {
            throw ApiException.badRequest("A group with the slug '" + s + "' already exists");
        }
        if (role != null) {
            orgRoles.checkGrantable(actor, "role", role);
        }
        GroupStore.GroupRow updated = new GroupStore.GroupRow(
                g.id(),
                g.orgId(),
                name == null ? g.name() : name(name),
                s,
                role == null ? g.role() : role,
                g.createdAt(),
                clock.millis());
        if (role != null) {
            boundary.requireCoversGroupAfter(actor, updated);
        }
        tx.executeWithoutResult(st -> {
            store.update(updated);
            audit.record(AuditEvent.of(actor, null, null, AuditEventType.UPDATE_GROUP, Map.of("groupId", g.id())));
        });
        return toJson(updated);
    }

    public Map<String, Object> delete(Actor actor, String groupId) {
        permissions.org(actor).require(OrgSubject.GROUPS, OrgAction.DELETE);
        GroupStore.GroupRow g = find(actor, groupId);
        boundary.requireCoversGroup(actor, g);
        tx.executeWithoutResult(st -> {
            store.delete(g.id());
            audit.record(AuditEvent.of(
                    actor, null, null, AuditEventType.DELETE_GROUP, Map.of("groupId", g.id(), "name", g.name())));
        });
        return toJson(g);
    }

    public Map<String, Object> get(Actor actor, String groupId) {
        permissions.org(actor).require(OrgSubject.GROUPS, OrgAction.READ);
        return toJson(find(actor, groupId));
    }

    public List<Map<String, Object>> list(Actor actor) {
        permissions.org(actor).require(OrgSubject.GROUPS, OrgAction.READ);
        return store.list(actor.orgId()).stream().map(GroupService::toJson).toList();
    }

    /** The id of a group of the actor's org, given its id or its name/slug (Terraform passes names). */
    public String resolveId(Actor actor, String idOrName) {
        return find(actor, idOrName).id();
    }

    GroupStore.GroupRow find(Actor actor, String idOrName) {
        Optional<GroupStore.GroupRow> g =
                Ids.looksLikeId(idOrName) ? store.byId(idOrName) : store.byName(actor.orgId(), idOrName);
        return g.filter(x -> x.orgId().equals(actor.orgId()))
                .orElseThrow(() -> ApiException.notFound("Group '" + idOrName + "' not found"));
    }

    private String uniqueSlug(String orgId, String name) {
        String base = dev.keyhaven.server.platform.text.Slugs.slugify(name);
        String slug = base;
        int n = 1;
        while (store.slugTaken(orgId, slug)) {
            slug = base + "-" + (++n);
        }
        return slug;
    }

    private static String checkSlug(String slug) {
        if (slug.length() < 1 || slug.length() > 64 || !slug.matches("^[a-z0-9]+(?:-[a-z0-9]+)*$")) {
            throw ValidationException.field(
                    "slug", "Group slugs are 1 to 64 lower-case letters, digits and single hyphens");
        }
        return slug;
    }

    private static String name(String name) {
        if (name == null || name.isBlank() || name.length() > 50) {
            throw ValidationException.field("name", "Group names are 1 to 50 characters");
        }
        return name.strip();
    }

    static Map<String, Object> toJson(GroupStore.GroupRow g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("orgId", g.orgId());
        m.put("name", g.name());
        m.put("slug", g.slug());
        m.put("role", g.role());
        m.put("roleId", null);
        m.put("createdAt", Iso.of(g.createdAt()));
        m.put("updatedAt", Iso.of(g.updatedAt()));
        return m;
    }
}
