package dev.keyhaven.server.connection.sql;

import dev.keyhaven.server.connection.AppConnectionKind;
import dev.keyhaven.server.connection.Dialer;
import dev.keyhaven.server.connection.ServerCredentials;
import org.springframework.stereotype.Component;

/** MySQL and MariaDB connections ({@code mysql}), checked by logging in and running {@code SELECT 1}. */
@Component
class MySqlApp implements AppConnectionKind {
    @Override
    public String app() {
        return "mysql";
    }

    @Override
    public String label() {
        return "MySQL";
    }

    @Override
    public boolean needsDatabase() {
        return true;
    }

    @Override
    public void verify(ServerCredentials credentials, Dialer dialer) {
        SqlProbe.selectOne(SqlDialect.MYSQL, credentials, dialer);
    }
}
