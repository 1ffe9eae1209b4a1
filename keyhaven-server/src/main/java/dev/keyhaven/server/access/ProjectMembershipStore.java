package dev.keyhaven.server.access;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for project memberships (users and identities) and the roles they hold. */
@Repository
class ProjectMembershipStore {
    record MembershipRow(
            String id, String projectId, String actorType, String actorId, long createdAt, long updatedAt) {}

    record RoleRow(
            String id,
            String membershipId,
            String role,
            String customRoleId,
            boolean temporary,
            String mode,
            String range,
            Long startTime,
            Long endTime,
            long createdAt,
            long updatedAt) {}

    private final JdbcClient jdbc;

    ProjectMembershipStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insertMembership(MembershipRow m) {
        jdbc.sql(
                        "INSERT INTO project_memberships (id, project_id, actor_type, actor_id, created_at, updated_at) VALUES (?,?,?,?,?,?)")
                .params(m.id(), m.projectId(), m.actorType(), m.actorId(), m.createdAt(), m.updatedAt())
                .update();
    }

    void insertRole(RoleRow r) {
        jdbc.sql("""
                INSERT INTO project_membership_roles (id, membership_id, role, custom_role_id, is_temporary, temporary_mode,
                    temporary_range, temporary_access_start_time, temporary_access_end_time, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?)""")
                .params(
                        r.id(),
                        r.membershipId(),
                        r.role(),
                        r.customRoleId(),
                        r.temporary(),
                        r.mode(),
                        r.range(),
                        r.startTime(),
                        r.endTime(),
                        r.createdAt(),
                        r.updatedAt())
                .update();
    }

    Optional<MembershipRow> find(String projectId, String actorType, String actorId) {
        return jdbc.sql("""
                SELECT id, project_id, actor_type, actor_id, created_at, updated_at FROM project_memberships
                WHERE project_id = ? AND actor_type = ? AND actor_id = ?""")
                .params(projectId, actorType, actorId)
                .query((rs, i) -> new MembershipRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getLong(6)))
                .optional();
    }

    Optional<MembershipRow> byId(String membershipId) {
        return jdbc.sql(
                        "SELECT id, project_id, actor_type, actor_id, created_at, updated_at FROM project_memberships WHERE id = ?")
                .param(membershipId)
                .query((rs, i) -> new MembershipRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getLong(6)))
                .optional();
    }

    List<MembershipRow> list(String projectId, String actorType) {
        return jdbc.sql("""
                SELECT id, project_id, actor_type, actor_id, created_at, updated_at FROM project_memberships
                WHERE project_id = ? AND actor_type = ? ORDER BY created_at, id""")
                .params(projectId, actorType)
                .query((rs, i) -> new MembershipRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getLong(6)))
                .list();
    }

    List<RoleRow> roles(String membershipId) {
        return jdbc.sql("""
                SELECT id, membership_id, role, custom_role_id, is_temporary, temporary_mode, temporary_range,
                       temporary_access_start_time, temporary_access_end_time, created_at, updated_at
                FROM project_membership_roles WHERE membership_id = ? ORDER BY created_at, is_temporary, role, id""")
                .param(membershipId)
                .query((rs, i) -> new RoleRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getBoolean(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getObject(8) == null ? null : rs.getLong(8),
                        rs.getObject(9) == null ? null : rs.getLong(9),
                        rs.getLong(10),
                        rs.getLong(11)))
                .list();
    }

    /** An active-or-not role of an actor, with the stored rules when it is a custom role. */
    record GrantedRole(
            String role,
            String customRoleId,
            boolean temporary,
            Long endTime,
            String customPermissions,
            Long customUpdatedAt) {}

    /**
     * The roles of an actor in a project, its own and those of every group it belongs to, in one
     * query; empty when it is neither a member nor in a member group.
     */
    Optional<List<GrantedRole>> rolesOf(String projectId, String actorType, String actorId) {
        List<Object[]> rows = jdbc.sql("""
                SELECT m.id, r.id, r.role, r.custom_role_id, r.is_temporary, r.temporary_access_end_time,
                       pr.permissions, pr.updated_at
                FROM project_memberships m
                LEFT JOIN project_membership_roles r ON r.membership_id = m.id
                LEFT JOIN project_roles pr ON pr.id = r.custom_role_id
                WHERE m.project_id = ? AND ((m.actor_type = ? AND m.actor_id = ?)
                    OR (m.actor_type = 'group' AND m.actor_id IN
                        (SELECT group_id FROM group_members WHERE member_type = ? AND member_id = ?)))""")
                .params(projectId, actorType, actorId, actorType, actorId)
                .query((rs, i) -> new Object[] {
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getBoolean(5),
                    rs.getObject(6) == null ? null : rs.getLong(6),
                    rs.getString(7),
                    rs.getObject(8) == null ? null : rs.getLong(8)
                })
                .list();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(rows.stream()
                .filter(r -> r[1] != null)
                .map(r -> new GrantedRole(
                        (String) r[2], (String) r[3], (Boolean) r[4], (Long) r[5], (String) r[6], (Long) r[7]))
                .toList());
    }

    /**
     * The projects of one organization an actor is in, as a member itself or through a group it
     * belongs to (the projects {@link #rolesOf} finds roles in). A person can be in several
     * organizations; only this one's projects count.
     */
    List<String> projectsOf(String orgId, String actorType, String actorId) {
        return jdbc.sql("""
                SELECT DISTINCT project_id FROM project_memberships
                WHERE ((actor_type = ? AND actor_id = ?)
                    OR (actor_type = 'group' AND actor_id IN
                        (SELECT group_id FROM group_members WHERE member_type = ? AND member_id = ?)))
                    AND project_id IN (SELECT id FROM projects WHERE org_id = ?)
                ORDER BY project_id""")
                .params(actorType, actorId, actorType, actorId, orgId)
                .query(String.class)
                .list();
    }

    List<MembershipRow> byActor(String actorType, String actorId) {
        return jdbc.sql("""
                SELECT id, project_id, actor_type, actor_id, created_at, updated_at FROM project_memberships
                WHERE actor_type = ? AND actor_id = ?""")
                .params(actorType, actorId)
                .query((rs, i) -> new MembershipRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getLong(6)))
                .list();
    }

    void deleteRoles(String membershipId) {
        jdbc.sql("DELETE FROM project_membership_roles WHERE membership_id = ?")
                .param(membershipId)
                .update();
    }

    void deleteMembership(String membershipId) {
        jdbc.sql("DELETE FROM project_memberships WHERE id = ?")
                .param(membershipId)
                .update();
    }

    /** Removes the actor from every project (its roles go with the memberships). */
    int deleteAllOf(String actorType, String actorId) {
        return jdbc.sql("DELETE FROM project_memberships WHERE actor_type = ? AND actor_id = ?")
                .params(actorType, actorId)
                .update();
    }

    /** Removes the actor from every project of one organization (its roles go with the memberships). */
    int deleteAllOfInOrg(String actorType, String actorId, String orgId) {
        return jdbc.sql("""
                DELETE FROM project_memberships WHERE actor_type = ? AND actor_id = ?
                    AND project_id IN (SELECT id FROM projects WHERE org_id = ?)""").params(actorType, actorId, orgId).update();
    }

    void touch(String membershipId, long now) {
        jdbc.sql("UPDATE project_memberships SET updated_at = ? WHERE id = ?")
                .params(now, membershipId)
                .update();
    }
}
