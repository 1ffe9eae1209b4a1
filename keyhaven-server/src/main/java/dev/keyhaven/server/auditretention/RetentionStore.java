package dev.keyhaven.server.auditretention;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for retention policies, the deletion of old audit rows and the job's lease. */
@Repository
class RetentionStore {
    static final String JOB = "audit-retention";
    private static final RowMapper<RetentionPolicy> POLICY = (rs, i) ->
            new RetentionPolicy(rs.getString(1), rs.getString(2), rs.getObject(3, Integer.class), rs.getBoolean(4));

    private final JdbcClient jdbc;

    RetentionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<RetentionPolicy> find(String scopeId) {
        return jdbc.sql("SELECT org_id, project_id, retention_days, legal_hold FROM audit_retention WHERE scope_id = ?")
                .param(scopeId)
                .query(POLICY)
                .optional();
    }

    /** Projects of {@code orgId} with a policy of their own. */
    List<RetentionPolicy> projectPolicies(String orgId) {
        return jdbc.sql("SELECT org_id, project_id, retention_days, legal_hold FROM audit_retention "
                        + "WHERE org_id = ? AND project_id IS NOT NULL AND retention_days IS NOT NULL")
                .param(orgId)
                .query(POLICY)
                .list();
    }

    void save(String scopeId, RetentionPolicy p, long now) {
        jdbc.sql("""
                INSERT INTO audit_retention (scope_id, org_id, project_id, retention_days, legal_hold, updated_at)
                VALUES (?,?,?,?,?,?)
                ON CONFLICT (scope_id) DO UPDATE SET retention_days = excluded.retention_days,
                    legal_hold = excluded.legal_hold, updated_at = excluded.updated_at""")
                .params(scopeId, p.orgId(), p.projectId(), p.days(), p.legalHold(), now)
                .update();
    }

    /** Every organization, in id order after {@code afterId}, at most {@code limit}. */
    List<String> orgIds(String afterId, int limit) {
        return jdbc.sql("SELECT id FROM organizations WHERE id > ? ORDER BY id LIMIT ?")
                .params(afterId, limit)
                .query(String.class)
                .list();
    }

    /** Deletes up to {@code limit} rows of the org older than {@code before}; how many. */
    int deleteOrgRows(String orgId, long before, int limit) {
        return jdbc.sql("DELETE FROM audit_logs WHERE id IN (SELECT id FROM audit_logs "
                        + "WHERE org_id = ? AND created_at < ? LIMIT ?)")
                .params(orgId, before, limit)
                .update();
    }

    /** Deletes up to {@code limit} rows of the project older than {@code before}; how many. */
    int deleteProjectRows(String orgId, String projectId, long before, int limit) {
        return jdbc.sql("DELETE FROM audit_logs WHERE id IN (SELECT id FROM audit_logs "
                        + "WHERE project_id = ? AND org_id = ? AND created_at < ? LIMIT ?)")
                .params(projectId, orgId, before, limit)
                .update();
    }

    /** Takes the job's lease until {@code until} if it is free (expired) or already ours. */
    boolean claim(String holder, long now, long until) {
        return jdbc.sql(
                                "UPDATE job_leases SET holder = ?, lease_until = ? WHERE name = ? AND (lease_until < ? OR holder = ?)")
                        .params(holder, until, JOB, now, holder)
                        .update()
                == 1;
    }

    void release(String holder) {
        jdbc.sql("UPDATE job_leases SET lease_until = 0 WHERE name = ? AND holder = ?")
                .params(JOB, holder)
                .update();
    }
}
