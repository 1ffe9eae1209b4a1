package dev.keyhaven.server.access;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for custom project roles. */
@Repository
class ProjectRoleStore {
    record RoleRow(
            String id,
            String projectId,
            String slug,
            String name,
            String description,
            String permissions,
            long createdAt,
            long updatedAt) {}

    private static final RowMapper<RoleRow> ROW = (rs, i) -> new RoleRow(
            rs.getString("id"),
            rs.getString("project_id"),
            rs.getString("slug"),
            rs.getString("name"),
            rs.getString("description"),
            rs.getString("permissions"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    ProjectRoleStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(RoleRow r) {
        jdbc.sql("""
                INSERT INTO project_roles (id, project_id, slug, name, description, permissions, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?)""")
                .params(
                        r.id(),
                        r.projectId(),
                        r.slug(),
                        r.name(),
                        r.description(),
                        r.permissions(),
                        r.createdAt(),
                        r.updatedAt())
                .update();
    }

    void update(RoleRow r) {
        jdbc.sql(
                        "UPDATE project_roles SET slug = ?, name = ?, description = ?, permissions = ?, updated_at = ? WHERE id = ?")
                .params(r.slug(), r.name(), r.description(), r.permissions(), r.updatedAt(), r.id())
                .update();
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM project_membership_roles WHERE custom_role_id = ?")
                .param(id)
                .update();
        jdbc.sql("DELETE FROM project_roles WHERE id = ?").param(id).update();
    }

    Optional<RoleRow> byId(String id) {
        return jdbc.sql("SELECT * FROM project_roles WHERE id = ?")
                .param(id)
                .query(ROW)
                .optional();
    }

    Optional<RoleRow> bySlug(String projectId, String slug) {
        return jdbc.sql("SELECT * FROM project_roles WHERE project_id = ? AND slug = ?")
                .params(projectId, slug)
                .query(ROW)
                .optional();
    }

    List<RoleRow> list(String projectId) {
        return jdbc.sql("SELECT * FROM project_roles WHERE project_id = ? ORDER BY slug")
                .param(projectId)
                .query(ROW)
                .list();
    }
}
