package dev.keyhaven.server.connection.sql;

import java.sql.Driver;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The SQL servers a connection reaches through JDBC: the driver (used directly, never looked up
 * by URL through {@code DriverManager}), the URL prefix and the settings that bound every wait and
 * turn off what a connection never needs (local file loading, TLS until it can be verified).
 */
public enum SqlDialect {
    POSTGRES("jdbc:postgresql://", org.postgresql.Driver::new) {
        @Override
        void settings(Properties p) {
            p.setProperty("connectTimeout", "5");
            p.setProperty("loginTimeout", "5");
            p.setProperty("socketTimeout", "15");
            p.setProperty("sslmode", "disable");
            p.setProperty("ApplicationName", "keyhaven");
        }
    },
    MYSQL("jdbc:mariadb://", org.mariadb.jdbc.Driver::new) {
        @Override
        void settings(Properties p) {
            p.setProperty("connectTimeout", "5000");
            p.setProperty("socketTimeout", "15000");
            p.setProperty("allowLocalInfile", "false");
            p.setProperty("sslMode", "disable");
        }
    };

    private final String prefix;
    private final Supplier<Driver> driver;

    SqlDialect(String prefix, Supplier<Driver> driver) {
        this.prefix = prefix;
        this.driver = driver;
    }

    abstract void settings(Properties p);

    String url(String authority, String database) {
        return prefix + authority + "/" + database;
    }

    Driver driver() {
        return driver.get();
    }
}
