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
public final class Targets {
    public static final String HOST = "127.0.0.1";
    public static final int POSTGRES_PORT = 5432;
    public static final int MARIADB_PORT = 3306;
    public static final int REDIS_PORT = 6379;
    public static final String POSTGRES_DB = "test";
    public static final String MARIADB_DB = "keyhaven_conn_test";

    /** A login made for a test: its user name and password. */
    public record Login(String username, String password) {}

    private Targets() {}

    public static Login postgresUser() {
        Login l = fresh("kh_pg_");
        sql(
                "jdbc:postgresql://" + HOST + ":" + POSTGRES_PORT + "/" + POSTGRES_DB,
                "postgres",
                "",
                "CREATE ROLE " + l.username() + " LOGIN PASSWORD '" + l.password() + "'");
        return l;
    }

    public static Login mariadbUser() {
        Login l = fresh("kh_my_");
        String url = "jdbc:mariadb://" + HOST + ":" + MARIADB_PORT + "/";
        sql(url, "root", "", "CREATE DATABASE IF NOT EXISTS " + MARIADB_DB);
        sql(url, "root", "", "CREATE USER '" + l.username() + "'@'%' IDENTIFIED BY '" + l.password() + "'");
        sql(url, "root", "", "GRANT SELECT ON " + MARIADB_DB + ".* TO '" + l.username() + "'@'%'");
        return l;
    }

    public static Login redisUser() {
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

    /** A MariaDB user that may create, grant and drop users (the root of a dynamic secret). */
    public static Login mariadbAdmin() {
        Login l = fresh("kh_myadm_");
        String url = "jdbc:mariadb://" + HOST + ":" + MARIADB_PORT + "/";
        sql(url, "root", "", "CREATE DATABASE IF NOT EXISTS " + MARIADB_DB);
        sql(url, "root", "", "CREATE USER '" + l.username() + "'@'%' IDENTIFIED BY '" + l.password() + "'");
        sql(url, "root", "", "GRANT ALL PRIVILEGES ON *.* TO '" + l.username() + "'@'%' WITH GRANT OPTION");
        return l;
    }

    /** A Redis ACL user that may manage ACL users. */
    public static Login redisAdmin() {
        Login l = fresh("kh_rdadm_");
        try (RedisClient client = RedisClient.create("redis://" + HOST + ":" + REDIS_PORT);
                StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync()
                    .aclSetuser(
                            l.username(),
                            io.lettuce.core.AclSetuserArgs.Builder.on()
                                    .addPassword(l.password())
                                    .allKeys()
                                    .allChannels()
                                    .addCommand(io.lettuce.core.protocol.CommandType.PING)
                                    .addCommand(io.lettuce.core.protocol.CommandType.ACL));
        }
        return l;
    }

    /** Deletes a Redis ACL user a test left behind; true when it existed. */
    public static boolean redisDeleteUser(String user) {
        try (RedisClient client = RedisClient.create("redis://" + HOST + ":" + REDIS_PORT);
                StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().aclDeluser(user) == 1;
        }
    }

    /** Whether the user logs in to MariaDB and may run {@code SELECT 1}. */
    public static boolean mariadbLogsIn(String user, String password) {
        return logsIn("jdbc:mariadb://" + HOST + ":" + MARIADB_PORT + "/" + MARIADB_DB, user, password);
    }

    /** Whether the role logs in to PostgreSQL (the local server trusts loopback, so this is whether the role exists and may log in). */
    public static boolean postgresLogsIn(String user, String password) {
        return logsIn("jdbc:postgresql://" + HOST + ":" + POSTGRES_PORT + "/" + POSTGRES_DB, user, password);
    }

    /** Whether the ACL user logs in to Redis and may PING. */
    public static boolean redisLogsIn(String user, String password) {
        io.lettuce.core.RedisURI uri = io.lettuce.core.RedisURI.builder()
                .withHost(HOST)
                .withPort(REDIS_PORT)
                .withAuthentication(user, password.toCharArray())
                .build();
        try (RedisClient client = RedisClient.create(uri);
                StatefulRedisConnection<String, String> c = client.connect()) {
            return "PONG".equals(c.sync().ping());
        } catch (io.lettuce.core.RedisException e) {
            return false;
        }
    }

    private static boolean logsIn(String url, String user, String password) {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement st = c.createStatement()) {
            return st.executeQuery("SELECT 1").next();
        } catch (SQLException e) {
            return false;
        }
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
