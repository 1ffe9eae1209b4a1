package dev.keyhaven.server.secret;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for folder trees. Paths are stored whole, so a path resolves in one indexed lookup. */
@Repository
class FolderStore {
    static final RowMapper<Folder> FOLDER = (rs, i) -> new Folder(
            rs.getString("id"),
            rs.getString("env_id"),
            rs.getString("parent_id"),
            rs.getString("name"),
            rs.getString("path"),
            rs.getString("description"),
            rs.getInt("version"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    FolderStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Folder f) {
        jdbc.sql("""
                INSERT INTO folders (id, env_id, parent_id, name, path, description, version, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?,?)""")
                .params(
                        f.id(),
                        f.envId(),
                        f.parentId(),
                        f.name(),
                        f.path(),
                        f.description(),
                        f.version(),
                        f.createdAt(),
                        f.updatedAt())
                .update();
    }

    Optional<Folder> byPath(String envId, String path) {
        return jdbc.sql("SELECT * FROM folders WHERE env_id = ? AND path = ?")
                .params(envId, path)
                .query(FOLDER)
                .optional();
    }

    /** The folders of an environment at any of {@code paths}, in one query per 500 paths. */
    List<Folder> byPaths(String envId, List<String> paths) {
        List<Folder> out = new java.util.ArrayList<>();
        for (int from = 0; from < paths.size(); from += 500) {
            List<String> chunk = paths.subList(from, Math.min(paths.size(), from + 500));
            List<Object> params = new java.util.ArrayList<>(chunk.size() + 1);
            params.add(envId);
            params.addAll(chunk);
            out.addAll(jdbc.sql("SELECT * FROM folders WHERE env_id = ? AND path IN (" + "?,".repeat(chunk.size() - 1)
                            + "?)")
                    .params(params)
                    .query(FOLDER)
                    .list());
        }
        return out;
    }

    Optional<Folder> byId(String id) {
        return jdbc.sql("SELECT * FROM folders WHERE id = ?")
                .param(id)
                .query(FOLDER)
                .optional();
    }

    List<Folder> children(String parentId) {
        return jdbc.sql("SELECT * FROM folders WHERE parent_id = ? ORDER BY name")
                .param(parentId)
                .query(FOLDER)
                .list();
    }

    /** The folder at {@code path} and everything below it. */
    List<Folder> subtree(String envId, String path) {
        if (SecretPath.ROOT.equals(path)) {
            return jdbc.sql("SELECT * FROM folders WHERE env_id = ? ORDER BY path")
                    .param(envId)
                    .query(FOLDER)
                    .list();
        }
        return jdbc.sql("SELECT * FROM folders WHERE env_id = ? AND (path = ? OR substr(path, 1, ?) = ?) ORDER BY path")
                .params(envId, path, path.length() + 1, path + "/")
                .query(FOLDER)
                .list();
    }

    void rename(String id, String name, String description, long now) {
        jdbc.sql("UPDATE folders SET name = ?, description = ?, version = version + 1, updated_at = ? WHERE id = ?")
                .params(name, description, now, id)
                .update();
    }

    void setPath(String id, String path) {
        jdbc.sql("UPDATE folders SET path = ? WHERE id = ?").params(path, id).update();
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM folders WHERE id = ?").param(id).update();
    }
}
