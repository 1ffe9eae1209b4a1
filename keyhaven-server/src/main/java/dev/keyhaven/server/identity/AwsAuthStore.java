package dev.keyhaven.server.identity;

import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for AWS-auth configurations (the allowed lists are stored as Infisical shows them: ", "-joined). */
@Repository
class AwsAuthStore implements MethodConfigStore<AwsAuthStore.Config> {
    record Config(
            String id,
            String identityId,
            String type,
            String stsEndpoint,
            String allowedPrincipalArns,
            String allowedAccountIds,
            CommonTokenConfig common,
            long createdAt,
            long updatedAt)
            implements MethodConfigStore.Stored {}

    private static final RowMapper<Config> CONFIG = (rs, i) -> new Config(
            rs.getString("id"),
            rs.getString("identity_id"),
            rs.getString("type"),
            rs.getString("sts_endpoint"),
            rs.getString("allowed_principal_arns"),
            rs.getString("allowed_account_ids"),
            new CommonTokenConfig(
                    rs.getLong("access_token_ttl"),
                    rs.getLong("access_token_max_ttl"),
                    rs.getLong("access_token_num_uses_limit"),
                    rs.getString("access_token_trusted_ips")),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    AwsAuthStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Config c) {
        jdbc.sql("""
                INSERT INTO identity_aws_auths (id, identity_id, type, sts_endpoint, allowed_principal_arns,
                    allowed_account_ids, access_token_ttl, access_token_max_ttl, access_token_num_uses_limit,
                    access_token_trusted_ips, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""")
                .params(
                        c.id(),
                        c.identityId(),
                        c.type(),
                        c.stsEndpoint(),
                        c.allowedPrincipalArns(),
                        c.allowedAccountIds(),
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
                UPDATE identity_aws_auths SET sts_endpoint = ?, allowed_principal_arns = ?, allowed_account_ids = ?,
                    access_token_ttl = ?, access_token_max_ttl = ?, access_token_num_uses_limit = ?,
                    access_token_trusted_ips = ?, updated_at = ?
                WHERE id = ?""")
                .params(
                        c.stsEndpoint(),
                        c.allowedPrincipalArns(),
                        c.allowedAccountIds(),
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
        return jdbc.sql("SELECT * FROM identity_aws_auths WHERE identity_id = ?")
                .param(identityId)
                .query(CONFIG)
                .optional();
    }

    @Override
    public void delete(String id) {
        jdbc.sql("DELETE FROM identity_aws_auths WHERE id = ?").param(id).update();
    }
}
