package dev.keyhaven.server.identity;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for GCP-auth configurations (the allow-lists are stored as Infisical formats them, {@code "a, b"}). */
@Repository
class GcpAuthStore extends MethodConfigStore<GcpAuthStore.Config> {
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
            TokenColumns.read(rs),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    GcpAuthStore(JdbcClient jdbc) {
        super(jdbc, "identity_gcp_auths", CONFIG);
    }

    @Override
    void insert(Config c) {
        jdbc.sql("""
                INSERT INTO identity_gcp_auths (%s, id, identity_id, type, allowed_service_accounts,
                    allowed_projects, allowed_zones, created_at, updated_at)
                VALUES (%s, ?,?,?,?,?,?,?,?)""".formatted(TokenColumns.NAMES, TokenColumns.MARKS))
                .params(TokenColumns.params(
                        c.common(),
                        c.id(),
                        c.identityId(),
                        c.type(),
                        c.allowedServiceAccounts(),
                        c.allowedProjects(),
                        c.allowedZones(),
                        c.createdAt(),
                        c.updatedAt()))
                .update();
    }

    @Override
    void update(Config c) {
        jdbc.sql("""
                UPDATE identity_gcp_auths SET %s, type = ?, allowed_service_accounts = ?, allowed_projects = ?,
                    allowed_zones = ?, updated_at = ?
                WHERE id = ?""".formatted(TokenColumns.ASSIGNMENTS))
                .params(TokenColumns.params(
                        c.common(),
                        c.type(),
                        c.allowedServiceAccounts(),
                        c.allowedProjects(),
                        c.allowedZones(),
                        c.updatedAt(),
                        c.id()))
                .update();
    }
}
