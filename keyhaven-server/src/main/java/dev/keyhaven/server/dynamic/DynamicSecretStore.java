package dev.keyhaven.server.dynamic;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for dynamic-secret configurations. */
@Repository
class DynamicSecretStore {
    /** One configuration; {@code sealedInputs} opens only with the project key. */
    record Row(
            String id,
            String orgId,
            String projectId,
            String environment,
            String path,
            String name,
            String type,
            int version,
            long defaultTtl,
            Long maxTtl,
            String connectionId,
            String sealedInputs,
            long createdAt,
            long updatedAt) {}

    private static final RowMapper<Row> ROW = (rs, i) -> new Row(
            rs.getString("id"),
            rs.getString("org_id"),
            rs.getString("project_id"),
            rs.getString("environment"),
            rs.getString("path"),
            rs.getString("name"),
            rs.getString("type"),
            rs.getInt("version"),
            rs.getLong("default_ttl"),
            rs.getObject("max_ttl") == null ? null : rs.getLong("max_ttl"),
            rs.getString("connection_id"),
            rs.getString("sealed_inputs"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    DynamicSecretStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Row r) {
        jdbc.sql("""
                INSERT INTO dynamic_secrets (id, org_id, project_id, environment, path, name, type, version,
                    default_ttl, max_ttl, connection_id, sealed_inputs, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""")
                .params(
                        r.id(),
                        r.orgId(),
                        r.projectId(),
                        r.environment(),
                        r.path(),
                        r.name(),
                        r.type(),
                        r.version(),
                        r.defaultTtl(),
                        r.maxTtl(),
                        r.connectionId(),
                        r.sealedInputs(),
                        r.createdAt(),
                        r.updatedAt())
                .update();
    }

    void update(Row r) {
        jdbc.sql("""
                UPDATE dynamic_secrets SET name = ?, version = ?, default_ttl = ?, max_ttl = ?, sealed_inputs = ?,
                    updated_at = ? WHERE id = ?""")
                .params(r.name(), r.version(), r.defaultTtl(), r.maxTtl(), r.sealedInputs(), r.updatedAt(), r.id())
                .update();
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM dynamic_secrets WHERE id = ?").param(id).update();
    }

    Optional<Row> byId(String id) {
        return jdbc.sql("SELECT * FROM dynamic_secrets WHERE id = ?")
                .param(id)
                .query(ROW)
                .optional();
    }

    Optional<Row> byName(String projectId, String environment, String path, String name) {
        return jdbc.sql(
                        "SELECT * FROM dynamic_secrets WHERE project_id = ? AND environment = ? AND path = ? AND name = ?")
                .params(projectId, environment, path, name)
                .query(ROW)
                .optional();
    }

    List<Row> list(String projectId, String environment, String path) {
        return jdbc.sql(
                        "SELECT * FROM dynamic_secrets WHERE project_id = ? AND environment = ? AND path = ? ORDER BY name")
                .params(projectId, environment, path)
                .query(ROW)
                .list();
    }
}
