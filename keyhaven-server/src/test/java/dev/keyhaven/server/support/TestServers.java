package dev.keyhaven.server.support;

import dev.keyhaven.server.KeyhavenApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Starts servers for tests: one shared, bootstrapped server per database for the whole run, and
 * fresh ones on demand. SQLite gets a temporary data directory; PostgreSQL a fresh schema in the
 * database at {@code KEYHAVEN_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test},
 * user {@code KEYHAVEN_TEST_PG_USER}, default {@code postgres}). An unreachable PostgreSQL fails
 * the run with a message; it is never skipped.
 */
public final class TestServers {
    public static final String ADMIN_EMAIL = "admin@keyhaven.test";
    public static final String ADMIN_PASSWORD = "correct horse battery staple";
    private static final Map<Db, TestServer> SHARED = new EnumMap<>(Db.class);
    private static final List<String> SCHEMAS = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestServers::cleanUp, "test-servers-cleanup"));
    }

    private TestServers() {}

    public static synchronized TestServer shared(Db db) {
        return SHARED.computeIfAbsent(db, d -> {
            TestServer server = fresh(d);
            server.admin = bootstrap(server);
            return server;
        });
    }

    /** A new server on a new, empty database; the caller closes it. */
    public static TestServer fresh(Db db) {
        return start(db, db == Db.SQLITE ? null : newPgSchemaUrl(), null);
    }

    /** A new server on a new, empty database with extra settings (rate limits off unless they say otherwise); the caller closes it. */
    public static TestServer fresh(Db db, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(NO_RATE_LIMITS));
        args.addAll(List.of(extraArgs));
        return start(db, db == Db.SQLITE ? null : newPgSchemaUrl(), null, args.toArray(String[]::new));
    }

    /**
     * A new, bootstrapped server on a new, empty database with extra Spring configuration classes
     * (a seam's contract test registers its own implementation this way; component scanning never
     * picks up test classes without a stereotype); the caller closes it.
     */
    public static TestServer freshWith(Db db, Class<?>... extraSources) {
        TestServer server = start(db, db == Db.SQLITE ? null : newPgSchemaUrl(), null, extraSources, suiteArgs());
        server.admin = bootstrap(server);
        return server;
    }

    /** Another node on the same database as {@code server} (same root key), for multi-node tests. */
    public static TestServer secondNode(TestServer server) {
        return start(server.db, server.dbUrl, server.dataDir);
    }

    public static TestServer start(Db db, String dbUrl, Path dataDir) {
        return start(db, dbUrl, dataDir, suiteArgs());
    }

    /** The settings of the suite's servers. */
    private static String[] suiteArgs() {
        // the suite logs in and reads far more often than a real client; the rate-limit tests start their own servers
        List<String> args = new ArrayList<>(List.of(NO_RATE_LIMITS));
        args.addAll(List.of(
                "--keyhaven.users.login-per-ip-per-minute=0",
                "--keyhaven.users.login-per-account-per-minute=0",
                "--keyhaven.users.signup-allowed=true"));
        args.addAll(TestMail.serverArgs());
        return args.toArray(String[]::new);
    }

    /** Settings that turn every rate limit off, for servers that tests hit hard. */
    public static final String[] NO_RATE_LIMITS = {
        "--keyhaven.login-rate-per-ip=0",
        "--keyhaven.login-rate-per-identity=0",
        "--keyhaven.rate-reads-per-minute=0",
        "--keyhaven.rate-writes-per-minute=0"
    };

    /** A server with extra command-line settings (they come last, so they win). */
    public static TestServer start(Db db, String dbUrl, Path dataDir, String... extraArgs) {
        return start(db, dbUrl, dataDir, new Class<?>[0], extraArgs);
    }

    private static TestServer start(Db db, String dbUrl, Path dataDir, Class<?>[] extraSources, String... extraArgs) {
        try {
            Path dir = dataDir != null ? dataDir : Files.createTempDirectory("keyhaven-test-");
            String url = dbUrl != null ? dbUrl : "jdbc:sqlite:" + dir.resolve("keyhaven.db");
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=0",
                    "--keyhaven.data-dir=" + dir,
                    "--keyhaven.db-url=" + url,
                    "--logging.level.root=WARN",
                    "--logging.level.dev.keyhaven=INFO",
                    "--management.endpoints.web.exposure.include=health,prometheus",
                    // health and metrics listen on a port of their own, as in production
                    "--keyhaven.management-port=0",
                    // the JWKS and discovery servers the auth tests start listen on loopback
                    "--keyhaven.outbound-allowlist=127.0.0.0/8,::1/128",
                    // an endpoint whose checks differ from its declared permission answers 500
                    "--keyhaven.access.strict-declarations=true"));
            if (db == Db.POSTGRESQL) {
                args.add("--keyhaven.db-user=" + pgUser());
            }
            args.addAll(List.of(extraArgs));
            ConfigurableApplicationContext ctx = new SpringApplicationBuilder(KeyhavenApplication.class)
                    .sources(extraSources)
                    .run(lastWins(args));
            return new TestServer(db, ctx, url, dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Spring joins a repeated {@code --key=value} into {@code a,b}; keep only the last value of each
     * key, so settings given later override earlier defaults.
     */
    private static String[] lastWins(List<String> args) {
        java.util.Map<String, String> byKey = new java.util.LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            String key = eq > 0 ? a.substring(0, eq) : a;
            byKey.remove(key);
            byKey.put(key, a);
        }
        return byKey.values().toArray(String[]::new);
    }

    public static TestServer.Admin bootstrap(TestServer server) {
        Res res = server.anonymous()
                .post(
                        "/api/v1/admin/bootstrap",
                        Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD, "organization", "Test Org"));
        if (res.status() != 200) {
            throw new IllegalStateException("bootstrap failed: " + res);
        }
        JsonNode b = res.body();
        return new TestServer.Admin(
                b.path("identity").path("credentials").path("token").asString(),
                b.path("organization").path("id").asString(),
                b.path("identity").path("id").asString(),
                b.path("user").path("id").asString());
    }

    public static String pgBaseUrl() {
        String url = System.getenv("KEYHAVEN_TEST_PG_URL");
        return url == null || url.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/test" : url;
    }

    public static String pgUser() {
        String user = System.getenv("KEYHAVEN_TEST_PG_USER");
        return user == null || user.isBlank() ? "postgres" : user;
    }

    /** A JDBC connection to the test PostgreSQL database (outside any Keyhaven schema). */
    public static Connection pgConnection() throws SQLException {
        try {
            return DriverManager.getConnection(pgBaseUrl(), pgUser(), System.getenv("KEYHAVEN_TEST_PG_PASSWORD"));
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL is not reachable at " + pgBaseUrl() + " as " + pgUser()
                            + " (" + e.getMessage()
                            + "). The tests need it: start PostgreSQL (scripts/start-services.sh) "
                            + "or point KEYHAVEN_TEST_PG_URL / KEYHAVEN_TEST_PG_USER at one.",
                    e);
        }
    }

    /** A fresh, empty schema in the test PostgreSQL database, dropped at the end of the run; returns its JDBC URL. */
    public static synchronized String newPgSchemaUrl() {
        String schema =
                "kh_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = pgConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test schema in PostgreSQL: " + e.getMessage(), e);
        }
        SCHEMAS.add(schema);
        String base = pgBaseUrl();
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static void cleanUp() {
        SHARED.values().forEach(s -> {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // shutting down anyway
            }
        });
        if (SCHEMAS.isEmpty()) {
            return;
        }
        try (Connection c = pgConnection();
                Statement s = c.createStatement()) {
            for (String schema : SCHEMAS) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        } catch (SQLException | RuntimeException ignored) {
            // best effort: a leftover schema is harmless and named kh_test_*
        }
    }
}
