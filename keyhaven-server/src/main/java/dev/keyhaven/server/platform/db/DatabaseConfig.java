package dev.keyhaven.server.platform.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.config.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds the one connection pool, checks the database is reachable, and migrates it before
 * anything else touches it. SQLite runs in WAL mode with {@code synchronous=FULL} (every commit
 * is durable) and immediate transactions, so concurrent writers queue instead of failing.
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
    public HikariDataSource dataSource(KeyhavenProperties props, Dialect dialect) {
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
        config.setConnectionTimeout(10_000);
        if (dialect == Dialect.SQLITE) {
            ensureDataDir(props);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "FULL");
            config.addDataSourceProperty("foreign_keys", "true");
            config.addDataSourceProperty("busy_timeout", "30000");
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            config.setMaximumPoolSize(props.dbPoolSize() != null ? props.dbPoolSize() : 8);
        } else {
            config.setMaximumPoolSize(props.dbPoolSize() != null ? props.dbPoolSize() : 16);
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StartupException("cannot connect to the database " + props.redactedDbUrl() + ": "
                    + firstLine(rootCause(e).getMessage()) + " (check KEYHAVEN_DB_URL, KEYHAVEN_DB_USER and KEYHAVEN_DB_PASSWORD)");
        }
        migrate(ds, dialect, props);
        return ds;
    }

    @Bean
    public JdbcClient jdbcClient(DataSource dataSource) {
        return JdbcClient.create(dataSource);
    }

    @Bean
    public PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
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
            throw new StartupException("cannot migrate the database " + props.redactedDbUrl() + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    private static void ensureDataDir(KeyhavenProperties props) {
        try {
            Files.createDirectories(props.dataDir());
        } catch (IOException e) {
            throw new StartupException("cannot create the data directory " + props.dataDir()
                    + " (set KEYHAVEN_DATA_DIR to a writable directory): " + e.getMessage());
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
