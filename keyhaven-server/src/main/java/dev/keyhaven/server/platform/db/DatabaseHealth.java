package dev.keyhaven.server.platform.db;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** One round trip to the database, for health checks. */
@Component
public class DatabaseHealth {
    private final JdbcClient jdbc;

    public DatabaseHealth(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean isUp() {
        try {
            return jdbc.sql("SELECT 1").query(Integer.class).single() == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
