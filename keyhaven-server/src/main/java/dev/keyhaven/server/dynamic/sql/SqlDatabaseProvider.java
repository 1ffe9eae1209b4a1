package dev.keyhaven.server.dynamic.sql;

import dev.keyhaven.server.connection.ConnectionException;
import dev.keyhaven.server.connection.Dialer;
import dev.keyhaven.server.connection.ServerCredentials;
import dev.keyhaven.server.connection.sql.SqlConnector;
import dev.keyhaven.server.connection.sql.SqlDialect;
import dev.keyhaven.server.connection.sql.SqlProbe;
import dev.keyhaven.server.dynamic.DynamicSecretException;
import dev.keyhaven.server.dynamic.DynamicSecretProvider;
import dev.keyhaven.server.dynamic.Generated;
import dev.keyhaven.server.dynamic.StatementTemplate;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * {@code sql-database} for the clients {@code postgres} and {@code mysql2} (MySQL and MariaDB):
 * runs the configuration's creation, renewal and revocation statements as its root user. The
 * statements may use {@code {{username}}, {{password}}, {{expiration}}, {{database}}}; the values
 * are generated ({@link Generated}) or the checked database name, never caller input.
 */
@Component
class SqlDatabaseProvider implements DynamicSecretProvider {
    static final Set<String> VARIABLES = Set.of("username", "password", "expiration", "database");
    private static final Map<String, SqlDialect> CLIENTS =
            Map.of("postgres", SqlDialect.POSTGRES, "mysql2", SqlDialect.MYSQL);

    private final Dialer dialer;

    SqlDatabaseProvider(Dialer dialer) {
        this.dialer = dialer;
    }

    @Override
    public String type() {
        return "sql-database";
    }

    @Override
    public Map<String, Object> validate(Map<String, Object> inputs) {
        Object client = inputs.get("client");
        if (!(client instanceof String c) || !CLIENTS.containsKey(c)) {
            throw new DynamicSecretException("client must be one of "
                    + CLIENTS.keySet().stream().sorted().toList() + " (other SQL clients are not supported yet)");
        }
        if (inputs.get("ca") instanceof String ca && !ca.isBlank()) {
            throw new DynamicSecretException("ca: TLS to the database is not supported yet");
        }
        StatementTemplate.parse("creationStatement", (String) text(inputs, "creationStatement"), VARIABLES);
        StatementTemplate.parse("revocationStatement", (String) text(inputs, "revocationStatement"), VARIABLES);
        Object renew = inputs.get("renewStatement");
        if (renew != null && !String.valueOf(renew).isBlank()) {
            StatementTemplate.parse("renewStatement", String.valueOf(renew), VARIABLES);
        }
        ServerCredentials root = credentials(inputs);
        Map<String, Object> out = new LinkedHashMap<>(root.visible());
        out.put("password", root.password());
        out.put("client", client);
        out.put("creationStatement", inputs.get("creationStatement"));
        out.put("revocationStatement", inputs.get("revocationStatement"));
        out.put("renewStatement", renew == null || String.valueOf(renew).isBlank() ? null : renew);
        return out;
    }

    @Override
    public void testConnection(Map<String, Object> inputs) {
        try {
            SqlProbe.selectOne(dialect(inputs), credentials(inputs), dialer);
        } catch (ConnectionException e) {
            throw new DynamicSecretException(e.getMessage());
        }
    }

    @Override
    public Lease create(Map<String, Object> inputs, LeaseRequest request) {
        String username = Generated.username();
        String password = Generated.password();
        ServerCredentials root = credentials(inputs);
        Map<String, String> values = Map.of(
                "username",
                username,
                "password",
                password,
                "expiration",
                Generated.expiration(request.expiresAt()),
                "database",
                root.database());
        run(inputs, root, template(inputs, "creationStatement").render(values), false);
        return new Lease(username, Map.of("DB_USERNAME", username, "DB_PASSWORD", password));
    }

    @Override
    public void renew(Map<String, Object> inputs, String entityId, Instant expiresAt) {
        Object renew = inputs.get("renewStatement");
        if (renew == null) {
            return;
        }
        ServerCredentials root = credentials(inputs);
        Map<String, String> values = Map.of(
                "username", entityId, "expiration", Generated.expiration(expiresAt), "database", root.database());
        run(
                inputs,
                root,
                StatementTemplate.parse("renewStatement", (String) renew, VARIABLES)
                        .render(values),
                false);
    }

    @Override
    public void revoke(Map<String, Object> inputs, String entityId) {
        ServerCredentials root = credentials(inputs);
        Map<String, String> values = Map.of("username", entityId, "database", root.database());
        run(inputs, root, template(inputs, "revocationStatement").render(values), true);
    }

    private void run(Map<String, Object> inputs, ServerCredentials root, List<String> statements, boolean revoking) {
        SqlDialect dialect = dialect(inputs);
        try (Connection c = SqlConnector.open(dialect, root, dialer)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(15);
                for (String s : statements) {
                    st.execute(s);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (revoking && alreadyGone(e)) {
                    return;
                }
                throw new DynamicSecretException("a statement failed on the database (SQL state " + e.getSQLState()
                        + ", error " + e.getErrorCode() + ")");
            }
        } catch (ConnectionException e) {
            throw new DynamicSecretException(e.getMessage());
        } catch (SQLException e) {
            throw new DynamicSecretException("the database connection failed (SQL state " + e.getSQLState() + ")");
        }
    }

    /** A revocation of a user that no longer exists (PostgreSQL 42704, MySQL 1396) has nothing left to do. */
    private static boolean alreadyGone(SQLException e) {
        return "42704".equals(e.getSQLState()) || e.getErrorCode() == 1396;
    }

    private static StatementTemplate template(Map<String, Object> inputs, String field) {
        return StatementTemplate.parse(field, (String) inputs.get(field), VARIABLES);
    }

    private static SqlDialect dialect(Map<String, Object> inputs) {
        return CLIENTS.get(String.valueOf(inputs.get("client")));
    }

    private static ServerCredentials credentials(Map<String, Object> inputs) {
        return ServerCredentials.parse(inputs, true);
    }

    private static Object text(Map<String, Object> inputs, String field) {
        Object v = inputs.get(field);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new DynamicSecretException(field + " is required");
        }
        return s;
    }
}
