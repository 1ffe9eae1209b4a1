package dev.keyhaven.server.identity;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** SQL for machine identities. */
@Repository
class IdentityStore {
    private static final TypeReference<List<Map<String, Object>>> META = new TypeReference<>() {};
    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final RowMapper<Identity> mapper;

    IdentityStore(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.mapper = (rs, i) -> new Identity(
                rs.getString("id"),
                rs.getString("org_id"),
                rs.getString("name"),
                json.readValue(rs.getString("metadata"), META),
                rs.getLong("created_at"),
                rs.getLong("updated_at"));
    }

    void insert(Identity identity) {
        jdbc.sql("INSERT INTO identities (id, org_id, name, metadata, created_at, updated_at) VALUES (?,?,?,?,?,?)")
                .params(
                        identity.id(),
                        identity.orgId(),
                        identity.name(),
                        json.writeValueAsString(identity.metadata()),
                        identity.createdAt(),
                        identity.updatedAt())
                .update();
    }

    Optional<Identity> find(String id) {
        return jdbc.sql("SELECT * FROM identities WHERE id = ?")
                .param(id)
                .query(mapper)
                .optional();
    }

    List<Identity> list(String orgId, int offset, int limit) {
        return jdbc.sql("SELECT * FROM identities WHERE org_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?")
                .params(orgId, limit, offset)
                .query(mapper)
                .list();
    }

    long count(String orgId) {
        return jdbc.sql("SELECT COUNT(*) FROM identities WHERE org_id = ?")
                .param(orgId)
                .query(Long.class)
                .single();
    }

    void update(Identity identity) {
        jdbc.sql("UPDATE identities SET name = ?, metadata = ?, updated_at = ? WHERE id = ?")
                .params(
                        identity.name(),
                        json.writeValueAsString(identity.metadata()),
                        identity.updatedAt(),
                        identity.id())
                .update();
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM identities WHERE id = ?").param(id).update();
    }
}
