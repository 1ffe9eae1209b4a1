package dev.keyhaven.server.access;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for project trusted IPs. */
@Repository
class ProjectTrustedIpStore {
    record TrustedIpRow(
            String id,
            String projectId,
            String ipAddress,
            String type,
            Integer prefix,
            boolean active,
            String comment,
            long createdAt,
            long updatedAt) {}

    private static final RowMapper<TrustedIpRow> ROW = (rs, i) -> new TrustedIpRow(
            rs.getString("id"),
            rs.getString("project_id"),
            rs.getString("ip_address"),
            rs.getString("type"),
            rs.getObject("prefix") == null ? null : rs.getInt("prefix"),
            rs.getBoolean("is_active"),
            rs.getString("comment"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    ProjectTrustedIpStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(TrustedIpRow r) {
        jdbc.sql("""
                INSERT INTO project_trusted_ips (id, project_id, ip_address, type, prefix, is_active, comment, created_at,
                    updated_at) VALUES (?,?,?,?,?,?,?,?,?)""")
                .params(
                        r.id(),
                        r.projectId(),
                        r.ipAddress(),
                        r.type(),
                        r.prefix(),
                        r.active(),
                        r.comment(),
                        r.createdAt(),
                        r.updatedAt())
                .update();
    }

    void update(TrustedIpRow r) {
        jdbc.sql("""
                UPDATE project_trusted_ips SET ip_address = ?, type = ?, prefix = ?, is_active = ?, comment = ?,
                    updated_at = ? WHERE id = ? AND project_id = ?""")
                .params(
                        r.ipAddress(),
                        r.type(),
                        r.prefix(),
                        r.active(),
                        r.comment(),
                        r.updatedAt(),
                        r.id(),
                        r.projectId())
                .update();
    }

    void delete(String projectId, String id) {
        jdbc.sql("DELETE FROM project_trusted_ips WHERE id = ? AND project_id = ?")
                .params(id, projectId)
                .update();
    }

    Optional<TrustedIpRow> byId(String projectId, String id) {
        return jdbc.sql("SELECT * FROM project_trusted_ips WHERE id = ? AND project_id = ?")
                .params(id, projectId)
                .query(ROW)
                .optional();
    }

    List<TrustedIpRow> list(String projectId) {
        return jdbc.sql("SELECT * FROM project_trusted_ips WHERE project_id = ? ORDER BY created_at, id")
                .param(projectId)
                .query(ROW)
                .list();
    }

    /** The address blocks of the active entries, as written ({@code 10.0.0.0/8}, {@code 2001:db8::1}). */
    List<String> activeBlocks(String projectId) {
        return jdbc.sql("SELECT ip_address, prefix FROM project_trusted_ips WHERE project_id = ? AND is_active = ?")
                .params(projectId, true)
                .query((rs, i) ->
                        rs.getString("ip_address") + (rs.getObject("prefix") == null ? "" : "/" + rs.getInt("prefix")))
                .list();
    }

    Optional<String> projectName(String projectId) {
        return jdbc.sql("SELECT name FROM projects WHERE id = ?")
                .param(projectId)
                .query(String.class)
                .optional();
    }
}
