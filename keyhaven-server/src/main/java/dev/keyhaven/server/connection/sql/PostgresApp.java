package dev.keyhaven.server.connection.sql;

import dev.keyhaven.server.connection.AppConnectionKind;
import dev.keyhaven.server.connection.Dialer;
import dev.keyhaven.server.connection.ServerCredentials;
import org.springframework.stereotype.Component;

/** PostgreSQL connections ({@code postgres}), checked by logging in and running {@code SELECT 1}. */
@Component
class PostgresApp implements AppConnectionKind {
    @Override
    public String app() {
        return "postgres";
    }

    @Override
    public String label() {
        return "PostgreSQL";
    }

    @Override
    public boolean needsDatabase() {
        return true;
    }

    @Override
    public void verify(ServerCredentials credentials, Dialer dialer) {
        SqlProbe.selectOne(SqlDialect.POSTGRES, credentials, dialer);
    }
}
