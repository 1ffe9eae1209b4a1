package dev.keyhaven.server.connection;

import dev.keyhaven.server.platform.log.Redaction;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for app connections and the projects org-level ones are shared to. */
@Repository
class AppConnectionStore {
    /** Where the names of org-level connections are unique (project-level ones use their project id). */
    static final String ORG_SCOPE = "org";

    /** One stored connection; {@code projectId} is null for an org-level one. */
    record Row(
            String id,
            String orgId,
            String projectId,
            String app,
            String method,
            String name,
            String description,
            int version,
            String sealedCredentials,
            long createdAt,
            long updatedAt) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }

        String scope() {
            return projectId == null ? ORG_SCOPE : projectId;
        }
    }

    private static final RowMapper<Row> ROW = (rs, i) -> new Row(
            rs.getString("id"),
            rs.getString("org_id"),
            rs.getString("project_id"),
            rs.getString("app"),
            rs.getString("method"),
            rs.getString("name"),
            rs.getString("description"),
            rs.getInt("version"),
            rs.getString("sealed_credentials"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    AppConnectionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Row r) {
        jdbc.sql("""
                INSERT INTO app_connections (id, org_id, project_id, scope, app, method, name, description, version,
                    sealed_credentials, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""")
                .params(
                        r.id(),
                        r.orgId(),
                        r.projectId(),
                        r.scope(),
                        r.app(),
                        r.method(),
                        r.name(),
                        r.description(),
                        r.version(),
                        r.sealedCredentials(),
                        r.createdAt(),
                        r.updatedAt())
                .update();
    }

    void update(Row r) {
        jdbc.sql("""
                UPDATE app_connections SET name = ?, description = ?, version = ?, sealed_credentials = ?,
                    updated_at = ? WHERE id = ?""")
                .params(r.name(), r.description(), r.version(), r.sealedCredentials(), r.updatedAt(), r.id())
                .update();
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM app_connections WHERE id = ?").param(id).update();
    }

    Optional<Row> byId(String id) {
        return jdbc.sql("SELECT * FROM app_connections WHERE id = ?")
                .param(id)
                .query(ROW)
                .optional();
    }

    Optional<Row> byName(String orgId, String scope, String name) {
        return jdbc.sql("SELECT * FROM app_connections WHERE org_id = ? AND scope = ? AND name = ?")
                .params(orgId, scope, name)
                .query(ROW)
                .optional();
    }

    /** The org-level connections of an app. */
    List<Row> orgLevel(String orgId, String app) {
        return jdbc.sql("SELECT * FROM app_connections WHERE org_id = ? AND scope = ? AND app = ? ORDER BY name, id")
                .params(orgId, ORG_SCOPE, app)
                .query(ROW)
                .list();
    }

    /** The connections of an app a project may use: its own and the org-level ones shared to it. */
    List<Row> usableIn(String projectId, String app) {
        return jdbc.sql("""
                SELECT c.* FROM app_connections c
                WHERE c.app = ? AND (c.project_id = ? OR c.id IN
                    (SELECT s.connection_id FROM app_connection_shares s WHERE s.project_id = ?))
                ORDER BY c.name, c.id""").params(app, projectId, projectId).query(ROW).list();
    }

    List<String> sharedTo(String connectionId) {
        return jdbc.sql("SELECT project_id FROM app_connection_shares WHERE connection_id = ? ORDER BY project_id")
                .param(connectionId)
                .query(String.class)
                .list();
    }

    boolean isSharedTo(String connectionId, String projectId) {
        return jdbc.sql("SELECT COUNT(*) FROM app_connection_shares WHERE connection_id = ? AND project_id = ?")
                        .params(connectionId, projectId)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    void replaceShares(String connectionId, List<String> projectIds, long now) {
        jdbc.sql("DELETE FROM app_connection_shares WHERE connection_id = ?")
                .param(connectionId)
                .update();
        for (String p : projectIds) {
            jdbc.sql("INSERT INTO app_connection_shares (connection_id, project_id, created_at) VALUES (?,?,?)")
                    .params(connectionId, p, now)
                    .update();
        }
    }
}
