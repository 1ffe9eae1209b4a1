package dev.keyhaven.server.auth.machine;

import dev.keyhaven.server.platform.db.Ids;
import java.time.Clock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/**
 * Token auth: long-lived named tokens issued directly to an identity. For now it serves instance
 * bootstrap (the instance-admin token); creating and listing named tokens through the API comes
 * with the machine-auth-methods work.
 */
@Service
public class TokenAuthService implements MachineAuthMethod {
    public static final String NAME = "token-auth";
    private final JdbcClient jdbc;
    private final AccessTokenService tokens;
    private final ObjectMapper json;
    private final Clock clock;

    public TokenAuthService(JdbcClient jdbc, AccessTokenService tokens, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isAttached(String identityId) {
        return jdbc.sql("SELECT COUNT(*) FROM identity_token_auths WHERE identity_id = ?").param(identityId)
                .query(Long.class).single() > 0;
    }

    /** Attaches token auth with tokens that never expire and issues one named token. */
    public String attachAndIssue(String identityId, String tokenName) {
        long now = clock.millis();
        TokenSettings settings = new TokenSettings(0, 0, 0, 0, TrustedIps.ANYWHERE);
        jdbc.sql("""
                INSERT INTO identity_token_auths (id, identity_id, access_token_ttl, access_token_max_ttl,
                    access_token_num_uses_limit, access_token_trusted_ips, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?)""")
                .params(Ids.newId(), identityId, 0, 0, 0, json.writeValueAsString(TrustedIps.ANYWHERE), now, now)
                .update();
        return tokens.issue(identityId, NAME, null, tokenName, settings).accessToken();
    }
}
