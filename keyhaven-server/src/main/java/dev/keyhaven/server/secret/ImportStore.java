package dev.keyhaven.server.secret;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for secret imports. */
@Repository
class ImportStore {
    private static final RowMapper<SecretImport> ROW = (rs, i) -> new SecretImport(
            rs.getString("id"),
            rs.getString("folder_id"),
            rs.getString("import_env_id"),
            rs.getString("import_path"),
            rs.getInt("position"),
            rs.getBoolean("is_replication"),
            rs.getInt("version"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    ImportStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<SecretImport> forFolder(String folderId) {
        return jdbc.sql("SELECT * FROM secret_imports WHERE folder_id = ? ORDER BY position, created_at")
                .param(folderId)
                .query(ROW)
                .list();
    }

    Optional<SecretImport> byId(String id) {
        return jdbc.sql("SELECT * FROM secret_imports WHERE id = ?")
                .param(id)
                .query(ROW)
                .optional();
    }

    void insert(SecretImport i) {
        jdbc.sql("""
                INSERT INTO secret_imports (id, folder_id, import_env_id, import_path, position, is_replication, version,
                    created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)""")
                .params(
                        i.id(),
                        i.folderId(),
                        i.importEnvId(),
                        i.importPath(),
                        i.position(),
                        i.isReplication(),
                        i.version(),
                        i.createdAt(),
                        i.updatedAt())
                .update();
    }

    void update(SecretImport i) {
        jdbc.sql(
                        "UPDATE secret_imports SET import_env_id = ?, import_path = ?, position = ?, version = ?, updated_at = ? WHERE id = ?")
                .params(i.importEnvId(), i.importPath(), i.position(), i.version(), i.updatedAt(), i.id())
                .update();
    }

    void setPosition(String id, int position) {
        jdbc.sql("UPDATE secret_imports SET position = ? WHERE id = ?")
                .params(position, id)
                .update();
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM secret_imports WHERE id = ?").param(id).update();
    }
}
