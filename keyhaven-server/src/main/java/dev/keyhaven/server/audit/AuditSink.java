package dev.keyhaven.server.audit;

import java.util.List;

/**
 * Where recorded audit events go: the one interface of the audit-sink family. The database trail
 * ({@link DatabaseAuditSink}, the rows the audit-logs API reads) is the first member; streams to
 * a SIEM (syslog, HTTP, Splunk HEC, Datadog, …) are the next. {@link AuditLog} hands every
 * event to every sink bean, in {@code @Order}, inside one transaction: for a change, the
 * transaction of the change itself; for reads, the group-commit transaction of
 * {@link ReadAuditBatcher}. A sink therefore writes to the database only, in that transaction, so
 * a change, its audit row and whatever the sink wrote commit or roll back together; a sink that
 * throws refuses the change (or fails the read), exactly as a failed audit row does. A streaming
 * sink never calls the network here: it enqueues a delivery in the durable outbox (package
 * {@code outbox}), whose dispatcher delivers it after commit, at least once, with retries, and
 * the sink decides there which organizations' events it takes.
 */
public interface AuditSink {
    /** The sink's kind as configuration and logs name it, e.g. {@code database}. */
    String name();

    /**
     * Writes the events inside the caller's transaction (one event for a change, a batch for
     * reads) and returns once they are written in it; throws when they cannot be.
     */
    void write(List<RecordedEvent> events);
}
