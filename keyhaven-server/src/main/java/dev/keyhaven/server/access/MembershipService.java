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
import java.util.function.Function;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Project memberships of identities and the roles they hold, and what every membership shares:
 * the creator's admin membership, removal of a deleted actor, and the no-escalation check on the
 * roles granted ({@link #prepare}; people's memberships are in {@link UserMembershipService}).
 * Nobody grants more than they have: every role granted must be covered by the granting actor's
 * own permissions, and an actor cannot change its own membership. Changing an identity's roles or
 * removing it from a project needs everything it holds there
 * ({@link PrincipalBoundary#requireCoversInProject}).
 */
@Service
public class MembershipService {
    private final ProjectMembershipStore store;
    private final ProjectRoleStore customRoles;
    private final PrivilegeStore privileges;
    private final GroupStore groups;
    private final CustomRoleRules customRules;
    private final PermissionService permissions;
    private final PrincipalBoundary boundary;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public MembershipService(
            ProjectMembershipStore store,
            ProjectRoleStore customRoles,
            PrivilegeStore privileges,
            GroupStore groups,
            CustomRoleRules customRules,
            PermissionService permissions,
            PrincipalBoundary boundary,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.groups = groups;
        this.store = store;
        this.customRoles = customRoles;
        this.privileges = privileges;
        this.customRules = customRules;
        this.permissions = permissions;
        this.boundary = boundary;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** Makes the creator of a project its admin; call inside the project's creating transaction. */
    public void addCreator(String projectId, Actor actor) {
        long now = clock.millis();
        String id = Ids.newId();
        store.insertMembership(new ProjectMembershipStore.MembershipRow(
                id, projectId, actor.type().wire(), actor.id(), now, now));
        store.insertRole(new ProjectMembershipStore.RoleRow(
                Ids.newId(), id, "admin", null, false, null, null, null, null, now, now));
    }

    /**
     * Removes a deleted identity or user from every project it belonged to (memberships, group
     * memberships and additional privileges); call inside the transaction that deletes it (the caller has checked
     * its permission to delete).
     */
    public void removeFromAllProjects(String actorType, String actorId) {
        store.deleteAllOf(actorType, actorId);
        privileges.deleteAllOf(actorType, actorId);
        groups.removeFromAll(actorType, actorId);
    }

    /**
     * Removes a person who leaves an organization from everything they held in it: project
     * memberships, additional privileges and group places. Their memberships elsewhere stay. Call
     * inside the transaction that deletes the org membership (the caller has checked its permission).
     */
    public void removeFromOrg(String actorType, String actorId, String orgId) {
        store.deleteAllOfInOrg(actorType, actorId, orgId);
        privileges.deleteAllOfInOrg(actorType, actorId, orgId);
        groups.removeFromAllInOrg(actorType, actorId, orgId);
    }

    public Map<String, Object> addIdentity(
            Actor actor, String projectId, String projectName, String identityId, List<RoleGrant> roles) {
        permissions
                .project(actor, projectId)
                .require(ProjectSubject.IDENTITY, ProjectAction.CREATE, Map.of("identityId", identityId));
        List<ProjectMembershipStore.RoleRow> rows = prepare(actor, projectId, roles);
        if (store.find(projectId, "identity", identityId).isPresent()) {
            throw ApiException.badRequest("The identity is already a member of this project");
        }
        long now = clock.millis();
        String id = Ids.newId();
        tx.executeWithoutResult(s -> {
            store.insertMembership(
                    new ProjectMembershipStore.MembershipRow(id, projectId, "identity", identityId, now, now));
            rows.forEach(r -> store.insertRole(withMembership(r, id)));
            audit.record(AuditEvent.of(
                    actor,
                    projectId,
                    projectName,
                    AuditEventType.ADD_IDENTITY_TO_PROJECT,
                    Map.of(
                            "identityId",
                            identityId,
                            "roles",
                            rows.stream()
                                    .map(ProjectMembershipStore.RoleRow::role)
                                    .toList())));
        });
        return membershipJson(id, projectId, identityId, now, now);
    }

    public List<Map<String, Object>> updateIdentityRoles(
            Actor actor, String projectId, String projectName, String identityId, List<RoleGrant> roles) {
        permissions
                .project(actor, projectId)
                .require(ProjectSubject.IDENTITY, ProjectAction.EDIT, Map.of("identityId", identityId));
        if (actor.id().equals(identityId)) {
            throw ApiException.forbidden("An identity cannot change its own project roles");
        }
        ProjectMembershipStore.MembershipRow m = membership(projectId, identityId);
        boundary.requireCoversInProject(actor, projectId, "identity", identityId);
        List<ProjectMembershipStore.RoleRow> rows = prepare(actor, projectId, roles);
        tx.executeWithoutResult(s -> {
            store.deleteRoles(m.id());
            rows.forEach(r -> store.insertRole(withMembership(r, m.id())));
            store.touch(m.id(), clock.millis());
            audit.record(AuditEvent.of(
                    actor,
                    projectId,
                    projectName,
                    AuditEventType.UPDATE_IDENTITY_PROJECT_ROLE,
                    Map.of(
                            "identityId",
                            identityId,
                            "roles",
                            rows.stream()
                                    .map(ProjectMembershipStore.RoleRow::role)
                                    .toList())));
        });
        return store.roles(m.id()).stream().map(r -> roleJson(r, true)).toList();
    }

    public Map<String, Object> removeIdentity(Actor actor, String projectId, String projectName, String identityId) {
        permissions
                .project(actor, projectId)
                .require(ProjectSubject.IDENTITY, ProjectAction.DELETE, Map.of("identityId", identityId));
        ProjectMembershipStore.MembershipRow m = membership(projectId, identityId);
        boundary.requireCoversInProject(actor, projectId, "identity", identityId);
        tx.executeWithoutResult(s -> {
            store.deleteMembership(m.id());
            privileges.deleteOf(projectId, "identity", identityId);
            audit.record(AuditEvent.of(
                    actor,
                    projectId,
                    projectName,
                    AuditEventType.REMOVE_IDENTITY_FROM_PROJECT,
                    Map.of("identityId", identityId)));
        });
        return membershipJson(m.id(), projectId, identityId, m.createdAt(), m.updatedAt());
    }

    /** One identity's membership with its roles; {@code identityName} fills the nested identity. */
    public Map<String, Object> getIdentity(
            Actor actor, String projectId, String projectName, String identityId, Map<String, Object> identity) {
        permissions
                .project(actor, projectId)
                .require(ProjectSubject.IDENTITY, ProjectAction.READ, Map.of("identityId", identityId));
        ProjectMembershipStore.MembershipRow m = membership(projectId, identityId);
        return detailedJson(m, projectId, projectName, identity);
    }

    public List<Map<String, Object>> listIdentities(
            Actor actor, String projectId, String projectName, Function<String, Map<String, Object>> identityLookup) {
        permissions.project(actor, projectId).require(ProjectSubject.IDENTITY, ProjectAction.READ);
        List<Map<String, Object>> out = new ArrayList<>();
        for (ProjectMembershipStore.MembershipRow m : store.list(projectId, "identity")) {
            out.add(detailedJson(m, projectId, projectName, identityLookup.apply(m.actorId())));
        }
        return out;
    }

    private Map<String, Object> detailedJson(
            ProjectMembershipStore.MembershipRow m,
            String projectId,
            String projectName,
            Map<String, Object> identity) {
        Map<String, Object> out = membershipJson(m.id(), projectId, m.actorId(), m.createdAt(), m.updatedAt());
        out.put(
                "roles",
                store.roles(m.id()).stream().map(r -> roleJson(r, false)).toList());
        out.put("identity", identity);
        out.put("project", Map.of("id", projectId, "name", projectName));
        return out;
    }

    private ProjectMembershipStore.MembershipRow membership(String projectId, String identityId) {
        return store.find(projectId, "identity", identityId)
                .orElseThrow(() -> ApiException.notFound("Identity membership not found"));
    }

    /** Validated role rows for a grant; refuses roles the actor does not hold itself. */
    List<ProjectMembershipStore.RoleRow> prepare(Actor actor, String projectId, List<RoleGrant> roles) {
        if (roles == null || roles.isEmpty()) {
            throw ValidationException.field("roles", "At least one role is required");
        }
        PermissionSet mine = permissions.project(actor, projectId);
        long now = clock.millis();
        List<ProjectMembershipStore.RoleRow> rows = new ArrayList<>();
        for (int i = 0; i < roles.size(); i++) {
            RoleGrant g = roles.get(i);
            String field = "roles." + i;
            if (g == null || g.role() == null || g.role().isBlank()) {
                throw ValidationException.required(field + ".role");
            }
            String customRoleId = null;
            List<Rule> granted = BuiltInRoles.project(g.role()).orElse(null);
            if (granted == null) {
                ProjectRoleStore.RoleRow custom = customRoles
                        .bySlug(projectId, g.role())
                        .orElseThrow(() ->
                                ValidationException.field(field + ".role", "Unknown project role '" + g.role() + "'"));
                customRoleId = custom.id();
                granted = customRules.rules(
                        custom.id(), "custom-role:" + custom.slug(), custom.permissions(), custom.updatedAt());
            }
            if (!mine.coversAllOf(new PermissionSet(granted))) {
                throw ApiException.forbidden("Failed to assign role '" + g.role() + "': it grants more than you hold");
            }
            Long start = null;
            Long end = null;
            if (g.isTemporary()) {
                if (!"relative".equals(g.temporaryMode())) {
                    throw ValidationException.field(
                            field + ".temporaryMode", "Invalid enum value. Expected 'relative'");
                }
                long range = TemporaryRanges.millis(field + ".temporaryRange", g.temporaryRange());
                start = TemporaryRanges.start(field + ".temporaryAccessStartTime", g.temporaryAccessStartTime(), now);
                end = start + range;
            }
            rows.add(new ProjectMembershipStore.RoleRow(
                    Ids.newId(),
                    null,
                    g.role(),
                    customRoleId,
                    g.isTemporary(),
                    g.isTemporary() ? "relative" : null,
                    g.isTemporary() ? g.temporaryRange() : null,
                    start,
                    end,
                    now,
                    now));
        }
        return rows;
    }

    static ProjectMembershipStore.RoleRow withMembership(ProjectMembershipStore.RoleRow r, String membershipId) {
        return new ProjectMembershipStore.RoleRow(
                r.id(),
                membershipId,
                r.role(),
                r.customRoleId(),
                r.temporary(),
                r.mode(),
                r.range(),
                r.startTime(),
                r.endTime(),
                r.createdAt(),
                r.updatedAt());
    }

    private static Map<String, Object> membershipJson(
            String id, String projectId, String identityId, long created, long updated) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("identityId", identityId);
        m.put("projectId", projectId);
        m.put("createdAt", Iso.of(created));
        m.put("updatedAt", Iso.of(updated));
        return m;
    }

    static Map<String, Object> roleJson(ProjectMembershipStore.RoleRow r, boolean raw) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("role", r.customRoleId() == null ? r.role() : "custom");
        m.put("customRoleId", r.customRoleId());
        m.put("customRoleSlug", r.customRoleId() == null ? null : r.role());
        m.put("isTemporary", r.temporary());
        m.put("temporaryMode", r.mode());
        m.put("temporaryRange", r.range());
        m.put("temporaryAccessStartTime", Iso.ofNullable(r.startTime()));
        m.put("temporaryAccessEndTime", Iso.ofNullable(r.endTime()));
        if (raw) {
            m.put("projectMembershipId", r.membershipId());
            m.put("createdAt", Iso.of(r.createdAt()));
            m.put("updatedAt", Iso.of(r.updatedAt()));
        }
        return m;
    }
}
