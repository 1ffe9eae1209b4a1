package dev.keyhaven.server.outbox;

import dev.keyhaven.server.platform.db.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for the outbox table. A claim is one conditional UPDATE that sets the lease on due, unclaimed
 * (or expired) items: on PostgreSQL its inner SELECT takes the rows {@code FOR UPDATE SKIP LOCKED},
 * so nodes claiming at once split the items instead of queueing on each other; on SQLite, with one
 * writer at a time, the UPDATE alone is atomic. Every later write names the claim, so a dispatcher
 * whose lease ran out and was taken over changes nothing.
 */
@Repository
class OutboxStore {
    static final String PENDING = "pending";
    static final String DELIVERED = "delivered";
    static final String DEAD = "dead";

    /** A claimed item, its payload still sealed. */
    record Claimed(
            String id,
            String destination,
            String target,
            String sealedPayload,
            int attempts,
            String claim,
            long claimedUntil) {
        @Override
        public String toString() {
            return "Claimed[id=" + id + ", destination=" + destination + ", attempts=" + attempts + "]";
        }
    }

    /** What an admin may see of an item: everything but the payload. */
    record Row(
            String id,
            String destination,
            String target,
            String state,
            int attempts,
            long nextAttemptAt,
            String claimedBy,
            Long claimedUntil,
            String lastError,
            long createdAt,
            long updatedAt,
            Long deliveredAt) {}

    private static final String DUE = """
            o.state = 'pending' AND o.next_attempt_at <= :now
              AND (o.claimed_until IS NULL OR o.claimed_until < :now)
              AND o.attempts < :maxAttempts
              AND o.destination IN (:destinations)
              AND (o.ordering_key IS NULL OR NOT EXISTS (
                  SELECT 1 FROM outbox_items e
                  WHERE e.ordering_key = o.ordering_key AND e.seq < o.seq AND e.state = 'pending'))""";

    private final JdbcClient jdbc;
    private final Dialect dialect;

    OutboxStore(JdbcClient jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    void insert(String id, String destination, String target, String orderingKey, String sealedPayload, long now) {
        jdbc.sql("""
                INSERT INTO outbox_items (id, destination, target, ordering_key, payload, state, attempts,
                    next_attempt_at, created_at, updated_at)
                VALUES (?,?,?,?,?,'pending',0,?,?,?)""")
                .params(id, destination, target, orderingKey, sealedPayload, now, now, now)
                .update();
    }

    /** Whether any item is due for these destinations: a read, so an idle SQLite node takes no write lock. */
    boolean anyDue(Collection<String> destinations, long now, int maxAttempts) {
        return !jdbc.sql("SELECT o.id FROM outbox_items o WHERE " + DUE + " LIMIT 1")
                .param("now", now)
                .param("maxAttempts", maxAttempts)
                .param("destinations", destinations)
                .query(String.class)
                .list()
                .isEmpty();
    }

    /** Leases up to {@code limit} due items to {@code claim}, counting an attempt on each; returns them in order. */
    List<Claimed> claim(
            String claim, Collection<String> destinations, long now, long until, int limit, int maxAttempts) {
        String lock = dialect == Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
        int claimed = jdbc.sql("UPDATE outbox_items SET claimed_by = :claim, claimed_until = :until,"
                        + " attempts = attempts + 1, updated_at = :now"
                        + " WHERE id IN (SELECT o.id FROM outbox_items o WHERE " + DUE
                        + " ORDER BY o.seq LIMIT :limit" + lock + ")")
                .param("claim", claim)
                .param("until", until)
                .param("now", now)
                .param("maxAttempts", maxAttempts)
                .param("destinations", destinations)
                .param("limit", limit)
                .update();
        if (claimed == 0) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT id, destination, target, payload, attempts, claimed_until FROM outbox_items
                WHERE claimed_by = ? AND state = 'pending' ORDER BY seq""")
                .param(claim)
                .query((rs, i) -> new Claimed(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getInt(5),
                        claim,
                        rs.getLong(6)))
                .list();
    }

    /** Delivered: the payload is dropped, since nothing will send it again. */
    boolean delivered(String id, String claim, long now) {
        return jdbc.sql("""
                UPDATE outbox_items SET state = 'delivered', payload = NULL, claimed_by = NULL, claimed_until = NULL,
                    last_error = NULL, delivered_at = ?, updated_at = ?
                WHERE id = ? AND claimed_by = ?""").params(now, now, id, claim).update() == 1;
    }

    boolean retryLater(String id, String claim, String error, long nextAttemptAt, long now) {
        return jdbc.sql("""
                UPDATE outbox_items SET claimed_by = NULL, claimed_until = NULL, last_error = ?, next_attempt_at = ?,
                    updated_at = ?
                WHERE id = ? AND claimed_by = ?""").params(error, nextAttemptAt, now, id, claim).update() == 1;
    }

    boolean dead(String id, String claim, String error, long now) {
        return jdbc.sql("""
                UPDATE outbox_items SET state = 'dead', claimed_by = NULL, claimed_until = NULL, last_error = ?,
                    updated_at = ?
                WHERE id = ? AND claimed_by = ?""").params(error, now, id, claim).update() == 1;
    }

    /** Gives a claimed item back untried (its lease is about to run out): the attempt does not count. */
    void release(String id, String claim, long now) {
        jdbc.sql("""
                UPDATE outbox_items SET claimed_by = NULL, claimed_until = NULL, attempts = attempts - 1, updated_at = ?
                WHERE id = ? AND claimed_by = ?""").params(now, id, claim).update();
    }

    /**
     * Items whose last attempt never reported back (the node died while delivering) and that have no
     * attempt left: they go to the dead letters rather than stay pending for ever.
     */
    int deadLetterAbandoned(long now, int maxAttempts) {
        return jdbc.sql("""
                UPDATE outbox_items SET state = 'dead', claimed_by = NULL, claimed_until = NULL,
                    last_error = 'no result from the last attempt (the dispatcher stopped)', updated_at = ?
                WHERE state = 'pending' AND attempts >= ? AND claimed_until < ?""").params(now, maxAttempts, now).update();
    }

    Map<String, Long> countsByState() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put(PENDING, 0L);
        out.put(DEAD, 0L);
        out.put(DELIVERED, 0L);
        jdbc.sql("SELECT state, COUNT(*) FROM outbox_items GROUP BY state").query(rs -> {
            out.put(rs.getString(1), rs.getLong(2));
        });
        return out;
    }

    long count(String state) {
        return jdbc.sql("SELECT COUNT(*) FROM outbox_items WHERE state = ?")
                .param(state)
                .query(Long.class)
                .single();
    }

    /** Newest first. */
    List<Row> page(String state, int offset, int limit) {
        return jdbc.sql("""
                SELECT id, destination, target, state, attempts, next_attempt_at, claimed_by, claimed_until,
                    last_error, created_at, updated_at, delivered_at
                FROM outbox_items WHERE state = ? ORDER BY seq DESC LIMIT ? OFFSET ?""")
                .params(state, limit, offset)
                .query((rs, i) -> new Row(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getInt(5),
                        rs.getLong(6),
                        rs.getString(7),
                        longOrNull(rs, 8),
                        rs.getString(9),
                        rs.getLong(10),
                        rs.getLong(11),
                        longOrNull(rs, 12)))
                .list();
    }

    int purge(String state, long changedBefore) {
        return jdbc.sql("DELETE FROM outbox_items WHERE state = ? AND updated_at < ?")
                .params(state, changedBefore)
                .update();
    }

    private static Long longOrNull(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }
}
