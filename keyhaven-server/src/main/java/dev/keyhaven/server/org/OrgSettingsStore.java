package dev.keyhaven.server.org;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** SQL for an organization's settings columns. */
@Repository
class OrgSettingsStore {
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {};
    private final JdbcClient jdbc;
    private final ObjectMapper json;

    OrgSettingsStore(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Optional<OrgSettings> find(String orgId) {
        return jdbc.sql("""
                SELECT id, name, slug, enforce_mfa, selected_mfa_method, user_token_expiration, allowed_login_methods,
                       allowed_email_domains, default_membership_role, created_at, updated_at
                FROM organizations WHERE id = ?""").param(orgId).query((rs, i) -> settings(rs)).optional();
    }

    Optional<OrgSettings> findBySlug(String slug) {
        return jdbc.sql("""
                SELECT id, name, slug, enforce_mfa, selected_mfa_method, user_token_expiration, allowed_login_methods,
                       allowed_email_domains, default_membership_role, created_at, updated_at
                FROM organizations WHERE slug = ?""").param(slug).query((rs, i) -> settings(rs)).optional();
    }

    /** An organization with the caller's membership in it: role and when they joined. */
    record Membership(OrgSettings org, String role, long joinedAt) {}

    /** The organizations where the person has an active, accepted membership, oldest first. */
    List<Membership> ofPerson(String userId) {
        return jdbc.sql("""
                SELECT o.id, o.name, o.slug, o.enforce_mfa, o.selected_mfa_method, o.user_token_expiration,
                       o.allowed_login_methods, o.allowed_email_domains, o.default_membership_role, o.created_at,
                       o.updated_at, m.role, m.created_at
                FROM org_memberships m JOIN organizations o ON o.id = m.org_id
                WHERE m.actor_type = 'user' AND m.actor_id = ? AND m.is_active = ? AND m.status = 'accepted'
                ORDER BY m.created_at, o.id""")
                .params(userId, true)
                .query((rs, i) -> new Membership(settings(rs), rs.getString(12), rs.getLong(13)))
                .list();
    }

    /** The identity's membership in its one organization (empty when it has none). */
    Optional<Membership> ofIdentity(String orgId, String identityId) {
        return jdbc.sql("""
                SELECT o.id, o.name, o.slug, o.enforce_mfa, o.selected_mfa_method, o.user_token_expiration,
                       o.allowed_login_methods, o.allowed_email_domains, o.default_membership_role, o.created_at,
                       o.updated_at, m.role, m.created_at
                FROM org_memberships m JOIN organizations o ON o.id = m.org_id
                WHERE m.actor_type = 'identity' AND m.actor_id = ? AND m.org_id = ?""")
                .params(identityId, orgId)
                .query((rs, i) -> new Membership(settings(rs), rs.getString(12), rs.getLong(13)))
                .optional();
    }

    private OrgSettings settings(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new OrgSettings(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getBoolean(4),
                rs.getString(5),
                rs.getString(6),
                json.readValue(rs.getString(7), LIST),
                json.readValue(rs.getString(8), LIST),
                rs.getString(9),
                rs.getLong(10),
                rs.getLong(11));
    }

    void update(OrgSettings s) {
        jdbc.sql("""
                UPDATE organizations SET name = ?, slug = ?, enforce_mfa = ?, selected_mfa_method = ?,
                    user_token_expiration = ?, allowed_login_methods = ?, allowed_email_domains = ?,
                    default_membership_role = ?, updated_at = ?
                WHERE id = ?""")
                .params(
                        s.name(),
                        s.slug(),
                        s.enforceMfa(),
                        s.selectedMfaMethod(),
                        s.userTokenExpiration(),
                        json.writeValueAsString(s.allowedLoginMethods()),
                        json.writeValueAsString(s.allowedEmailDomains()),
                        s.defaultMembershipRole(),
                        s.updatedAt(),
                        s.id())
                .update();
    }

    boolean slugTakenByOther(String slug, String orgId) {
        return jdbc.sql("SELECT COUNT(*) FROM organizations WHERE slug = ? AND id <> ?")
                        .params(slug, orgId)
                        .query(Long.class)
                        .single()
                > 0;
    }
}
