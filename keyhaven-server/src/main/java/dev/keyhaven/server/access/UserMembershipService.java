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
import java.util.function.Function;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * People's project memberships: add, list, read, change roles, remove, and the memberships an
 * accepted invitation brings. The no-escalation check on the roles granted is the one identities
 * go through ({@link MembershipService#prepare}); nobody changes or removes their own membership.
 * Changing a person's roles or removing them from the project needs everything they hold there
 * ({@link PrincipalBoundary#requireCoversInProject}).
 */
@Service
public class UserMembershipService {
    private final ProjectMembershipStore store;
    private final ProjectRoleStore customRoles;
    private final PrivilegeStore privileges;
    private final MembershipService memberships;
    private final PermissionService permissions;
    private final PrincipalBoundary boundary;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public UserMembershipService(
            ProjectMembershipStore store,
            ProjectRoleStore customRoles,
            PrivilegeStore privileges,
            MembershipService memberships,
            PermissionService permissions,
            PrincipalBoundary boundary,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock) {
        this.store = store;
        this.customRoles = customRoles;
        this.privileges = privileges;
        this.memberships = memberships;
        this.permissions = permissions;
        this.boundary = boundary;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** Adds a person (already a member of the project's organization) with the given roles. */
    public Map<String, Object> addUser(
            Actor actor, String projectId, String projectName, String userId, List<RoleGrant> roles) {
        permissions.project(actor, projectId).require(ProjectSubject.MEMBER, ProjectAction.CREATE);
        List<ProjectMembershipStore.RoleRow> rows = memberships.prepare(actor, projectId, roles);
        if (store.find(projectId, "user", userId).isPresent()) {
            throw ApiException.badRequest("The user is already a member of this project");
        }
        long now = clock.millis();
        String id = Ids.newId();
        tx.executeWithoutResult(s -> {
            store.insertMembership(new ProjectMembershipStore.MembershipRow(id, projectId, "user", userId, now, now));
            rows.forEach(r -> store.insertRole(MembershipService.withMembership(r, id)));
            audit.record(AuditEvent.of(
                    actor,
                    projectId,
                    projectName,
                    AuditEventType.ADD_USER_TO_PROJECT,
                    Map.of(
                            "userId",
                            userId,
                            "roles",
                            rows.stream()
                                    .map(ProjectMembershipStore.RoleRow::role)
                                    .toList())));
        });
        return userMembershipJson(id, projectId, userId, now, now);
    }

    public Map<String, Object> removeUser(Actor actor, String projectId, String projectName, String userId) {
        permissions.project(actor, projectId).require(ProjectSubject.MEMBER, ProjectAction.DELETE);
        if (actor.id().equals(userId)) {
            throw ApiException.forbidden("You cannot remove yourself from a project here");
        }
        ProjectMembershipStore.MembershipRow m = store.find(projectId, "user", userId)
                .orElseThrow(() -> ApiException.notFound("The user is not a member of this project"));
        return removeUser(actor, projectName, m);
    }

    /** Removes the person behind a project membership id of this project; 404 for any other id. */
    public Map<String, Object> removeUserMembership(
            Actor actor, String projectId, String projectName, String membershipId) {
        permissions.project(actor, projectId).require(ProjectSubject.MEMBER, ProjectAction.DELETE);
        ProjectMembershipStore.MembershipRow m = userMembership(projectId, membershipId);
        if (actor.id().equals(m.actorId())) {
            throw ApiException.forbidden("You cannot remove yourself from a project here");
        }
        return removeUser(actor, projectName, m);
    }

    private Map<String, Object> removeUser(Actor actor, String projectName, ProjectMembershipStore.MembershipRow m) {
        boundary.requireCoversInProject(actor, m.projectId(), "user", m.actorId());
        tx.executeWithoutResult(s -> {
            store.deleteMembership(m.id());
            privileges.deleteOf(m.projectId(), "user", m.actorId());
            audit.record(AuditEvent.of(
                    actor,
                    m.projectId(),
                    projectName,
                    AuditEventType.REMOVE_USER_FROM_PROJECT,
                    Map.of("userId", m.actorId())));
        });
        return userMembershipJson(m.id(), m.projectId(), m.actorId(), m.createdAt(), m.updatedAt());
    }

    /**
     * Replaces a person's project roles. At least one role must be permanent (a membership made
     * only of temporary roles would silently lapse into no membership at all); every role must be
     * covered by the actor's own permissions, and nobody changes their own roles.
     */
    public List<Map<String, Object>> updateUserRoles(
            Actor actor, String projectId, String projectName, String membershipId, List<RoleGrant> roles) {
        permissions.project(actor, projectId).require(ProjectSubject.MEMBER, ProjectAction.EDIT);
        ProjectMembershipStore.MembershipRow m = userMembership(projectId, membershipId);
        if (actor.id().equals(m.actorId())) {
            throw ApiException.forbidden("You cannot change your own project roles");
        }
        boundary.requireCoversInProject(actor, projectId, "user", m.actorId());
        if (roles != null && !roles.isEmpty() && roles.stream().allMatch(g -> g != null && g.isTemporary())) {
            throw ValidationException.field("roles", "At least one long lived role is required");
        }
        List<ProjectMembershipStore.RoleRow> rows = memberships.prepare(actor, projectId, roles);
        tx.executeWithoutResult(s -> {
            store.deleteRoles(m.id());
            rows.forEach(r -> store.insertRole(MembershipService.withMembership(r, m.id())));
            store.touch(m.id(), clock.millis());
            audit.record(AuditEvent.of(
                    actor,
                    projectId,
                    projectName,
                    AuditEventType.UPDATE_USER_PROJECT_ROLE,
                    Map.of(
                            "userId",
                            m.actorId(),
                            "roles",
                            rows.stream()
                                    .map(ProjectMembershipStore.RoleRow::role)
                                    .toList())));
        });
        return store.roles(m.id()).stream()
                .map(r -> MembershipService.roleJson(r, true))
                .toList();
    }

    /** One person's project membership, by membership id; 404 for an id of another project or an identity. */
    public Map<String, Object> getUserMembership(
            Actor actor, String projectId, String membershipId, Function<String, Map<String, Object>> userLookup) {
        permissions.project(actor, projectId).require(ProjectSubject.MEMBER, ProjectAction.READ);
        return userDetailJson(userMembership(projectId, membershipId), userLookup);
    }

    /**
     * One person's project membership, by their user id; empty {@code userId} (the caller found
     * nobody by that name) and non-members both answer 404, after the permission check.
     */
    public Map<String, Object> getUserMembershipOf(
            Actor actor, String projectId, Optional<String> userId, Function<String, Map<String, Object>> userLookup) {
        permissions.project(actor, projectId).require(ProjectSubject.MEMBER, ProjectAction.READ);
        ProjectMembershipStore.MembershipRow m = userId.flatMap(u -> store.find(projectId, "user", u))
                .orElseThrow(() -> ApiException.notFound("The user is not a member of this project"));
        return userDetailJson(m, userLookup);
    }

    private ProjectMembershipStore.MembershipRow userMembership(String projectId, String membershipId) {
        return (Ids.looksLikeId(membershipId)
                        ? store.byId(membershipId)
                        : Optional.<ProjectMembershipStore.MembershipRow>empty())
                .filter(m -> m.projectId().equals(projectId) && "user".equals(m.actorType()))
                .orElseThrow(() -> ApiException.notFound("Project membership with ID " + membershipId + " not found"));
    }

    private Map<String, Object> userDetailJson(
            ProjectMembershipStore.MembershipRow m, Function<String, Map<String, Object>> userLookup) {
        Map<String, Object> j = userMembershipJson(m.id(), m.projectId(), m.actorId(), m.createdAt(), m.updatedAt());
        j.put("user", userLookup.apply(m.actorId()));
        j.put(
                "roles",
                store.roles(m.id()).stream()
                        .map(r -> MembershipService.roleJson(r, false))
                        .toList());
        return j;
    }

    /** The people in a project with their roles; {@code userLookup} fills the nested user. */
    public List<Map<String, Object>> listUsers(
            Actor actor, String projectId, Function<String, Map<String, Object>> userLookup) {
        permissions.project(actor, projectId).require(ProjectSubject.MEMBER, ProjectAction.READ);
        List<Map<String, Object>> out = new ArrayList<>();
        for (ProjectMembershipStore.MembershipRow m : store.list(projectId, "user")) {
            out.add(userDetailJson(m, userLookup));
        }
        return out;
    }

    private static Map<String, Object> userMembershipJson(
            String id, String projectId, String userId, long created, long updated) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("userId", userId);
        m.put("projectId", projectId);
        m.put("createdAt", Iso.of(created));
        m.put("updatedAt", Iso.of(updated));
        return m;
    }

    /**
     * Checks that the actor may add a person to the project with these roles (invitations check
     * this when they are sent, and {@link #addUserFromInvitation} applies them on acceptance).
     */
    public void checkUserGrant(Actor actor, String projectId, List<RoleGrant> roles) {
        permissions.project(actor, projectId).require(ProjectSubject.MEMBER, ProjectAction.CREATE);
        memberships.prepare(actor, projectId, roles);
    }

    /**
     * Makes an invited person a project member with the roles the invitation carried (checked
     * against the inviter when it was sent). Roles deleted since are skipped; an existing
     * membership is left as it is.
     */
    public void addUserFromInvitation(String projectId, String userId, List<String> roles) {
        if (store.find(projectId, "user", userId).isPresent()) {
            return;
        }
        long now = clock.millis();
        String id = Ids.newId();
        store.insertMembership(new ProjectMembershipStore.MembershipRow(id, projectId, "user", userId, now, now));
        for (String role : roles) {
            String customRoleId = null;
            if (BuiltInRoles.project(role).isEmpty()) {
                ProjectRoleStore.RoleRow custom =
                        customRoles.bySlug(projectId, role).orElse(null);
                if (custom == null) {
                    continue;
                }
                customRoleId = custom.id();
            }
            store.insertRole(new ProjectMembershipStore.RoleRow(
                    Ids.newId(), id, role, customRoleId, false, null, null, null, null, now, now));
        }
    }
}
