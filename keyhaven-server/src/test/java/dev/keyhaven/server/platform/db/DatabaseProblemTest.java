package dev.keyhaven.server.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Which failures are the database's availability (answered 503) and which are not. */
class DatabaseProblemTest {
    @Test
    void sqliteResultCodesNameTheCauseThroughAnyWrapping() {
        var full = new SQLiteException("[SQLITE_FULL] database or disk is full", SQLiteErrorCode.SQLITE_FULL);
        assertThat(DatabaseProblem.of(new IllegalStateException(
                        "the audit row could not be written", new DataAccessResourceFailureException("insert", full))))
                .isEqualTo(DatabaseProblem.FULL);
        assertThat(DatabaseProblem.of(new SQLiteException("ro", SQLiteErrorCode.SQLITE_READONLY_DIRECTORY)))
                .isEqualTo(DatabaseProblem.READ_ONLY);
        assertThat(DatabaseProblem.of(new SQLiteException("busy", SQLiteErrorCode.SQLITE_BUSY)))
                .isEqualTo(DatabaseProblem.BUSY);
        assertThat(DatabaseProblem.of(new SQLiteException("constraint", SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE)))
                .isNull();
    }

    @Test
    void postgresqlStatesAndThePoolsTimeoutAreTold() {
        assertThat(DatabaseProblem.of(new SQLException("refused", "08001"))).isEqualTo(DatabaseProblem.UNREACHABLE);
        assertThat(DatabaseProblem.of(new SQLException("terminating connection", "57P01")))
                .isEqualTo(DatabaseProblem.UNREACHABLE);
        assertThat(DatabaseProblem.of(new SQLException("canceling statement due to statement timeout", "57014")))
                .isEqualTo(DatabaseProblem.TIMED_OUT);
        assertThat(DatabaseProblem.of(new SQLException("could not extend file", "53100")))
                .isEqualTo(DatabaseProblem.FULL);
        assertThat(DatabaseProblem.of(new SQLException("duplicate key", "23505")))
                .isNull();
        // the pool timed out while the database answers: busy; with the database's own failure as cause: that
        assertThat(DatabaseProblem.of(new SQLTransientConnectionException("Connection is not available")))
                .isEqualTo(DatabaseProblem.BUSY);
        assertThat(DatabaseProblem.of(new SQLTransientConnectionException(
                        "Connection is not available", "08001", new SQLException("refused", "08001"))))
                .isEqualTo(DatabaseProblem.UNREACHABLE);
    }

    @Test
    void aSocketErrorCountsOnlyUnderADatabaseError() {
        assertThat(DatabaseProblem.of(new SQLException("I/O error", null, new ConnectException("refused"))))
                .isEqualTo(DatabaseProblem.UNREACHABLE);
        // an outbound call (a JWKS fetch, say) that cannot connect is not the database
        assertThat(DatabaseProblem.of(new IllegalStateException("jwks", new ConnectException("refused"))))
                .isNull();
    }
}
