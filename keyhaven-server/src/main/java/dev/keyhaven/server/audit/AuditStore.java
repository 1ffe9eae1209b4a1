package dev.keyhaven.server.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/**
 * SQL that records audit rows, inside the caller's transaction, for {@link DatabaseAuditSink}.
 * Reading them is {@code auditlog}'s.
 */
@Repository
class AuditStore {
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

    void insert(RecordedEvent r) {
        jdbc.sql(INSERT).params(values(r)).update();
    }

    /** Inserts many rows in one JDBC batch (inside the caller's transaction). */
    void insertAll(List<RecordedEvent> rows) {
        List<Object[]> args = new ArrayList<>(rows.size());
        for (RecordedEvent r : rows) {
            args.add(values(r).toArray());
        }
        batch.batchUpdate(INSERT, args);
    }

    private List<Object> values(RecordedEvent r) {
        AuditEvent e = r.event();
        return java.util.Arrays.asList(
                r.id(),
                e.orgId(),
                e.projectId(),
                e.projectName(),
                e.actorType(),
                e.actorId(),
                json.writeValueAsString(e.actorMetadata()),
                e.eventType().wire(),
                json.writeValueAsString(e.metadata() == null ? Map.of() : e.metadata()),
                e.ipAddress(),
                e.userAgent(),
                r.userAgentType(),
                r.recordedAt(),
                null);
    }
}
