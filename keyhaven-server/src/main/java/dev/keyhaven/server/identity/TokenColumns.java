package dev.keyhaven.server.identity;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The four token columns every auth method's table carries ({@code access_token_ttl},
 * {@code access_token_max_ttl}, {@code access_token_num_uses_limit}, {@code access_token_trusted_ips}),
 * named, bound and read in one place so a method's store writes only its own columns. In a
 * statement they come first: {@code INSERT INTO t (%s, id, …) VALUES (%s, ?, …)} with
 * {@link #NAMES} and {@link #MARKS}, {@code UPDATE t SET %s, own = ? … WHERE id = ?} with
 * {@link #ASSIGNMENTS}, and {@link #params} puts their values before the method's own.
 */
final class TokenColumns {
    static final String NAMES =
            "access_token_ttl, access_token_max_ttl, access_token_num_uses_limit, access_token_trusted_ips";
    static final String MARKS = "?,?,?,?";
    static final String ASSIGNMENTS = "access_token_ttl = ?, access_token_max_ttl = ?, access_token_num_uses_limit = ?,"
            + " access_token_trusted_ips = ?";

    private TokenColumns() {}

    /** The statement's parameters: the four token values, then the method's own in column order. */
    static Object[] params(CommonTokenConfig common, Object... own) {
        Object[] all = new Object[own.length + 4];
        all[0] = common.ttl();
        all[1] = common.maxTtl();
        all[2] = common.numUsesLimit();
        all[3] = common.trustedIpsJson();
        System.arraycopy(own, 0, all, 4, own.length);
        return all;
    }

    static CommonTokenConfig read(ResultSet rs) throws SQLException {
        return new CommonTokenConfig(
                rs.getLong("access_token_ttl"),
                rs.getLong("access_token_max_ttl"),
                rs.getLong("access_token_num_uses_limit"),
                rs.getString("access_token_trusted_ips"));
    }
}
