package dev.keyhaven.server.access;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for additional privileges. */
@Repository
class PrivilegeStore {
    record PrivilegeRow(
            String id,
            String projectId,
            String actorType,
            String actorId,
            String slug,
            String permissions,
            boolean temporary,
            String mode,
            String range,
            Long startTime,
            Long endTime,
            long createdAt,
            long updatedAt) {}

    private static final RowMapper<PrivilegeRow> ROW = (rs, i) -> new PrivilegeRow(
            rs.getString("id"),
            rs.getString("project_id"),
            rs.getString("actor_type"),
            rs.getString("actor_id"),
            rs.getString("slug"),
            rs.getString("permissions"),
            rs.getBoolean("is_temporary"),
            rs.getString("temporary_mode"),
            rs.getString("temporary_range"),
            rs.getObject("temporary_access_start_time") == null ? null : rs.getLong("temporary_access_start_time"),
            rs.getObject("temporary_access_end_time") == null ? null : rs.getLong("temporary_access_end_time"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    PrivilegeStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(PrivilegeRow p) {
        jdbc.sql("""
                INSERT INTO additional_privileges (id, project_id, actor_type, actor_id, slug, permissions, is_temporary,
                    temporary_mode, temporary_range, temporary_access_start_time, temporary_access_end_time, created_at,
                    updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""")
                .params(
                        p.id(),
                        p.projectId(),
                        p.actorType(),
                        p.actorId(),
                        p.slug(),
                        p.permissions(),
                        p.temporary(),
                        p.mode(),
                        p.range(),
                        p.startTime(),
                        p.endTime(),
                        p.createdAt(),
                        p.updatedAt())
                .update();
    }

    void update(PrivilegeRow p) {
        jdbc.sql("""
                UPDATE additional_privileges SET slug = ?, permissions = ?, is_temporary = ?, temporary_mode = ?,
                    temporary_range = ?, temporary_access_start_time = ?, temporary_access_end_time = ?, updated_at = ?
                WHERE id = ?""")
                .params(
                        p.slug(),
                        p.permissions(),
                        p.temporary(),
                        p.mode(),
                        p.range(),
                        p.startTime(),
                        p.endTime(),
                        p.updatedAt(),
                        p.id())
                .update();
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM additional_privileges WHERE id = ?").param(id).update();
    }

    void deleteAllOf(String actorType, String actorId) {
        jdbc.sql("DELETE FROM additional_privileges WHERE actor_type = ? AND actor_id = ?")
                .params(actorType, actorId)
                .update();
    }

    /** The actor's privileges in one project (it left the project). */
    void deleteOf(String projectId, String actorType, String actorId) {
        jdbc.sql("DELETE FROM additional_privileges WHERE project_id = ? AND actor_type = ? AND actor_id = ?")
                .params(projectId, actorType, actorId)
                .update();
    }

    /** The actor's privileges in every project of one organization (it left the organization). */
    void deleteAllOfInOrg(String actorType, String actorId, String orgId) {
        jdbc.sql("""
                DELETE FROM additional_privileges WHERE actor_type = ? AND actor_id = ?
                    AND project_id IN (SELECT id FROM projects WHERE org_id = ?)""").params(actorType, actorId, orgId).update();
    }

    Optional<PrivilegeRow> byId(String id) {
        return jdbc.sql("SELECT * FROM additional_privileges WHERE id = ?")
                .param(id)
                .query(ROW)
                .optional();
    }

    Optional<PrivilegeRow> bySlug(String projectId, String actorType, String actorId, String slug) {
        return jdbc.sql(
                        "SELECT * FROM additional_privileges WHERE project_id = ? AND actor_type = ? AND actor_id = ? AND slug = ?")
                .params(projectId, actorType, actorId, slug)
                .query(ROW)
                .optional();
    }

    List<PrivilegeRow> of(String projectId, String actorType, String actorId) {
        return jdbc.sql(
                        "SELECT * FROM additional_privileges WHERE project_id = ? AND actor_type = ? AND actor_id = ? ORDER BY slug")
                .params(projectId, actorType, actorId)
                .query(ROW)
                .list();
    }
}
