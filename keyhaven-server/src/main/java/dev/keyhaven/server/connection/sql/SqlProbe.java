package dev.keyhaven.server.connection.sql;

import dev.keyhaven.server.connection.ConnectionException;
import dev.keyhaven.server.connection.Dialer;
import dev.keyhaven.server.connection.ServerCredentials;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Proves SQL credentials work: log in, {@code SELECT 1}, close (on save, and before a dynamic secret is saved). */
public final class SqlProbe {
    private SqlProbe() {}

    public static void selectOne(SqlDialect dialect, ServerCredentials c, Dialer dialer) {
        try (Connection connection = SqlConnector.open(dialect, c, dialer);
                Statement st = connection.createStatement()) {
            st.setQueryTimeout(10);
            try (ResultSet rs = st.executeQuery("SELECT 1")) {
                if (!rs.next() || rs.getInt(1) != 1) {
                    throw new ConnectionException("the server did not answer SELECT 1");
                }
            }
        } catch (SQLException e) {
            throw new ConnectionException("the server at " + c.host() + ":" + c.port()
                    + " failed a test query (SQL state " + e.getSQLState() + ")");
        }
    }
}
