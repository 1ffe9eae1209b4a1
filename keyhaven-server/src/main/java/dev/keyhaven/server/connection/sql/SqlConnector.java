package dev.keyhaven.server.connection.sql;

import dev.keyhaven.server.connection.ConnectionException;
import dev.keyhaven.server.connection.Dialer;
import dev.keyhaven.server.connection.Route;
import dev.keyhaven.server.connection.ServerCredentials;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens a JDBC connection to a PostgreSQL or MySQL/MariaDB server: to the address the {@link
 * Dialer} checked (an IP literal in the URL, so the driver resolves nothing), with the user and
 * password as driver properties, never in the URL. Failures become a {@link ConnectionException}
 * worded from the SQL state, so no server message (which may quote input) reaches the caller.
 */
public final class SqlConnector {
    private SqlConnector() {}

    public static Connection open(SqlDialect dialect, ServerCredentials c, Dialer dialer) {
        Route route = dialer.route(c.host(), c.port());
        Properties p = new Properties();
        dialect.settings(p);
        p.setProperty("user", c.username());
        p.setProperty("password", c.password());
        try {
            Connection connection = dialect.driver().connect(dialect.url(route.authority(), c.database()), p);
            if (connection == null) {
                throw new ConnectionException("the driver refused the connection settings");
            }
            return connection;
        } catch (SQLException e) {
            throw failure(e, c, route);
        }
    }

    /** The caller-facing wording of a failed connection or statement. */
    public static ConnectionException failure(SQLException e, ServerCredentials c, Route route) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = c.host() + ":" + c.port();
        if (state.startsWith("28") || state.equals("42000") && e.getErrorCode() == 1045) {
            return new ConnectionException("the server at " + where + " refused the username or password");
        }
        if (state.startsWith("08") || state.isEmpty()) {
            return new ConnectionException("could not connect to " + where + " (" + route.address() + ")");
        }
        if (state.equals("3D000") || e.getErrorCode() == 1049 || e.getErrorCode() == 1044) {
            return new ConnectionException("the database " + c.database() + " does not exist or may not be used");
        }
        return new ConnectionException("the server at " + where + " answered with SQL state " + state);
    }
}
