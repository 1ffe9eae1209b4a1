package dev.keyhaven.server.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.config.StartupException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;
import org.sqlite.SQLiteException;

/**
 * Builds the one connection pool, checks the database is reachable, and migrates it before
 * anything else touches it. SQLite runs in WAL mode with {@code synchronous=FULL} (every commit
 * is durable) and immediate transactions, so concurrent writers queue instead of failing.
 * Requests wait a bounded time for a connection and for each statement ({@link DatabaseProperties});
 * while the database is unreachable they are refused at once ({@link DatabaseMonitor},
 * {@link GuardedDataSource}).
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfig {

    @Bean
    public Dialect dialect(KeyhavenProperties props) {
        try {
            return Dialect.fromUrl(props.effectiveDbUrl());
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage() + " (got " + props.redactedDbUrl() + ")");
        }
    }

    @Bean(destroyMethod = "close")
    public DatabaseMonitor databaseMonitor(KeyhavenProperties props, DatabaseProperties timeouts, Dialect dialect) {
        return new DatabaseMonitor(
                dialect,
                props.effectiveDbUrl(),
                props.dbUser(),
                props.dbPassword(),
                timeouts.connectionTimeout(dialect));
    }

    @Bean(destroyMethod = "close")
    public GuardedDataSource dataSource(
            KeyhavenProperties props, DatabaseProperties timeouts, Dialect dialect, DatabaseMonitor monitor) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("keyhaven");
        config.setJdbcUrl(props.effectiveDbUrl());
        if (props.dbUser() != null) {
            config.setUsername(props.dbUser());
        }
        if (props.dbPassword() != null) {
            config.setPassword(props.dbPassword());
        }
        config.setInitializationFailTimeout(1);
        long connectionTimeout = timeouts.connectionTimeout(dialect).toMillis();
        config.setConnectionTimeout(connectionTimeout);
        config.setValidationTimeout(Math.max(250, Math.min(1000, connectionTimeout / 2)));
        if (dialect == Dialect.SQLITE) {
            SqliteFiles.prepare(props);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "FULL");
            config.addDataSourceProperty("foreign_keys", "true");
            config.addDataSourceProperty(
                    "busy_timeout", Long.toString(timeouts.statementTimeout().toMillis()));
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            config.setMaximumPoolSize(props.dbPoolSize() != null ? props.dbPoolSize() : 8);
        } else {
            // settings in KEYHAVEN_DB_URL win over these
            long establish = Math.max(5, seconds(timeouts.connectionTimeout(dialect)));
            config.addDataSourceProperty("connectTimeout", Long.toString(establish));
            config.addDataSourceProperty("loginTimeout", Long.toString(establish));
            config.addDataSourceProperty("socketTimeout", Long.toString(seconds(timeouts.socketTimeout())));
            config.addDataSourceProperty(
                    "options",
                    "-c statement_timeout=" + timeouts.statementTimeout().toMillis());
            config.setMaximumPoolSize(props.dbPoolSize() != null ? props.dbPoolSize() : 16);
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StartupException("cannot connect to the database " + props.redactedDbUrl() + ": "
                    + firstLine(rootCause(e).getMessage())
                    + " (check KEYHAVEN_DB_URL, KEYHAVEN_DB_USER and KEYHAVEN_DB_PASSWORD)");
        }
        try {
            migrate(dialect == Dialect.SQLITE ? ds : migrationDataSource(props), dialect, props);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        monitor.start();
        return new GuardedDataSource(ds, monitor);
    }

    /**
     * PostgreSQL migrations run on their own connections, without the request timeouts: a migration
     * on a large table may rightly take longer than any request should.
     */
    private static DataSource migrationDataSource(KeyhavenProperties props) {
        return new DriverManagerDataSource(props.effectiveDbUrl(), props.dbUser(), props.dbPassword());
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    @Bean
    public JdbcClient jdbcClient(DataSource dataSource) {
        return JdbcClient.create(dataSource);
    }

    @Bean
    public PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource) {
            @Override
            protected void doRollback(DefaultTransactionStatus status) {
                try {
                    super.doRollback(status);
                } catch (RuntimeException e) {
                    // SQLite rolls a transaction back itself on some errors (SQLITE_FULL, say); the
                    // rollback then finds none, and must not hide the error that caused it
                    if (!(e.getCause() instanceof SQLiteException sqlite
                            && sqlite.getMessage() != null
                            && sqlite.getMessage().contains("no transaction is active"))) {
                        throw e;
                    }
                }
            }
        };
    }

    @Bean
    public TransactionTemplate transactionTemplate(PlatformTransactionManager transactionManager) {
        return new TransactionTemplate(transactionManager);
    }

    private static void migrate(DataSource ds, Dialect dialect, KeyhavenProperties props) {
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations(dialect.migrationLocations())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new StartupException(
                    "cannot migrate the database " + props.redactedDbUrl() + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
