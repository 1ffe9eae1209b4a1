package dev.keyhaven.server.platform.db;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.sqlite.SQLiteException;

/**
 * The ways the database can fail a request that are not the request's fault. Each is answered
 * with a 503 naming the cause and a {@code Retry-After}, logged as one line per kind (see
 * {@link DatabaseMonitor}), and reported by {@code /api/status} and readiness.
 */
public enum DatabaseProblem {
    UNREACHABLE("down", "DatabaseUnavailable", "The database is not reachable; try again shortly", 5),
    TIMED_OUT("slow", "DatabaseUnavailable", "The database did not answer in time; try again shortly", 5),
    BUSY("busy", "DatabaseBusy", "The database is busy with other requests; try again shortly", 2),
    FULL(
            "full",
            "DatabaseFull",
            "The database cannot store any more data (its disk is full), and every request, "
                    + "reads too, writes an audit row; ask the operator to free space on the database's disk",
            30),
    READ_ONLY(
            "read-only",
            "DatabaseReadOnly",
            "The database cannot be written (its files or disk are read-only), "
                    + "and every request, reads too, writes an audit row; ask the operator to check the data directory",
            30);

    private final String state;
    private final String error;
    private final String message;
    private final int retryAfterSeconds;

    DatabaseProblem(String state, String error, String message, int retryAfterSeconds) {
        this.state = state;
        this.error = error;
        this.message = message;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** One word for status and readiness: {@code down}, {@code slow}, {@code busy}, {@code full}, {@code read-only}. */
    public String state() {
        return state;
    }

    /** The {@code error} of the 503 body. */
    public String error() {
        return error;
    }

    /** What the client is told. */
    public String message() {
        return message;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The problem behind a failure, or null when the failure is not the database's availability. */
    public static DatabaseProblem of(Throwable failure) {
        int depth = 0;
        boolean fromDatabase = false; // a socket error counts only under a database error, not an outbound call's
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            fromDatabase |=
                    t instanceof SQLException || t instanceof DataAccessException || t instanceof TransactionException;
            if (t instanceof TransactionSystemException e && e.getApplicationException() != null) {
                // the rollback failed too; what made the transaction fail is what counts
                DatabaseProblem p = of(e.getApplicationException());
                if (p != null) {
                    return p;
                }
            }
            DatabaseProblem p = classify(t, fromDatabase);
            if (p != null) {
                return p;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static DatabaseProblem classify(Throwable t, boolean fromDatabase) {
        if (t instanceof SQLiteException e) {
            return switch (e.getResultCode().code & 0xff) {
                case 13 -> FULL; // SQLITE_FULL
                case 8 -> READ_ONLY; // SQLITE_READONLY and its extended codes
                case 5, 6 -> BUSY; // SQLITE_BUSY, SQLITE_LOCKED
                case 14 -> UNREACHABLE; // SQLITE_CANTOPEN
                default -> null;
            };
        }
        if (t instanceof SQLTransientConnectionException e && e.getCause() == null && e.getSQLState() == null) {
            return BUSY; // the pool had no free connection in time, while the database answers
        }
        if (t instanceof SQLTimeoutException) {
            return TIMED_OUT;
        }
        if (t instanceof SQLException e && e.getSQLState() != null) {
            DatabaseProblem p = bySqlState(e.getSQLState());
            if (p != null) {
                return p;
            }
        }
        if (fromDatabase && t instanceof SocketTimeoutException) {
            return TIMED_OUT;
        }
        if (fromDatabase && (t instanceof ConnectException || t instanceof SocketException)) {
            return UNREACHABLE;
        }
        return null;
    }

    private static DatabaseProblem bySqlState(String state) {
        if (state.startsWith("08")) {
            return UNREACHABLE; // connection exceptions
        }
        return switch (state) {
            case "57P01", "57P02", "57P03" -> UNREACHABLE; // shut down, crashed, not accepting connections yet
            case "57014" -> TIMED_OUT; // statement_timeout
            case "53100" -> FULL; // disk_full
            case "53200", "53300" -> BUSY; // out of memory, too many connections
            case "25006" -> READ_ONLY; // a read-only (standby) server
            default -> null;
        };
    }
}
