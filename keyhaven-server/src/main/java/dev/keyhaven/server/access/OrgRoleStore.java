package dev.keyhaven.server.access;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for custom organization roles. */
@Repository
class OrgRoleStore {
    record RoleRow(
            String id,
            String orgId,
            String slug,
            String name,
            String description,
            String permissions,
            long createdAt,
            long updatedAt) {}

    private static final RowMapper<RoleRow> ROW = (rs, i) -> new RoleRow(
            rs.getString("id"),
            rs.getString("org_id"),
            rs.getString("slug"),
            rs.getString("name"),
            rs.getString("description"),
            rs.getString("permissions"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    OrgRoleStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(RoleRow r) {
        jdbc.sql("""
                INSERT INTO org_roles (id, org_id, slug, name, description, permissions, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?)""")
                .params(
                        r.id(),
                        r.orgId(),
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
                        "UPDATE org_roles SET slug = ?, name = ?, description = ?, permissions = ?, updated_at = ? WHERE id = ?")
                .params(r.slug(), r.name(), r.description(), r.permissions(), r.updatedAt(), r.id())
                .update();
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM org_roles WHERE id = ?").param(id).update();
    }

    Optional<RoleRow> byId(String id) {
        return jdbc.sql("SELECT * FROM org_roles WHERE id = ?")
                .param(id)
                .query(ROW)
                .optional();
    }

    Optional<RoleRow> bySlug(String orgId, String slug) {
        return jdbc.sql("SELECT * FROM org_roles WHERE org_id = ? AND slug = ?")
                .params(orgId, slug)
                .query(ROW)
                .optional();
    }

    List<RoleRow> list(String orgId) {
        return jdbc.sql("SELECT * FROM org_roles WHERE org_id = ? ORDER BY slug")
                .param(orgId)
                .query(ROW)
                .list();
    }

    /** How many members and groups of the org hold the role (a group's role applies to its members). */
    long usage(String orgId, String slug) {
        return jdbc.sql("""
                SELECT (SELECT COUNT(*) FROM org_memberships WHERE org_id = ? AND role = ?)
                     + (SELECT COUNT(*) FROM org_groups WHERE org_id = ? AND role = ?)""").params(orgId, slug, orgId, slug).query(Long.class).single();
    }
}
