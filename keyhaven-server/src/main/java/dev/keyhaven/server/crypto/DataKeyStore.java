package dev.keyhaven.server.crypto;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for wrapped data keys and the instance's root-key check value. */
@Repository
class DataKeyStore {
    record WrappedKey(String id, String scope, String ownerId, String parentId, String wrappedKey) {}

    private final JdbcClient jdbc;

    DataKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String id, String scope, String ownerId, String parentId, String wrappedKey, long now) {
        jdbc.sql("INSERT INTO data_keys (id, scope, owner_id, parent_id, wrapped_key, created_at) VALUES (?,?,?,?,?,?)")
                .params(id, scope, ownerId, parentId, wrappedKey, now)
                .update();
    }

    /** Inserts the key unless another node already made one for the same owner. */
    void insertIfAbsent(String id, String scope, String ownerId, String wrappedKey, long now) {
        jdbc.sql("""
                INSERT INTO data_keys (id, scope, owner_id, parent_id, wrapped_key, created_at) VALUES (?,?,?,NULL,?,?)
                ON CONFLICT (scope, owner_id) DO NOTHING""").params(id, scope, ownerId, wrappedKey, now).update();
    }

    Optional<WrappedKey> find(String scope, String ownerId) {
        return jdbc.sql(
                        "SELECT id, scope, owner_id, parent_id, wrapped_key FROM data_keys WHERE scope = ? AND owner_id = ?")
                .params(scope, ownerId)
                .query((rs, i) -> new WrappedKey(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)))
                .optional();
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
}
