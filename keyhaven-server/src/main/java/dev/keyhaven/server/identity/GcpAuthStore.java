package dev.keyhaven.server.identity;

import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for GCP-auth configurations (the allow-lists are stored as Infisical formats them, {@code "a, b"}). */
@Repository
class GcpAuthStore implements MethodConfigStore<GcpAuthStore.Config> {
    record Config(
            String id,
            String identityId,
            String type,
            String allowedServiceAccounts,
            String allowedProjects,
            String allowedZones,
            CommonTokenConfig common,
            long createdAt,
            long updatedAt)
            implements MethodConfigStore.Stored {}

    private static final RowMapper<Config> CONFIG = (rs, i) -> new Config(
            rs.getString("id"),
            rs.getString("identity_id"),
            rs.getString("type"),
            rs.getString("allowed_service_accounts"),
            rs.getString("allowed_projects"),
            rs.getString("allowed_zones"),
            new CommonTokenConfig(
                    rs.getLong("access_token_ttl"),
                    rs.getLong("access_token_max_ttl"),
                    rs.getLong("access_token_num_uses_limit"),
                    rs.getString("access_token_trusted_ips")),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    GcpAuthStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Config c) {
        jdbc.sql("""
                INSERT INTO identity_gcp_auths (id, identity_id, type, allowed_service_accounts, allowed_projects,
                    allowed_zones, access_token_ttl, access_token_max_ttl, access_token_num_uses_limit,
                    access_token_trusted_ips, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""")
                .params(
                        c.id(),
                        c.identityId(),
                        c.type(),
                        c.allowedServiceAccounts(),
                        c.allowedProjects(),
                        c.allowedZones(),
                        c.common().ttl(),
                        c.common().maxTtl(),
                        c.common().numUsesLimit(),
                        c.common().trustedIpsJson(),
                        c.createdAt(),
                        c.updatedAt())
                .update();
    }

    @Override
    public void update(Config c) {
        jdbc.sql("""
                UPDATE identity_gcp_auths SET type = ?, allowed_service_accounts = ?, allowed_projects = ?,
                    allowed_zones = ?, access_token_ttl = ?, access_token_max_ttl = ?, access_token_num_uses_limit = ?,
                    access_token_trusted_ips = ?, updated_at = ?
                WHERE id = ?""")
                .params(
                        c.type(),
                        c.allowedServiceAccounts(),
                        c.allowedProjects(),
                        c.allowedZones(),
                        c.common().ttl(),
                        c.common().maxTtl(),
                        c.common().numUsesLimit(),
                        c.common().trustedIpsJson(),
                        c.updatedAt(),
                        c.id())
                .update();
    }

    @Override
    public Optional<Config> byIdentity(String identityId) {
        return jdbc.sql("SELECT * FROM identity_gcp_auths WHERE identity_id = ?")
                .param(identityId)
                .query(CONFIG)
                .optional();
    }

    @Override
    public void delete(String id) {
        jdbc.sql("DELETE FROM identity_gcp_auths WHERE id = ?").param(id).update();
    }
}
