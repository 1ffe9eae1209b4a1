package dev.keyhaven.server.org;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for organizations, users and org memberships. */
@Repository
class OrgStore {
    private final JdbcClient jdbc;

    OrgStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insertOrg(Organization o) {
        jdbc.sql("INSERT INTO organizations (id, name, slug, created_at, updated_at) VALUES (?,?,?,?,?)")
                .params(o.id(), o.name(), o.slug(), o.createdAt(), o.updatedAt())
                .update();
    }

    Optional<Organization> findOrg(String id) {
        return jdbc.sql("SELECT id, name, slug, created_at, updated_at FROM organizations WHERE id = ?")
                .param(id)
                .query((rs, i) -> new Organization(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)))
                .optional();
    }

    boolean slugTaken(String slug) {
        return jdbc.sql("SELECT COUNT(*) FROM organizations WHERE slug = ?")
                        .param(slug)
                        .query(Long.class)
                        .single()
                > 0;
    }

    long countUsers() {
        return jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single();
    }

    void insertUser(User u, String passwordHash) {
        jdbc.sql("""
                INSERT INTO users (id, email, username, first_name, last_name, password_hash, super_admin, is_email_verified, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?,?,?)""")
                .params(
                        u.id(),
                        u.email(),
                        u.username(),
                        u.firstName(),
                        u.lastName(),
                        passwordHash,
                        u.superAdmin(),
                        u.superAdmin(),
                        u.createdAt(),
                        u.updatedAt())
                .update();
    }

    Optional<User> findUser(String id) {
        return jdbc.sql(
                        "SELECT id, email, username, first_name, last_name, super_admin, created_at, updated_at FROM users WHERE id = ?")
                .param(id)
                .query((rs, i) -> new User(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getBoolean(6),
                        rs.getLong(7),
                        rs.getLong(8)))
                .optional();
    }

    void insertMembership(String id, String orgId, String actorType, String actorId, String role, long now) {
        jdbc.sql("""
                INSERT INTO org_memberships (id, org_id, actor_type, actor_id, role, status, is_active, created_at, updated_at)
                VALUES (?,?,?,?,?,'accepted',?,?,?)""")
                .params(id, orgId, actorType, actorId, role, true, now, now)
                .update();
    }

    Optional<String> activeRole(String orgId, String actorType, String actorId) {
        return jdbc.sql(
                        "SELECT role FROM org_memberships WHERE org_id = ? AND actor_type = ? AND actor_id = ? AND is_active = ?")
                .params(orgId, actorType, actorId, true)
                .query(String.class)
                .optional();
    }

    /** The active role of each of {@code actorIds} that has one, in one query. */
    Map<String, String> activeRoles(String orgId, String actorType, Collection<String> actorIds) {
        if (actorIds.isEmpty()) {
            return Map.of();
        }
        List<Object> params = new ArrayList<>(List.of(orgId, actorType, true));
        params.addAll(actorIds);
        Map<String, String> roles = new HashMap<>();
        jdbc.sql("SELECT actor_id, role FROM org_memberships WHERE org_id = ? AND actor_type = ? AND is_active = ?"
                        + " AND actor_id IN (" + "?,".repeat(actorIds.size() - 1) + "?)")
                .params(params)
                .query(rs -> {
                    roles.put(rs.getString(1), rs.getString(2));
                });
        return roles;
    }

    int deleteMembership(String orgId, String actorType, String actorId) {
        return jdbc.sql("DELETE FROM org_memberships WHERE org_id = ? AND actor_type = ? AND actor_id = ?")
                .params(orgId, actorType, actorId)
                .update();
    }

    int updateRole(String orgId, String actorType, String actorId, String role, long now) {
        return jdbc.sql(
                        "UPDATE org_memberships SET role = ?, updated_at = ? WHERE org_id = ? AND actor_type = ? AND actor_id = ?")
                .params(role, now, orgId, actorType, actorId)
                .update();
    }
}
