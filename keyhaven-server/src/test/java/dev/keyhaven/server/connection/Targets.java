package dev.keyhaven.server.connection;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The real servers app connections are tested against (the local PostgreSQL, MariaDB and Redis
 * that scripts/start-services.sh starts), and users made on them for one test: each call makes a
 * fresh user with a fresh password, so runs never share a login.
 */
final class Targets {
    static final String HOST = "127.0.0.1";
    static final int POSTGRES_PORT = 5432;
    static final int MARIADB_PORT = 3306;
    static final int REDIS_PORT = 6379;
    static final String POSTGRES_DB = "test";
    static final String MARIADB_DB = "keyhaven_conn_test";

    /** A login made for a test: its user name and password. */
    record Login(String username, String password) {}

    private Targets() {}

    static Login postgresUser() {
        Login l = fresh("kh_pg_");
        sql(
                "jdbc:postgresql://" + HOST + ":" + POSTGRES_PORT + "/" + POSTGRES_DB,
                "postgres",
                "",
                "CREATE ROLE " + l.username() + " LOGIN PASSWORD '" + l.password() + "'");
        return l;
    }

    static Login mariadbUser() {
        Login l = fresh("kh_my_");
        String url = "jdbc:mariadb://" + HOST + ":" + MARIADB_PORT + "/";
        sql(url, "root", "", "CREATE DATABASE IF NOT EXISTS " + MARIADB_DB);
        sql(url, "root", "", "CREATE USER '" + l.username() + "'@'%' IDENTIFIED BY '" + l.password() + "'");
        sql(url, "root", "", "GRANT SELECT ON " + MARIADB_DB + ".* TO '" + l.username() + "'@'%'");
        return l;
    }

    static Login redisUser() {
        Login l = fresh("kh_rd_");
        try (RedisClient client = RedisClient.create("redis://" + HOST + ":" + REDIS_PORT);
                StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync()
                    .aclSetuser(
                            l.username(),
                            io.lettuce.core.AclSetuserArgs.Builder.on()
                                    .addPassword(l.password())
                                    .addCommand(io.lettuce.core.protocol.CommandType.PING));
        }
        return l;
    }

    private static Login fresh(String prefix) {
        String id = UUID.randomUUID().toString().replace("-", "");
        return new Login(prefix + id.substring(0, 10), "pw-" + id.substring(10));
    }

    private static void sql(String url, String user, String password, String statement) {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement st = c.createStatement()) {
            st.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException("test setup on " + url + " failed: " + e.getMessage(), e);
        }
    }
}
