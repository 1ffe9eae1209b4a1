package dev.keyhaven.server.audit;

import dev.keyhaven.server.platform.db.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/** SQL for audit rows: insert inside the caller's transaction, and filtered reads. */
@Repository
class AuditStore {
    record Row(String id, String orgId, String projectId, String projectName, String actorType, String actorId,
            String actorMetadata, String eventType, String eventMetadata, String ipAddress, String userAgent,
            String userAgentType, long createdAt, Long expiresAt) {}

    record Filter(String orgId, String projectId, String actorType, String actorId, List<String> eventTypes,
            String userAgentType, long start, long end, int offset, int limit) {}

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final ObjectMapper json;

    AuditStore(JdbcClient jdbc, DataSource dataSource, ObjectMapper json) {
        this.jdbc = jdbc;
        this.batch = new JdbcTemplate(dataSource);
        this.json = json;
    }

    private static final String INSERT = """
            INSERT INTO audit_logs (id, org_id, project_id, project_name, actor_type, actor_id, actor_metadata,
                event_type, event_metadata, ip_address, user_agent, user_agent_type, created_at, expires_at)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""";

    void insert(AuditEvent e, String userAgentType, long now) {
        jdbc.sql(INSERT).params(values(e, userAgentType, now)).update();
    }

    /** Inserts many rows in one JDBC batch (inside the caller's transaction). */
    void insertAll(List<ReadAuditBatcher.Pending> rows) {
        List<Object[]> args = new ArrayList<>(rows.size());
        for (ReadAuditBatcher.Pending p : rows) {
            args.add(values(p.event(), p.userAgentType(), p.at()).toArray());
        }
        batch.batchUpdate(INSERT, args);
    }

    private List<Object> values(AuditEvent e, String userAgentType, long now) {
        return java.util.Arrays.asList(Ids.newId(), e.orgId(), e.projectId(), e.projectName(), e.actorType(), e.actorId(),
                json.writeValueAsString(e.actorMetadata()), e.eventType(),
                json.writeValueAsString(e.metadata() == null ? Map.of() : e.metadata()), e.ipAddress(), e.userAgent(),
                userAgentType, now, null);
    }

    List<Row> find(Filter f) {
        StringBuilder sql = new StringBuilder("""
                SELECT id, org_id, project_id, project_name, actor_type, actor_id, actor_metadata, event_type,
                       event_metadata, ip_address, user_agent, user_agent_type, created_at, expires_at
                FROM audit_logs WHERE org_id = ? AND created_at >= ? AND created_at <= ?""");
        List<Object> params = new ArrayList<>(List.of(f.orgId(), f.start(), f.end()));
        if (f.projectId() != null) {
            sql.append(" AND project_id = ?");
            params.add(f.projectId());
        }
        if (f.actorType() != null) {
            sql.append(" AND actor_type = ?");
            params.add(f.actorType());
        }
        if (f.actorId() != null) {
            sql.append(" AND actor_id = ?");
            params.add(f.actorId());
        }
        if (f.userAgentType() != null) {
            sql.append(" AND user_agent_type = ?");
            params.add(f.userAgentType());
        }
        if (f.eventTypes() != null && !f.eventTypes().isEmpty()) {
            sql.append(" AND event_type IN (").append("?,".repeat(f.eventTypes().size() - 1)).append("?)");
            params.addAll(f.eventTypes());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?");
        params.add(f.limit());
        params.add(f.offset());
        return jdbc.sql(sql.toString()).params(params)
                .query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                        rs.getString(10), rs.getString(11), rs.getString(12), rs.getLong(13),
                        (Long) rs.getObject(14) == null ? null : rs.getLong(14)))
                .list();
    }
}
