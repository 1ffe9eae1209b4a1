package dev.keyhaven.server.dynamic;

import dev.keyhaven.server.platform.db.Dialect;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for leases. A revocation (at expiry or on request) first claims the lease with one
 * conditional UPDATE that succeeds only on an unclaimed (or expired) claim; on PostgreSQL the
 * sweeper's inner SELECT takes due rows {@code FOR UPDATE SKIP LOCKED}, so nodes sweeping at once
 * split them. Later writes name the claim, so a node whose claim ran out cannot undo another's work.
 */
@Repository
class LeaseStore {
    record Row(
            String id,
            String dynamicSecretId,
            String projectId,
            String externalEntityId,
            long expireAt,
            int version,
            String status,
            String statusDetails,
            int attempts,
            long nextAttemptAt,
            String claimedBy,
            Long claimedUntil,
            long createdAt,
            long updatedAt) {}

    private static final RowMapper<Row> ROW = (rs, i) -> new Row(
            rs.getString("id"),
            rs.getString("dynamic_secret_id"),
            rs.getString("project_id"),
            rs.getString("external_entity_id"),
            rs.getLong("expire_at"),
            rs.getInt("version"),
            rs.getString("status"),
            rs.getString("status_details"),
            rs.getInt("attempts"),
            rs.getLong("next_attempt_at"),
            rs.getString("claimed_by"),
            rs.getObject("claimed_until") == null ? null : rs.getLong("claimed_until"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;
    private final Dialect dialect;

    LeaseStore(JdbcClient jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    void insert(Row r) {
        jdbc.sql("""
                INSERT INTO dynamic_secret_leases (id, dynamic_secret_id, project_id, external_entity_id, expire_at,
                    version, status, status_details, attempts, next_attempt_at, claimed_by, claimed_until,
                    created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""")
                .params(
                        r.id(),
                        r.dynamicSecretId(),
                        r.projectId(),
                        r.externalEntityId(),
                        r.expireAt(),
                        r.version(),
                        r.status(),
                        r.statusDetails(),
                        r.attempts(),
                        r.nextAttemptAt(),
                        r.claimedBy(),
                        r.claimedUntil(),
                        r.createdAt(),
                        r.updatedAt())
                .update();
    }

    Optional<Row> byId(String id) {
        return jdbc.sql("SELECT * FROM dynamic_secret_leases WHERE id = ?")
                .param(id)
                .query(ROW)
                .optional();
    }

    List<Row> ofSecret(String dynamicSecretId, int limit) {
        return jdbc.sql(
                        "SELECT * FROM dynamic_secret_leases WHERE dynamic_secret_id = ? ORDER BY created_at, id LIMIT ?")
                .params(dynamicSecretId, limit)
                .query(ROW)
                .list();
    }

    int countOfSecret(String dynamicSecretId) {
        return jdbc.sql("SELECT COUNT(*) FROM dynamic_secret_leases WHERE dynamic_secret_id = ?")
                .param(dynamicSecretId)
                .query(Integer.class)
                .single();
    }

    /** Moves the expiry (renewal) unless the lease is being revoked; false when it is. */
    boolean renew(String id, long expireAt, long now) {
        return jdbc.sql("""
                        UPDATE dynamic_secret_leases SET expire_at = ?, next_attempt_at = ?, version = version + 1,
                            updated_at = ? WHERE id = ? AND (claimed_until IS NULL OR claimed_until < ?)""").params(expireAt, expireAt, now, id, now).update() == 1;
    }

    /** Claims one lease for revocation on request; false when another revocation holds it. */
    boolean claim(String id, String claim, long now, long until) {
        return jdbc.sql("""
                        UPDATE dynamic_secret_leases SET claimed_by = ?, claimed_until = ?
                        WHERE id = ? AND (claimed_until IS NULL OR claimed_until < ?)""").params(claim, until, id, now).update() == 1;
    }

    /** Claims up to {@code limit} due leases (expired, and past any retry wait) for the sweeper. */
    List<Row> claimDue(String claim, long now, long until, int limit) {
        String lock = dialect == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
        int n = jdbc.sql("UPDATE dynamic_secret_leases SET claimed_by = :claim, claimed_until = :until"
                        + " WHERE id IN (SELECT l.id FROM dynamic_secret_leases l WHERE l.next_attempt_at <= :now"
                        + " AND (l.claimed_until IS NULL OR l.claimed_until < :now)"
                        + " ORDER BY l.next_attempt_at LIMIT :limit" + lock + ")")
                .param("claim", claim)
                .param("until", until)
                .param("now", now)
                .param("limit", limit)
                .update();
        if (n == 0) {
            return List.of();
        }
        return jdbc.sql("SELECT * FROM dynamic_secret_leases WHERE claimed_by = ? ORDER BY next_attempt_at")
                .param(claim)
                .query(ROW)
                .list();
    }

    /** Removes a revoked lease, if the claim is still the caller's. */
    boolean deleteClaimed(String id, String claim) {
        return jdbc.sql("DELETE FROM dynamic_secret_leases WHERE id = ? AND claimed_by = ?")
                        .params(id, claim)
                        .update()
                == 1;
    }

    /** Records a failed revocation and when to try again, releasing the claim. */
    void failed(String id, String claim, String details, long nextAttemptAt, long now) {
        jdbc.sql("""
                UPDATE dynamic_secret_leases SET status = 'FailedDeletion', status_details = ?, attempts = attempts + 1,
                    next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL, updated_at = ?
                WHERE id = ? AND claimed_by = ?""").params(details, nextAttemptAt, now, id, claim).update();
    }

    /** Gives a claim back without changing anything else (a revocation on request that failed). */
    void release(String id, String claim) {
        jdbc.sql(
                        "UPDATE dynamic_secret_leases SET claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?")
                .params(id, claim)
                .update();
    }
}
