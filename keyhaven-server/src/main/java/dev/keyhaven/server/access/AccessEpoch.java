package dev.keyhaven.server.access;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The counter that database triggers move on every change to project access data (memberships
 * and their roles, custom roles, privileges, groups and their members; see migration V3_7).
 * Effective permissions cached under one value are stale once it moves, on every node alike.
 * A machine identity's token lookup and a person's session lookup read it in the same query
 * ({@code AccessTokenStore}, {@code SessionStore}), so those requests need no query of their own.
 */
@Repository
class AccessEpoch {
    private final JdbcClient jdbc;

    AccessEpoch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long current() {
        return jdbc.sql("SELECT value FROM access_epoch WHERE id = 1")
                .query(Long.class)
                .single();
    }
}
