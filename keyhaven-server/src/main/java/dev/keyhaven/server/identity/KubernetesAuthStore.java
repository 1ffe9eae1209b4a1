package dev.keyhaven.server.identity;

import dev.keyhaven.server.platform.log.Redaction;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for Kubernetes-auth configurations. The reviewer token arrives and leaves sealed (see
 * {@link KubernetesAuthService}); {@code publicKeys} is stored as JSON.
 */
@Repository
class KubernetesAuthStore extends MethodConfigStore<KubernetesAuthStore.Config> {
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
            TokenColumns.read(rs),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    KubernetesAuthStore(JdbcClient jdbc) {
        super(jdbc, "identity_kubernetes_auths", CONFIG);
    }

    @Override
    void insert(Config c) {
        jdbc.sql("""
                INSERT INTO identity_kubernetes_auths (%s, id, identity_id, token_review_mode, kubernetes_host,
                    ca_cert, token_reviewer_jwt, allowed_namespaces, allowed_names, allowed_audience, issuer,
                    jwks_url, public_keys, created_at, updated_at)
                VALUES (%s, ?,?,?,?,?,?,?,?,?,?,?,?,?,?)""".formatted(TokenColumns.NAMES, TokenColumns.MARKS))
                .params(TokenColumns.params(
                        c.common(),
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
                        c.createdAt(),
                        c.updatedAt()))
                .update();
    }

    @Override
    void update(Config c) {
        jdbc.sql("""
                UPDATE identity_kubernetes_auths SET %s, token_review_mode = ?, kubernetes_host = ?, ca_cert =
                    ?, token_reviewer_jwt = ?, allowed_namespaces = ?, allowed_names = ?, allowed_audience = ?,
                    issuer = ?, jwks_url = ?, public_keys = ?, updated_at = ?
                WHERE id = ?""".formatted(TokenColumns.ASSIGNMENTS))
                .params(TokenColumns.params(
                        c.common(),
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
                        c.updatedAt(),
                        c.id()))
                .update();
    }
}
