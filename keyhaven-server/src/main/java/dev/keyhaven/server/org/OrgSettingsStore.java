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
                FROM organizations WHERE id = ?""")
                .param(orgId)
                .query((rs, i) -> new OrgSettings(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getString(5), rs.getString(6), json.readValue(rs.getString(7), LIST),
                        json.readValue(rs.getString(8), LIST), rs.getString(9), rs.getLong(10), rs.getLong(11)))
                .optional();
    }

    void update(OrgSettings s) {
        jdbc.sql("""
                UPDATE organizations SET name = ?, slug = ?, enforce_mfa = ?, selected_mfa_method = ?,
                    user_token_expiration = ?, allowed_login_methods = ?, allowed_email_domains = ?,
                    default_membership_role = ?, updated_at = ?
                WHERE id = ?""")
                .params(s.name(), s.slug(), s.enforceMfa(), s.selectedMfaMethod(), s.userTokenExpiration(),
                        json.writeValueAsString(s.allowedLoginMethods()), json.writeValueAsString(s.allowedEmailDomains()),
                        s.defaultMembershipRole(), s.updatedAt(), s.id())
                .update();
    }

    boolean slugTakenByOther(String slug, String orgId) {
        return jdbc.sql("SELECT COUNT(*) FROM organizations WHERE slug = ? AND id <> ?").params(slug, orgId)
                .query(Long.class).single() > 0;
    }
}
