package dev.keyhaven.server.auditstream;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for {@code audit_log_streams}: the non-secret configuration as JSON, the credentials sealed. */
@Repository
class AuditStreamStore {
    /** A stored stream; {@code credentials} is the sealed form (or null). */
    record Row(
            String id,
            String orgId,
            String provider,
            String config,
            String credentials,
            long createdAt,
            long updatedAt) {
        @Override
        public String toString() {
            return dev.keyhaven.server.platform.log.Redaction.toString(this);
        }
    }

    /** What a delivery or the sink needs to know of a stream. */
    record Target(String id, String provider) {}

    private static final String COLUMNS = "id, org_id, provider, config, credentials, created_at, updated_at";

    private final JdbcClient jdbc;

    AuditStreamStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Row r) {
        jdbc.sql("INSERT INTO audit_log_streams (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?)")
                .params(r.id(), r.orgId(), r.provider(), r.config(), r.credentials(), r.createdAt(), r.updatedAt())
                .update();
    }

    void update(Row r) {
        jdbc.sql("UPDATE audit_log_streams SET config = ?, credentials = ?, updated_at = ? WHERE id = ? AND org_id = ?")
                .params(r.config(), r.credentials(), r.updatedAt(), r.id(), r.orgId())
                .update();
    }

    boolean delete(String orgId, String id) {
        return jdbc.sql("DELETE FROM audit_log_streams WHERE id = ? AND org_id = ?")
                        .params(id, orgId)
                        .update()
                > 0;
    }

    Optional<Row> find(String orgId, String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit_log_streams WHERE id = ? AND org_id = ?")
                .params(id, orgId)
                .query(AuditStreamStore::row)
                .optional();
    }

    /** A stream by id alone, for delivery (the outbox item names the stream, not its org). */
    Optional<Row> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit_log_streams WHERE id = ?")
                .param(id)
                .query(AuditStreamStore::row)
                .optional();
    }

    List<Row> list(String orgId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit_log_streams WHERE org_id = ? ORDER BY created_at, id")
                .param(orgId)
                .query(AuditStreamStore::row)
                .list();
    }

    List<Target> targets(String orgId) {
        return jdbc.sql("SELECT id, provider FROM audit_log_streams WHERE org_id = ? ORDER BY created_at, id")
                .param(orgId)
                .query((rs, i) -> new Target(rs.getString(1), rs.getString(2)))
                .list();
    }

    private static Row row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Row(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getLong(6),
                rs.getLong(7));
    }
}
