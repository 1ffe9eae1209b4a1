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

/**
 * SQL for secrets and their immutable versions. Updates name the version they replace, so a
 * concurrent writer that got there first makes the update touch no row.
 */
@Repository
class SecretStore {
    private static final String COLUMNS =
            "id, project_id, env_id, folder_id, secret_key, type, owner_id, version, value_ct, "
                    + "comment_ct, metadata, skip_multiline, reminder_note, reminder_repeat_days, created_at, updated_at";
    private static final RowMapper<SecretRow> ROW = (rs, i) -> new SecretRow(
            rs.getString(1),
            rs.getString(2),
            rs.getString(3),
            rs.getString(4),
            rs.getString(5),
            rs.getString(6),
            rs.getString(7),
            rs.getInt(8),
            rs.getString(9),
            rs.getString(10),
            rs.getString(11),
            rs.getBoolean(12),
            rs.getString(13),
            rs.getObject(14) == null ? null : rs.getInt(14),
            rs.getLong(15),
            rs.getLong(16));

    record VersionRow(SecretRow secret, String tagsJson, boolean deleted, String actorType, String actorId) {}

    private final JdbcClient jdbc;

    SecretStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Shared secrets of the given folders of the project, plus the personal ones of
     * {@code ownerId} when given, by name. Project, environment and owner are known from the
     * question, so only the columns that differ per secret are read (on SQLite every column read
     * costs a native call). Also says whether any of them has a tag, so that the tag query can
     * be skipped when none has.
     */
    FolderRows inFolders(String projectId, Collection<Folder> folders, String ownerId) {
        if (folders.isEmpty()) {
            return new FolderRows(List.of(), false);
        }
        String owner = ownerId == null ? "" : ownerId;
        Map<String, Folder> byId = new HashMap<>();
        List<Object> params = new ArrayList<>();
        for (Folder f : folders) {
            byId.put(f.id(), f);
            params.add(f.id());
        }
        params.add(projectId);
        params.add(owner);
        boolean[] tagged = {false};
        List<SecretRow> rows = jdbc.sql(
                        "SELECT folder_id, id, secret_key, type, version, value_ct, comment_ct, metadata, "
                                + "skip_multiline, reminder_note, reminder_repeat_days, created_at, updated_at, "
                                + "EXISTS (SELECT 1 FROM secret_tags st WHERE st.secret_id = secrets.id) "
                                + "FROM secrets WHERE folder_id IN ("
                                + "?,".repeat(folders.size() - 1)
                                + "?) AND project_id = ? AND (owner_id = '' OR owner_id = ?) "
                                + "ORDER BY secret_key, type")
                .params(params)
                .query((rs, i) -> {
                    Folder folder = byId.get(rs.getString(1));
                    tagged[0] |= rs.getBoolean(14);
                    String type = rs.getString(4);
                    return new SecretRow(
                            rs.getString(2),
                            projectId,
                            folder.envId(),
                            folder.id(),
                            rs.getString(3),
                            type,
                            SecretRow.SHARED.equals(type) ? "" : owner,
                            rs.getInt(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getBoolean(9),
                            rs.getString(10),
                            rs.getObject(11) == null ? null : rs.getInt(11),
                            rs.getLong(12),
                            rs.getLong(13));
                })
                .list();
        return new FolderRows(rows, tagged[0]);
    }

    /** The secrets of some folders, and whether any of them has a tag. */
    record FolderRows(List<SecretRow> rows, boolean anyTagged) {}

    Optional<SecretRow> find(String folderId, String key, String type, String ownerId) {
        return jdbc.sql("SELECT " + COLUMNS
                        + " FROM secrets WHERE folder_id = ? AND secret_key = ? AND type = ? AND owner_id = ?")
                .params(folderId, key, type, ownerId == null ? "" : ownerId)
                .query(ROW)
                .optional();
    }

    /** The personal overrides (of every user) of the shared secret {@code key} in a folder. */
    List<SecretRow> overridesOf(String folderId, String key) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM secrets WHERE folder_id = ? AND secret_key = ? AND type = ?")
                .params(folderId, key, SecretRow.PERSONAL)
                .query(ROW)
                .list();
    }

    /** A reminder note still in clear (see {@link ClearReminderNotes}), in a secret or one of its versions. */
    record ClearNote(String secretId, String projectId, int version, String note) {}

    List<ClearNote> clearNotes(boolean history, int limit) {
        String table = history ? "secret_versions" : "secrets";
        String id = history ? "secret_id" : "id";
        return jdbc.sql("SELECT " + id + ", project_id, version, reminder_note FROM " + table
                        + " WHERE reminder_note LIKE '" + SecretSealer.CLEAR_NOTE + "%' ORDER BY " + id
                        + ", version LIMIT ?")
                .param(limit)
                .query((rs, i) -> new ClearNote(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)))
                .list();
    }

    /** Whether the migration that marked clear notes left any to seal (a marker row, not a scan). */
    boolean clearNotesPending() {
        return jdbc.sql("SELECT COUNT(*) FROM instance_meta WHERE name = 'clear-reminder-notes'")
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** Every clear note is sealed: later starts need not look. */
    void clearNotesDone() {
        jdbc.sql("DELETE FROM instance_meta WHERE name = 'clear-reminder-notes'")
                .update();
    }

    /** Replaces a clear note with its sealed form, if the row still holds it. */
    boolean replaceNote(boolean history, ClearNote n, String sealed) {
        String table = history ? "secret_versions" : "secrets";
        String id = history ? "secret_id" : "id";
        return jdbc.sql("UPDATE " + table + " SET reminder_note = ? WHERE " + id
                                + " = ? AND version = ? AND reminder_note = ?")
                        .params(sealed, n.secretId(), n.version(), n.note())
                        .update()
                == 1;
    }

    long countInEnvironment(String envId) {
        // through the folders, whose (env_id, path) and (folder_id, ...) keys are indexed
        return jdbc.sql("SELECT COUNT(*) FROM secrets s JOIN folders f ON f.id = s.folder_id WHERE f.env_id = ?")
                .param(envId)
                .query(Long.class)
                .single();
    }

    Optional<SecretRow> byId(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM secrets WHERE id = ?")
                .param(id)
                .query(ROW)
                .optional();
    }

    void insert(SecretRow s) {
        jdbc.sql("INSERT INTO secrets (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
                .params(
                        s.id(),
                        s.projectId(),
                        s.envId(),
                        s.folderId(),
                        s.key(),
                        s.type(),
                        s.ownerId(),
                        s.version(),
                        s.valueCt(),
                        s.commentCt(),
                        s.metadataJson(),
                        s.skipMultiline(),
                        s.reminderNote(),
                        s.reminderRepeatDays(),
                        s.createdAt(),
                        s.updatedAt())
                .update();
    }

    /** Writes the next version over {@code expectedVersion}; false when another writer moved it on. */
    boolean update(SecretRow s, int expectedVersion) {
        return jdbc.sql("""
                UPDATE secrets SET secret_key = ?, version = ?, value_ct = ?, comment_ct = ?, metadata = ?,
                    skip_multiline = ?, reminder_note = ?, reminder_repeat_days = ?, updated_at = ?
                WHERE id = ? AND version = ?""")
                        .params(
                                s.key(),
                                s.version(),
                                s.valueCt(),
                                s.commentCt(),
                                s.metadataJson(),
                                s.skipMultiline(),
                                s.reminderNote(),
                                s.reminderRepeatDays(),
                                s.updatedAt(),
                                s.id(),
                                expectedVersion)
                        .update()
                == 1;
    }

    boolean delete(String id, int expectedVersion) {
        return jdbc.sql("DELETE FROM secrets WHERE id = ? AND version = ?")
                        .params(id, expectedVersion)
                        .update()
                == 1;
    }

    void insertVersion(String id, VersionRow v, long now) {
        SecretRow s = v.secret();
        jdbc.sql("""
                INSERT INTO secret_versions (id, secret_id, project_id, folder_id, version, secret_key, type, owner_id,
                    value_ct, comment_ct, metadata, tags, skip_multiline, reminder_note, reminder_repeat_days,
                    is_deleted, actor_type, actor_id, created_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""")
                .params(
                        id,
                        s.id(),
                        s.projectId(),
                        s.folderId(),
                        s.version(),
                        s.key(),
                        s.type(),
                        s.ownerId(),
                        s.valueCt(),
                        s.commentCt(),
                        s.metadataJson(),
                        v.tagsJson(),
                        s.skipMultiline(),
                        s.reminderNote(),
                        s.reminderRepeatDays(),
                        v.deleted(),
                        v.actorType(),
                        v.actorId(),
                        now)
                .update();
    }

    /** A past version of a secret, as it was written (tags as JSON ids). */
    Optional<VersionRow> version(String secretId, int version) {
        return jdbc.sql("""
                SELECT secret_id, project_id, folder_id, secret_key, type, owner_id, version, value_ct, comment_ct,
                       metadata, skip_multiline, reminder_note, reminder_repeat_days, created_at, tags, is_deleted,
                       actor_type, actor_id
                FROM secret_versions WHERE secret_id = ? AND version = ?""")
                .params(secretId, version)
                .query((rs, i) -> new VersionRow(
                        new SecretRow(
                                rs.getString(1),
                                rs.getString(2),
                                null,
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getInt(7),
                                rs.getString(8),
                                rs.getString(9),
                                rs.getString(10),
                                rs.getBoolean(11),
                                rs.getString(12),
                                rs.getObject(13) == null ? null : rs.getInt(13),
                                rs.getLong(14),
                                rs.getLong(14)),
                        rs.getString(15),
                        rs.getBoolean(16),
                        rs.getString(17),
                        rs.getString(18)))
                .optional();
    }
}
