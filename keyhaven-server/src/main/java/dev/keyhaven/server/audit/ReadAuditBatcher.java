package dev.keyhaven.server.audit;

import dev.keyhaven.server.platform.db.DatabaseMonitor;
import dev.keyhaven.server.platform.db.DatabaseProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit for read audit rows. A read must be recorded before its response leaves, but one
 * commit (one fsync) per read would cap read throughput at the disk's sync rate. Reads hand their
 * row to one writer thread, which inserts everything waiting in one transaction and then releases
 * the waiting requests: each read still waits for its own row to be durable, and a read whose row
 * cannot be written fails instead of going unaudited. The batch goes to every {@link AuditSink} in
 * the one transaction, so each sink sees reads exactly as they were committed.
 */
@Component
class ReadAuditBatcher implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ReadAuditBatcher.class);
    private static final int MAX_BATCH = 1000;

    private record Pending(RecordedEvent event, CompletableFuture<Void> done) {}

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(100_000);
    private final List<AuditSink> sinks;
    private final TransactionTemplate tx;
    private final DatabaseMonitor database;
    private final Thread writer;
    private volatile boolean running = true;

    ReadAuditBatcher(List<AuditSink> sinks, TransactionTemplate tx, DatabaseMonitor database) {
        this.sinks = List.copyOf(sinks);
        this.database = database;
        this.tx = tx;
        this.writer = new Thread(this::run, "audit-read-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Queues the event and waits until every sink's write of it is committed. */
    void recordAndWait(RecordedEvent event) {
        Pending p = new Pending(event, new CompletableFuture<>());
        try {
            if (!queue.offer(p, 5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the audit writer is overloaded");
            }
            p.done().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording the audit row", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the audit row could not be written", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the audit row was not written in time", e);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        try {
            List<RecordedEvent> events = batch.stream().map(Pending::event).toList();
            tx.executeWithoutResult(s -> sinks.forEach(sink -> sink.write(events)));
            database.writeSucceeded();
            batch.forEach(p -> p.done().complete(null));
        } catch (RuntimeException e) {
            if (DatabaseProblem.of(e) == null) {
                log.error("Could not write {} read audit rows; the reads fail", batch.size(), e);
            } // else each failed read is answered 503 and logged once per kind and minute
            batch.forEach(p -> p.done().completeExceptionally(e));
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        writer.join(5_000);
    }
}
