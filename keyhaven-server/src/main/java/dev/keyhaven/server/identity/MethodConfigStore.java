package dev.keyhaven.server.identity;

import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What {@link MethodConfigs} needs from an auth method's store: the one configuration an identity
 * may have for the method, found by identity, written whole and deleted, in the method's own table
 * ({@code identity_<method>_auths}, one row per identity). The lookups are written once here; each
 * method's store writes its insert and update (the token columns through {@link TokenColumns}) and
 * keeps its own queries beyond these.
 */
abstract class MethodConfigStore<C extends MethodConfigStore.Stored> {
    /** A stored configuration: its own id and the identity it belongs to. */
    interface Stored {
        String id();

        String identityId();
    }

    protected final JdbcClient jdbc;
    private final String table;
    private final RowMapper<C> rows;

    /** {@code table} is a constant of the subclass, never input. */
    MethodConfigStore(JdbcClient jdbc, String table, RowMapper<C> rows) {
        this.jdbc = jdbc;
        this.table = table;
        this.rows = rows;
    }

    // none of these is final: a @Repository is proxied, and a final method would run on the proxy's empty fields

    /** The method's table, for queries over every method at once ({@link AttachedMethodsStore}). */
    String table() {
        return table;
    }

    Optional<C> byIdentity(String identityId) {
        return jdbc.sql("SELECT * FROM " + table + " WHERE identity_id = ?")
                .param(identityId)
                .query(rows)
                .optional();
    }

    void delete(String id) {
        jdbc.sql("DELETE FROM " + table + " WHERE id = ?").param(id).update();
    }

    abstract void insert(C config);

    abstract void update(C config);
}
