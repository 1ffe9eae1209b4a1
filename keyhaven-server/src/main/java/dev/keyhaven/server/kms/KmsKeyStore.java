package dev.keyhaven.server.kms;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for KMS keys and their sealed versions. */
@Repository
class KmsKeyStore {
    private static final RowMapper<KmsKey> KEY = (rs, i) -> new KmsKey(
            rs.getString("id"),
            rs.getString("org_id"),
            rs.getString("project_id"),
            rs.getString("name"),
            rs.getString("description"),
            KeyUsage.fromWire(rs.getString("key_usage")).orElseThrow(),
            KeySpec.fromWire(rs.getString("algorithm")).orElseThrow(),
            rs.getInt("version"),
            rs.getBoolean("is_disabled"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    /** One sealed version of a key's material. */
    record Version(String keyId, int version, String sealedMaterial, String publicKey) {}

    private final JdbcClient jdbc;

    KmsKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(KmsKey k) {
        jdbc.sql("""
                INSERT INTO kms_keys (id, org_id, project_id, name, description, key_usage, algorithm, version,
                    is_disabled, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)""")
                .params(
                        k.id(),
                        k.orgId(),
                        k.projectId(),
                        k.name(),
                        k.description(),
                        k.usage().wire(),
                        k.spec().wire(),
                        k.version(),
                        k.disabled(),
                        k.createdAt(),
                        k.updatedAt())
                .update();
    }

    void update(KmsKey k) {
        jdbc.sql("""
                UPDATE kms_keys SET name = ?, description = ?, version = ?, is_disabled = ?, updated_at = ?
                WHERE id = ?""")
                .params(k.name(), k.description(), k.version(), k.disabled(), k.updatedAt(), k.id())
                .update();
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM kms_key_versions WHERE key_id = ?").param(id).update();
        jdbc.sql("DELETE FROM kms_keys WHERE id = ?").param(id).update();
    }

    Optional<KmsKey> find(String id) {
        return jdbc.sql("SELECT * FROM kms_keys WHERE id = ?")
                .param(id)
                .query(KEY)
                .optional();
    }

    Optional<KmsKey> findByName(String projectId, String name) {
        return jdbc.sql("SELECT * FROM kms_keys WHERE project_id = ? AND name = ?")
                .params(projectId, name)
                .query(KEY)
                .optional();
    }

    boolean nameTaken(String projectId, String name, String exceptId) {
        return jdbc.sql("SELECT COUNT(*) FROM kms_keys WHERE project_id = ? AND name = ? AND id <> ?")
                        .params(projectId, name, exceptId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** A page of the project's keys whose name contains {@code search} (any case), by name. */
    List<KmsKey> list(String projectId, String search, boolean descending, int offset, int limit) {
        return jdbc.sql("SELECT * FROM kms_keys WHERE project_id = ? AND LOWER(name) LIKE ? ESCAPE '\\' ORDER BY name "
                        + (descending ? "DESC" : "ASC") + ", id LIMIT ? OFFSET ?")
                .params(projectId, pattern(search), limit, offset)
                .query(KEY)
                .list();
    }

    long count(String projectId, String search) {
        return jdbc.sql("SELECT COUNT(*) FROM kms_keys WHERE project_id = ? AND LOWER(name) LIKE ? ESCAPE '\\'")
                .params(projectId, pattern(search))
                .query(Long.class)
                .single();
    }

    private static String pattern(String search) {
        String s = search == null ? "" : search.toLowerCase(java.util.Locale.ROOT);
        return "%" + s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    void insertVersion(Version v, long now) {
        jdbc.sql("""
                INSERT INTO kms_key_versions (key_id, version, sealed_material, public_key, created_at)
                VALUES (?,?,?,?,?)""")
                .params(v.keyId(), v.version(), v.sealedMaterial(), v.publicKey(), now)
                .update();
    }

    Optional<Version> version(String keyId, int version) {
        return jdbc.sql("SELECT * FROM kms_key_versions WHERE key_id = ? AND version = ?")
                .params(keyId, version)
                .query((rs, i) -> new Version(
                        rs.getString("key_id"),
                        rs.getInt("version"),
                        rs.getString("sealed_material"),
                        rs.getString("public_key")))
                .optional();
    }
}
