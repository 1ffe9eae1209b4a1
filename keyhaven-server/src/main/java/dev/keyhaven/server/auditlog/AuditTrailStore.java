package dev.keyhaven.server.auditlog;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Filtered reads of the audit rows that {@code audit.AuditLog} records. */
@Repository
class AuditTrailStore {
    record Row(
            String id,
            String orgId,
            String projectId,
            String projectName,
            String actorType,
            String actorId,
            String actorMetadata,
            String eventType,
            String eventMetadata,
            String ipAddress,
            String userAgent,
            String userAgentType,
            long createdAt,
            Long expiresAt) {}

    record Filter(
            String orgId,
            String projectId,
            String actorType,
            String actorId,
            List<String> eventTypes,
            String userAgentType,
            long start,
            long end,
            int offset,
            int limit) {}

    private final JdbcClient jdbc;

    AuditTrailStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
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
            sql.append(" AND event_type IN (")
                    .append("?,".repeat(f.eventTypes().size() - 1))
                    .append("?)");
            params.addAll(f.eventTypes());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?");
        params.add(f.limit());
        params.add(f.offset());
        return jdbc.sql(sql.toString())
                .params(params)
                .query((rs, i) -> new Row(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getString(10),
                        rs.getString(11),
                        rs.getString(12),
                        rs.getLong(13),
                        (Long) rs.getObject(14) == null ? null : rs.getLong(14)))
                .list();
    }
}
