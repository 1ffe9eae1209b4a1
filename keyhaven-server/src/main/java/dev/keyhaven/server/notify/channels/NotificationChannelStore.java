package dev.keyhaven.server.notify.channels;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for the notification channels an organization configured. */
@Repository
class NotificationChannelStore {
    /** One stored channel; {@code sealedConfig} opens only with the org key (see {@link ChannelSeal}). */
    record Row(
            String id, String orgId, String name, String type, String sealedConfig, long createdAt, long updatedAt) {}

    private static final RowMapper<Row> ROW = (rs, i) -> new Row(
            rs.getString("id"),
            rs.getString("org_id"),
            rs.getString("name"),
            rs.getString("type"),
            rs.getString("sealed_config"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    NotificationChannelStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Row r) {
        jdbc.sql("""
                INSERT INTO notification_channels (id, org_id, name, type, sealed_config, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?)""")
                .params(r.id(), r.orgId(), r.name(), r.type(), r.sealedConfig(), r.createdAt(), r.updatedAt())
                .update();
    }

    void update(Row r) {
        jdbc.sql("UPDATE notification_channels SET name = ?, sealed_config = ?, updated_at = ? WHERE id = ?")
                .params(r.name(), r.sealedConfig(), r.updatedAt(), r.id())
                .update();
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM notification_channels WHERE id = ?").param(id).update();
    }

    Optional<Row> byId(String id) {
        return jdbc.sql("SELECT * FROM notification_channels WHERE id = ?")
                .param(id)
                .query(ROW)
                .optional();
    }

    Optional<Row> byName(String orgId, String name) {
        return jdbc.sql("SELECT * FROM notification_channels WHERE org_id = ? AND name = ?")
                .params(orgId, name)
                .query(ROW)
                .optional();
    }

    List<Row> list(String orgId) {
        return jdbc.sql("SELECT * FROM notification_channels WHERE org_id = ? ORDER BY name")
                .param(orgId)
                .query(ROW)
                .list();
    }
}
