package dev.keyhaven.server.identity;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for AWS-auth configurations (the allowed lists are stored as Infisical shows them: ", "-joined). */
@Repository
class AwsAuthStore extends MethodConfigStore<AwsAuthStore.Config> {
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
            TokenColumns.read(rs),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    AwsAuthStore(JdbcClient jdbc) {
        super(jdbc, "identity_aws_auths", CONFIG);
    }

    @Override
    void insert(Config c) {
        jdbc.sql("""
                INSERT INTO identity_aws_auths (%s, id, identity_id, type, sts_endpoint, allowed_principal_arns,
                    allowed_account_ids, created_at, updated_at)
                VALUES (%s, ?,?,?,?,?,?,?,?)""".formatted(TokenColumns.NAMES, TokenColumns.MARKS))
                .params(TokenColumns.params(
                        c.common(),
                        c.id(),
                        c.identityId(),
                        c.type(),
                        c.stsEndpoint(),
                        c.allowedPrincipalArns(),
                        c.allowedAccountIds(),
                        c.createdAt(),
                        c.updatedAt()))
                .update();
    }

    @Override
    void update(Config c) {
        jdbc.sql("""
                UPDATE identity_aws_auths SET %s, sts_endpoint = ?, allowed_principal_arns = ?,
                    allowed_account_ids = ?, updated_at = ?
                WHERE id = ?""".formatted(TokenColumns.ASSIGNMENTS))
                .params(TokenColumns.params(
                        c.common(),
                        c.stsEndpoint(),
                        c.allowedPrincipalArns(),
                        c.allowedAccountIds(),
                        c.updatedAt(),
                        c.id()))
                .update();
    }
}
