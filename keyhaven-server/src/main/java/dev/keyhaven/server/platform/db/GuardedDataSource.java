package dev.keyhaven.server.platform.db;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The connection pool, but refusing at once while {@link DatabaseMonitor} cannot reach the database,
 * so a request fails fast with a 503 instead of waiting out the pool's timeout. In the healthy case
 * this costs one volatile read per connection. Closing it stops the probe and the pool.
 */
public class GuardedDataSource extends DelegatingDataSource implements AutoCloseable {
    private final HikariDataSource pool;
    private final DatabaseMonitor monitor;

    GuardedDataSource(HikariDataSource pool, DatabaseMonitor monitor) {
        super(pool);
        this.pool = pool;
        this.monitor = monitor;
    }

    @Override
    public Connection getConnection() throws SQLException {
        refuseWhileUnreachable();
        return pool.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        refuseWhileUnreachable();
        return pool.getConnection(username, password);
    }

    private void refuseWhileUnreachable() throws SQLException {
        if (!monitor.reachable()) {
            throw new SQLTransientConnectionException(
                    "the database is not reachable (the health probe retries every second)", "08001");
        }
    }

    @Override
    public void close() {
        monitor.close();
        pool.close();
    }
}
