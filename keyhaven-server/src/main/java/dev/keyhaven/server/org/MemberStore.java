package dev.keyhaven.server.org;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for the people who are members of an organization. */
@Repository
class MemberStore {
    private static final String SELECT = """
            SELECT m.id, m.org_id, m.actor_id, m.role, m.status, m.is_active, u.email, u.first_name, u.last_name,
                   u.is_email_verified, m.created_at, m.updated_at
            FROM org_memberships m JOIN users u ON u.id = m.actor_id
            WHERE m.actor_type = 'user'""";
    private final JdbcClient jdbc;

    MemberStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Member> list(String orgId) {
        return jdbc.sql(SELECT + " AND m.org_id = ? ORDER BY u.email")
                .param(orgId)
                .query(MemberStore::row)
                .list();
    }

    Optional<Member> byId(String orgId, String membershipId) {
        return jdbc.sql(SELECT + " AND m.org_id = ? AND m.id = ?")
                .params(orgId, membershipId)
                .query(MemberStore::row)
                .optional();
    }

    Optional<Member> byUser(String orgId, String userId) {
        return jdbc.sql(SELECT + " AND m.org_id = ? AND m.actor_id = ?")
                .params(orgId, userId)
                .query(MemberStore::row)
                .optional();
    }

    Optional<Member> byEmail(String orgId, String email) {
        return jdbc.sql(SELECT + " AND m.org_id = ? AND u.email = ?")
                .params(orgId, email)
                .query(MemberStore::row)
                .optional();
    }

    void insert(String id, String orgId, String userId, String role, String status, long now) {
        jdbc.sql("""
                INSERT INTO org_memberships (id, org_id, actor_type, actor_id, role, status, is_active, created_at, updated_at)
                VALUES (?,?,'user',?,?,?,?,?,?)""").params(id, orgId, userId, role, status, true, now, now).update();
    }

    void update(String id, String role, boolean active, long now) {
        jdbc.sql("UPDATE org_memberships SET role = ?, is_active = ?, updated_at = ? WHERE id = ?")
                .params(role, active, now, id)
                .update();
    }

    void accept(String id, long now) {
        jdbc.sql("UPDATE org_memberships SET status = 'accepted', updated_at = ? WHERE id = ?")
                .params(now, id)
                .update();
    }

    /** Removes the org membership only; what the person held in the org's projects and groups goes through access. */
    void delete(Member m) {
        jdbc.sql("DELETE FROM org_memberships WHERE id = ?").param(m.id()).update();
    }

    private static Member row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Member(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getBoolean(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getBoolean(10),
                rs.getLong(11),
                rs.getLong(12));
    }
}
