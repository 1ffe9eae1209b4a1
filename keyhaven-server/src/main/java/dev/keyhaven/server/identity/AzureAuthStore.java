package dev.keyhaven.server.identity;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for Azure-auth configurations. */
@Repository
class AzureAuthStore extends MethodConfigStore<AzureAuthStore.Config> {
    record Config(
            String id,
            String identityId,
            String tenantId,
            String resource,
            String allowedServicePrincipalIds,
            CommonTokenConfig common,
            long createdAt,
            long updatedAt)
            implements MethodConfigStore.Stored {}

    private static final RowMapper<Config> CONFIG = (rs, i) -> new Config(
            rs.getString("id"),
            rs.getString("identity_id"),
            rs.getString("tenant_id"),
            rs.getString("resource"),
            rs.getString("allowed_service_principal_ids"),
            TokenColumns.read(rs),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    AzureAuthStore(JdbcClient jdbc) {
        super(jdbc, "identity_azure_auths", CONFIG);
    }

    @Override
    void insert(Config c) {
        jdbc.sql("""
                INSERT INTO identity_azure_auths (%s, id, identity_id, tenant_id, resource,
                    allowed_service_principal_ids, created_at, updated_at)
                VALUES (%s, ?,?,?,?,?,?,?)""".formatted(TokenColumns.NAMES, TokenColumns.MARKS))
                .params(TokenColumns.params(
                        c.common(),
                        c.id(),
                        c.identityId(),
                        c.tenantId(),
                        c.resource(),
                        c.allowedServicePrincipalIds(),
                        c.createdAt(),
                        c.updatedAt()))
                .update();
    }

    @Override
    void update(Config c) {
        jdbc.sql("""
                UPDATE identity_azure_auths SET %s, tenant_id = ?, resource = ?, allowed_service_principal_ids =
                    ?, updated_at = ?
                WHERE id = ?""".formatted(TokenColumns.ASSIGNMENTS))
                .params(TokenColumns.params(
                        c.common(), c.tenantId(), c.resource(), c.allowedServicePrincipalIds(), c.updatedAt(), c.id()))
                .update();
    }
}
