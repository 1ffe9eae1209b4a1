package dev.keyhaven.server.secret;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for tags and the tags attached to secrets. */
@Repository
class TagStore {
    private static final RowMapper<Tag> TAG = (rs, i) -> new Tag(
            rs.getString("id"),
            rs.getString("project_id"),
            rs.getString("slug"),
            rs.getString("name"),
            rs.getString("color"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    TagStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Tag t) {
        jdbc.sql("INSERT INTO tags (id, project_id, slug, name, color, created_at, updated_at) VALUES (?,?,?,?,?,?,?)")
                .params(t.id(), t.projectId(), t.slug(), t.name(), t.color(), t.createdAt(), t.updatedAt())
                .update();
    }

    void update(Tag t) {
        jdbc.sql("UPDATE tags SET slug = ?, name = ?, color = ?, updated_at = ? WHERE id = ?")
                .params(t.slug(), t.name(), t.color(), t.updatedAt(), t.id())
                .update();
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM tags WHERE id = ?").param(id).update();
    }

    List<Tag> list(String projectId) {
        return jdbc.sql("SELECT * FROM tags WHERE project_id = ? ORDER BY slug")
                .param(projectId)
                .query(TAG)
                .list();
    }

    Optional<Tag> find(String projectId, String id) {
        return jdbc.sql("SELECT * FROM tags WHERE project_id = ? AND id = ?")
                .params(projectId, id)
                .query(TAG)
                .optional();
    }

    Optional<Tag> bySlug(String projectId, String slug) {
        return jdbc.sql("SELECT * FROM tags WHERE project_id = ? AND slug = ?")
                .params(projectId, slug)
                .query(TAG)
                .optional();
    }

    /** Tags of every secret in the given folders, keyed by secret id, in one query. */
    Map<String, List<Tag>> forFolders(Collection<String> folderIds) {
        Map<String, List<Tag>> out = new HashMap<>();
        if (folderIds.isEmpty()) {
            return out;
        }
        List<Object> params = new ArrayList<>(folderIds);
        jdbc.sql(
                        "SELECT st.secret_id, t.* FROM secret_tags st JOIN tags t ON t.id = st.tag_id JOIN secrets s ON s.id = st.secret_id "
                                + "WHERE s.folder_id IN (" + "?,".repeat(folderIds.size() - 1) + "?) ORDER BY t.slug")
                .params(params)
                .query(rs -> {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(TAG.mapRow(rs, 0));
                });
        return out;
    }

    List<Tag> forSecret(String secretId) {
        return jdbc.sql(
                        "SELECT t.* FROM secret_tags st JOIN tags t ON t.id = st.tag_id WHERE st.secret_id = ? ORDER BY t.slug")
                .param(secretId)
                .query(TAG)
                .list();
    }

    void replaceSecretTags(String secretId, Collection<String> tagIds) {
        jdbc.sql("DELETE FROM secret_tags WHERE secret_id = ?").param(secretId).update();
        for (String tagId : tagIds) {
            jdbc.sql("INSERT INTO secret_tags (secret_id, tag_id) VALUES (?, ?)")
                    .params(secretId, tagId)
                    .update();
        }
    }
}
