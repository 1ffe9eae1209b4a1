package dev.keyhaven.server.platform.db;

import dev.keyhaven.server.platform.config.StartupException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long requests may wait on the database, bound like the other settings from {@code KEYHAVEN_DB_*}
 * variables, so that a database that is down or frozen answers a request with a 503 in bounded
 * time instead of holding it.
 *
 * @param dbConnectionTimeout the longest a request waits for a connection from the pool
 *     (default 2 s on PostgreSQL; 10 s on SQLite, where only other requests can make it wait)
 * @param dbStatementTimeout the longest one statement may run (PostgreSQL {@code statement_timeout})
 *     or wait for SQLite's write lock (its busy timeout); default 30 s
 * @param dbSocketTimeout PostgreSQL only: the longest the server waits for any answer on a
 *     connection, so a database that stops answering cannot hold a request; default the statement
 *     timeout plus 10 s
 */
@ConfigurationProperties("keyhaven")
public record DatabaseProperties(Duration dbConnectionTimeout, Duration dbStatementTimeout, Duration dbSocketTimeout) {

    public DatabaseProperties {
        requirePositive("KEYHAVEN_DB_CONNECTION_TIMEOUT", dbConnectionTimeout, Duration.ofMillis(250));
        requirePositive("KEYHAVEN_DB_STATEMENT_TIMEOUT", dbStatementTimeout, Duration.ofSeconds(1));
        requirePositive("KEYHAVEN_DB_SOCKET_TIMEOUT", dbSocketTimeout, Duration.ofSeconds(1));
    }

    Duration connectionTimeout(Dialect dialect) {
        if (dbConnectionTimeout != null) {
            return dbConnectionTimeout;
        }
        return dialect == Dialect.SQLITE ? Duration.ofSeconds(10) : Duration.ofSeconds(2);
    }

    Duration statementTimeout() {
        return dbStatementTimeout != null ? dbStatementTimeout : Duration.ofSeconds(30);
    }

    Duration socketTimeout() {
        return dbSocketTimeout != null ? dbSocketTimeout : statementTimeout().plusSeconds(10);
    }

    private static void requirePositive(String name, Duration value, Duration least) {
        if (value != null && value.compareTo(least) < 0) {
            throw new StartupException(name + " must be at least " + least.toMillis() + "ms (e.g. 2s), got " + value);
        }
    }
}
