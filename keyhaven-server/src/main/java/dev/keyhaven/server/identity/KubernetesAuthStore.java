package dev.keyhaven.server.identity;

import dev.keyhaven.server.platform.log.Redaction;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for Kubernetes-auth configurations. The reviewer token arrives and leaves sealed (see
 * {@link KubernetesAuthService}); {@code publicKeys} is stored as JSON.
 */
@Repository
class KubernetesAuthStore implements MethodConfigStore<KubernetesAuthStore.Config> {
    record Config(
            String id,
            String identityId,
            String mode,
            String kubernetesHost,
            String caCert,
            String sealedReviewerJwt,
            String allowedNamespaces,
            String allowedNames,
            String allowedAudience,
            String issuer,
            String jwksUrl,
            String publicKeysJson,
            CommonTokenConfig common,
            long createdAt,
            long updatedAt)
            implements MethodConfigStore.Stored {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    private static final RowMapper<Config> CONFIG = (rs, i) -> new Config(
            rs.getString("id"),
            rs.getString("identity_id"),
            rs.getString("token_review_mode"),
            rs.getString("kubernetes_host"),
            rs.getString("ca_cert"),
            rs.getString("token_reviewer_jwt"),
            rs.getString("allowed_namespaces"),
            rs.getString("allowed_names"),
            rs.getString("allowed_audience"),
            rs.getString("issuer"),
            rs.getString("jwks_url"),
            rs.getString("public_keys"),
            new CommonTokenConfig(
                    rs.getLong("access_token_ttl"),
                    rs.getLong("access_token_max_ttl"),
                    rs.getLong("access_token_num_uses_limit"),
                    rs.getString("access_token_trusted_ips")),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    KubernetesAuthStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Config c) {
        jdbc.sql("""
                INSERT INTO identity_kubernetes_auths (id, identity_id, token_review_mode, kubernetes_host, ca_cert,
                    token_reviewer_jwt, allowed_namespaces, allowed_names, allowed_audience, issuer, jwks_url,
                    public_keys, access_token_ttl, access_token_max_ttl, access_token_num_uses_limit,
                    access_token_trusted_ips, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""")
                .params(
                        c.id(),
                        c.identityId(),
                        c.mode(),
                        c.kubernetesHost(),
                        c.caCert(),
                        c.sealedReviewerJwt(),
                        c.allowedNamespaces(),
                        c.allowedNames(),
                        c.allowedAudience(),
                        c.issuer(),
                        c.jwksUrl(),
                        c.publicKeysJson(),
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
                UPDATE identity_kubernetes_auths SET token_review_mode = ?, kubernetes_host = ?, ca_cert = ?,
                    token_reviewer_jwt = ?, allowed_namespaces = ?, allowed_names = ?, allowed_audience = ?,
                    issuer = ?, jwks_url = ?, public_keys = ?, access_token_ttl = ?, access_token_max_ttl = ?,
                    access_token_num_uses_limit = ?, access_token_trusted_ips = ?, updated_at = ?
                WHERE id = ?""")
                .params(
                        c.mode(),
                        c.kubernetesHost(),
                        c.caCert(),
                        c.sealedReviewerJwt(),
                        c.allowedNamespaces(),
                        c.allowedNames(),
                        c.allowedAudience(),
                        c.issuer(),
                        c.jwksUrl(),
                        c.publicKeysJson(),
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
        return jdbc.sql("SELECT * FROM identity_kubernetes_auths WHERE identity_id = ?")
                .param(identityId)
                .query(CONFIG)
                .optional();
    }

    @Override
    public void delete(String id) {
        jdbc.sql("DELETE FROM identity_kubernetes_auths WHERE id = ?").param(id).update();
    }
}
