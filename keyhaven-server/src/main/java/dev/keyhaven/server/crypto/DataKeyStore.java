package dev.keyhaven.server.crypto;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for wrapped data keys and the instance's root-key check value. */
@Repository
class DataKeyStore {
    /** A wrapped key; {@code rootKeyId} names the root key that wrapped it (null when unknown or not root-wrapped). */
    record WrappedKey(String id, String scope, String ownerId, String parentId, String wrappedKey, String rootKeyId) {}

    private static final String COLUMNS = "id, scope, owner_id, parent_id, wrapped_key, root_key_id";
    private static final RowMapper<WrappedKey> ROW = (rs, i) -> new WrappedKey(
            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6));

    private final JdbcClient jdbc;

    DataKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(
            String id, String scope, String ownerId, String parentId, String wrappedKey, String rootKeyId, long now) {
        jdbc.sql("INSERT INTO data_keys (id, scope, owner_id, parent_id, wrapped_key, root_key_id, created_at) "
                        + "VALUES (?,?,?,?,?,?,?)")
                .params(id, scope, ownerId, parentId, wrappedKey, rootKeyId, now)
                .update();
    }

    /** Inserts the key unless another node already made one for the same owner. */
    void insertIfAbsent(String id, String scope, String ownerId, String wrappedKey, String rootKeyId, long now) {
        jdbc.sql("""
                INSERT INTO data_keys (id, scope, owner_id, parent_id, wrapped_key, root_key_id, created_at)
                VALUES (?,?,?,NULL,?,?,?) ON CONFLICT (scope, owner_id) DO NOTHING""").params(id, scope, ownerId, wrappedKey, rootKeyId, now).update();
    }

    Optional<WrappedKey> find(String scope, String ownerId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM data_keys WHERE scope = ? AND owner_id = ?")
                .params(scope, ownerId)
                .query(ROW)
                .optional();
    }

    /**
     * Up to {@code limit} root-wrapped keys not (known to be) wrapped by {@code rootKeyId}, in id
     * order after {@code afterId} (a page cursor; {@code ""} for the first page).
     */
    List<WrappedKey> notWrappedBy(String rootKeyId, String afterId, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM data_keys WHERE scope IN ('org', 'instance', 'digest') "
                        + "AND (root_key_id IS NULL OR root_key_id <> ?) AND id > ? ORDER BY id LIMIT ?")
                .params(rootKeyId, afterId, limit)
                .query(ROW)
                .list();
    }

    /**
     * Replaces a key's wrapped form if it is still {@code expected} (another node may have re-wrapped
     * it meanwhile: then nothing changes and this returns false).
     */
    boolean rewrap(String id, String expected, String wrappedKey, String rootKeyId) {
        return jdbc.sql("UPDATE data_keys SET wrapped_key = ?, root_key_id = ? WHERE id = ? AND wrapped_key = ?")
                        .params(wrappedKey, rootKeyId, id, expected)
                        .update()
                == 1;
    }

    /** How many root-wrapped keys each root key wrapped ({@code "unknown"} for rows from before ids were kept). */
    Map<String, Long> countByRootKey() {
        Map<String, Long> out = new LinkedHashMap<>();
        jdbc.sql("SELECT COALESCE(root_key_id, 'unknown'), COUNT(*) FROM data_keys "
                        + "WHERE scope IN ('org', 'instance', 'digest') GROUP BY root_key_id ORDER BY 1")
                .query(rs -> {
                    out.put(rs.getString(1), rs.getLong(2));
                });
        return out;
    }

    /** True while nothing is sealed yet: no data key and no root-key check value {@code checkName}. */
    boolean isNew(String checkName) {
        return jdbc.sql("SELECT 1 FROM data_keys LIMIT 1")
                        .query(Integer.class)
                        .optional()
                        .isEmpty()
                && meta(checkName).isEmpty();
    }

    Optional<String> meta(String name) {
        return jdbc.sql("SELECT value FROM instance_meta WHERE name = ?")
                .param(name)
                .query(String.class)
                .optional();
    }

    /** Inserts the value unless another node already did; returns the value now stored. */
    String putMetaIfAbsent(String name, String value) {
        jdbc.sql("INSERT INTO instance_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
                .params(name, value)
                .update();
        return meta(name).orElseThrow();
    }

    /** Replaces a value if it is still {@code expected}; false when another node changed it first. */
    boolean replaceMeta(String name, String expected, String value) {
        return jdbc.sql("UPDATE instance_meta SET value = ? WHERE name = ? AND value = ?")
                        .params(value, name, expected)
                        .update()
                == 1;
    }
}
