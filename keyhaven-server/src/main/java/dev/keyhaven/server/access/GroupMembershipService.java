package dev.keyhaven.server.access;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.web.ApiException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Groups in projects: a group joins a project with roles (permanent or temporary), granted under
 * the same no-escalation rule as any role; every member of the group holds them for as long as it
 * stays in the group. Changing a group's roles in a project or removing it from the project needs
 * everything it holds there ({@link PrincipalBoundary#requireCoversInProject}).
 */
@Service
public class GroupMembershipService {
    private static final String GROUP = "group";
    private final ProjectMembershipStore store;
    private final GroupStore groups;
    private final MembershipService memberships;
    private final PermissionService permissions;
    private final PrincipalBoundary boundary;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public GroupMembershipService(
            ProjectMembershipStore store,
            GroupStore groups,
            MembershipService memberships,
            PermissionService permissions,
            PrincipalBoundary boundary,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.groups = groups;
        this.memberships = memberships;
        this.permissions = permissions;
        this.boundary = boundary;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    public Map<String, Object> add(
            Actor actor, String projectId, String projectName, String groupId, List<RoleGrant> roles) {
        permissions.project(actor, projectId).require(ProjectSubject.GROUPS, ProjectAction.CREATE);
        List<ProjectMembershipStore.RoleRow> rows = memberships.prepare(actor, projectId, roles);
        if (store.find(projectId, GROUP, groupId).isPresent()) {
            throw ApiException.badRequest("The group is already in this project");
        }
        long now = clock.millis();
        String id = Ids.newId();
        tx.executeWithoutResult(s -> {
            store.insertMembership(new ProjectMembershipStore.MembershipRow(id, projectId, GROUP, groupId, now, now));
            rows.forEach(r -> store.insertRole(MembershipService.withMembership(r, id)));
            audit.record(AuditEvent.of(
                    actor,
                    projectId,
                    projectName,
                    AuditEventType.ADD_GROUP_TO_PROJECT,
                    Map.of(
                            "groupId",
                            groupId,
                            "roles",
                            rows.stream()
                                    .map(ProjectMembershipStore.RoleRow::role)
                                    .toList())));
        });
        return json(id, projectId, groupId, now, now);
    }

    public List<Map<String, Object>> updateRoles(
            Actor actor, String projectId, String projectName, String groupId, List<RoleGrant> roles) {
        permissions.project(actor, projectId).require(ProjectSubject.GROUPS, ProjectAction.EDIT);
        ProjectMembershipStore.MembershipRow m = membership(projectId, groupId);
        boundary.requireCoversInProject(actor, projectId, GROUP, groupId);
        List<ProjectMembershipStore.RoleRow> rows = memberships.prepare(actor, projectId, roles);
        tx.executeWithoutResult(s -> {
            store.deleteRoles(m.id());
            rows.forEach(r -> store.insertRole(MembershipService.withMembership(r, m.id())));
            store.touch(m.id(), clock.millis());
            audit.record(AuditEvent.of(
                    actor,
                    projectId,
                    projectName,
                    AuditEventType.UPDATE_GROUP_PROJECT_ROLE,
                    Map.of("groupId", groupId)));
        });
        return store.roles(m.id()).stream()
                .map(r -> MembershipService.roleJson(r, true))
                .toList();
    }

    public Map<String, Object> remove(Actor actor, String projectId, String projectName, String groupId) {
        permissions.project(actor, projectId).require(ProjectSubject.GROUPS, ProjectAction.DELETE);
        ProjectMembershipStore.MembershipRow m = membership(projectId, groupId);
        boundary.requireCoversInProject(actor, projectId, GROUP, groupId);
        tx.executeWithoutResult(s -> {
            store.deleteMembership(m.id());
            audit.record(AuditEvent.of(
                    actor,
                    projectId,
                    projectName,
                    AuditEventType.REMOVE_GROUP_FROM_PROJECT,
                    Map.of("groupId", groupId)));
        });
        return json(m.id(), projectId, groupId, m.createdAt(), m.updatedAt());
    }

    public Map<String, Object> get(Actor actor, String projectId, String groupId) {
        permissions.project(actor, projectId).require(ProjectSubject.GROUPS, ProjectAction.READ);
        return detailed(membership(projectId, groupId));
    }

    public List<Map<String, Object>> list(Actor actor, String projectId) {
        permissions.project(actor, projectId).require(ProjectSubject.GROUPS, ProjectAction.READ);
        return store.list(projectId, GROUP).stream().map(this::detailed).toList();
    }

    private Map<String, Object> detailed(ProjectMembershipStore.MembershipRow m) {
        Map<String, Object> out = json(m.id(), m.projectId(), m.actorId(), m.createdAt(), m.updatedAt());
        out.put(
                "roles",
                store.roles(m.id()).stream()
                        .map(r -> MembershipService.roleJson(r, false))
                        .toList());
        groups.byId(m.actorId())
                .ifPresent(g -> out.put("group", Map.of("id", g.id(), "name", g.name(), "slug", g.slug())));
        return out;
    }

    private ProjectMembershipStore.MembershipRow membership(String projectId, String groupId) {
        return store.find(projectId, GROUP, groupId)
                .orElseThrow(() -> ApiException.notFound("Group membership not found"));
    }

    private static Map<String, Object> json(String id, String projectId, String groupId, long created, long updated) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("projectId", projectId);
        m.put("groupId", groupId);
        m.put("createdAt", Iso.of(created));
        m.put("updatedAt", Iso.of(updated));
        return m;
    }
}
