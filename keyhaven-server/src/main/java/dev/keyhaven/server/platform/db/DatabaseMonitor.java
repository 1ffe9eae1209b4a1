package dev.keyhaven.server.platform.db;

import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows whether the database can serve requests, without asking the request pool. A probe on its
 * own connection runs every second with a short timeout; while it fails, {@link GuardedDataSource}
 * refuses connections at once, so requests get a 503 instead of waiting, and {@code /api/status}
 * and readiness report the database down. Requests that fail because the database is full or
 * read-only report it here too ({@link #failed}); that is shown for {@value #STORAGE_REPORT_SECONDS}
 * s after the last such failure, or until a write succeeds. Failures are logged as one line per
 * kind, at most once a minute with a count, never a stack trace per request.
 */
public class DatabaseMonitor implements AutoCloseable {
    static final int STORAGE_REPORT_SECONDS = 30;
    private static final Logger log = LoggerFactory.getLogger(DatabaseMonitor.class);
    private static final long LOG_EVERY_MILLIS = 60_000;

    private final Dialect dialect;
    private final String url;
    private final Properties connectionProperties;
    private final int probeTimeoutSeconds;
    private final Map<DatabaseProblem, AtomicLong[]> failures = new EnumMap<>(DatabaseProblem.class);
    private volatile DatabaseProblem unreachable;
    private volatile long unreachableSince;
    private volatile DatabaseProblem storage;
    private volatile long storageFailedAt;
    private ScheduledExecutorService probes;
    private Connection probeConnection;

    DatabaseMonitor(Dialect dialect, String url, String user, String password, Duration probeTimeout) {
        this.dialect = dialect;
        this.url = url;
        this.probeTimeoutSeconds = (int) Math.max(1, (probeTimeout.toMillis() + 999) / 1000);
        this.connectionProperties = new Properties();
        if (user != null) {
            connectionProperties.setProperty("user", user);
        }
        if (password != null) {
            connectionProperties.setProperty("password", password);
        }
        if (dialect == Dialect.POSTGRESQL) {
            String seconds = Integer.toString(probeTimeoutSeconds);
            connectionProperties.setProperty("connectTimeout", seconds);
            connectionProperties.setProperty("loginTimeout", seconds);
            connectionProperties.setProperty("socketTimeout", seconds);
            connectionProperties.setProperty("ApplicationName", "keyhaven health probe");
        }
        for (DatabaseProblem p : DatabaseProblem.values()) {
            failures.put(p, new AtomicLong[] {new AtomicLong(), new AtomicLong()});
        }
    }

    /** Starts probing; called once the database is migrated. */
    synchronized void start() {
        if (probes == null) {
            probes = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "database-probe");
                t.setDaemon(true);
                return t;
            });
            probes.scheduleWithFixedDelay(this::probe, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** False while the probe cannot reach the database: requests should not wait for a connection. */
    public boolean reachable() {
        return unreachable == null;
    }

    /** What keeps the database from serving requests now, or null when nothing does. */
    public DatabaseProblem problem() {
        DatabaseProblem down = unreachable;
        if (down != null) {
            return down;
        }
        DatabaseProblem s = storage;
        if (s != null && System.currentTimeMillis() - storageFailedAt < STORAGE_REPORT_SECONDS * 1000L) {
            return s;
        }
        return null;
    }

    /** A request failed because of {@code problem}: remember it (full, read-only) and log it, once per kind and minute. */
    public void failed(DatabaseProblem problem, Throwable failure) {
        long now = System.currentTimeMillis();
        if (problem == DatabaseProblem.FULL || problem == DatabaseProblem.READ_ONLY) {
            storageFailedAt = now;
            storage = problem;
        }
        AtomicLong[] countAndNext = failures.get(problem);
        countAndNext[0].incrementAndGet();
        long next = countAndNext[1].get();
        if (now >= next && countAndNext[1].compareAndSet(next, now + LOG_EVERY_MILLIS)) {
            long count = countAndNext[0].getAndSet(0);
            log.warn(
                    "Database {}: {}; {} request(s) answered 503 since the last such line (logged at most once a minute)",
                    problem.state(),
                    describe(failure),
                    count);
        }
    }

    /** A write committed: the database takes data again. */
    public void writeSucceeded() {
        if (storage != null) {
            storage = null;
            log.debug("The database takes writes again");
        }
    }

    private void probe() {
        try {
            try {
                ask();
            } catch (SQLException | RuntimeException e) {
                if (probeConnection == null || timedOut(e)) {
                    throw e; // a database that does not answer will not answer a new connection either
                }
                // the kept connection may have been closed on its own (idle timeout): try a new one
                closeProbeConnection();
                ask();
            }
            if (unreachable != null) {
                log.warn(
                        "The database answers again after {} s; requests are served",
                        (System.currentTimeMillis() - unreachableSince) / 1000);
                unreachable = null;
            }
        } catch (SQLException | RuntimeException e) {
            closeProbeConnection();
            DatabaseProblem p = DatabaseProblem.of(e);
            if (p == DatabaseProblem.BUSY) {
                return; // it answers, just not now
            }
            if (p == DatabaseProblem.FULL || p == DatabaseProblem.READ_ONLY) {
                failed(p, e);
                return;
            }
            if (unreachable == null) {
                unreachableSince = System.currentTimeMillis();
                log.warn("The database is not reachable ({}); requests get 503 until it answers", describe(e));
            }
            unreachable = timedOut(e) ? DatabaseProblem.TIMED_OUT : DatabaseProblem.UNREACHABLE;
        }
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof SQLTimeoutException) {
                return true;
            }
        }
        return DatabaseProblem.of(failure) == DatabaseProblem.TIMED_OUT;
    }

    private void ask() throws SQLException {
        if (probeConnection == null) {
            probeConnection = DriverManager.getConnection(url, connectionProperties);
        }
        try (Statement s = probeConnection.createStatement()) {
            if (dialect == Dialect.SQLITE) {
                s.setQueryTimeout(probeTimeoutSeconds);
                s.execute("PRAGMA schema_version");
            } else {
                // bounded by the socket timeout; a query timeout would wait on a cancel request
                // sent over a new connection, which hangs as long as the database does
                s.execute("SELECT 1");
            }
        }
    }

    /** The innermost cause, as one line without a stack trace. */
    static String describe(Throwable failure) {
        Throwable t = failure;
        for (int i = 0; i < 20 && t.getCause() != null && t.getCause() != t; i++) {
            t = t.getCause();
        }
        return t.getMessage() == null
                ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + DatabaseConfig.firstLine(t.getMessage());
    }

    private void closeProbeConnection() {
        if (probeConnection != null) {
            try {
                probeConnection.close();
            } catch (SQLException | RuntimeException ignored) {
                // it is broken anyway
            }
            probeConnection = null;
        }
    }

    @Override
    public synchronized void close() {
        if (probes != null) {
            probes.shutdownNow();
            try {
                probes.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeProbeConnection();
    }
}
