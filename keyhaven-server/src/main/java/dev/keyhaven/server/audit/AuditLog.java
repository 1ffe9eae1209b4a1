package dev.keyhaven.server.audit;

import dev.keyhaven.server.platform.db.Ids;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Service;

/**
 * Records audit events: the one entry every feature calls. Callers write inside the transaction
 * of the change they audit, so a change and its audit row commit or roll back together; reads are
 * recorded before the response leaves. Each event goes to every {@link AuditSink} bean (the
 * database trail first) in that same transaction; a sink that cannot write refuses the change.
 */
@Service
public class AuditLog {
    private final List<AuditSink> sinks;
    private final ReadAuditBatcher reads;
    private final Clock clock;

    AuditLog(List<AuditSink> sinks, ReadAuditBatcher reads, Clock clock) {
        if (sinks.isEmpty()) {
            throw new IllegalStateException("no audit sink: events would go unrecorded");
        }
        this.sinks = List.copyOf(sinks);
        this.reads = reads;
        this.clock = clock;
    }

    /** Records a change inside the caller's transaction, in every sink. */
    public void record(AuditEvent event) {
        List<RecordedEvent> one = List.of(recorded(event));
        for (AuditSink sink : sinks) {
            sink.write(one);
        }
    }

    /**
     * Records a read outside any transaction and returns once the row is committed (commits are
     * shared between concurrent reads); throws when it cannot be written, so the read fails.
     */
    public void recordRead(AuditEvent event) {
        reads.recordAndWait(recorded(event));
    }

    private RecordedEvent recorded(AuditEvent event) {
        return new RecordedEvent(event, userAgentType(event.userAgent()), clock.millis(), Ids.newId());
    }

    /** The client family, from its User-Agent, as Infisical classifies it. */
    static String userAgentType(String userAgent) {
        if (userAgent == null || userAgent.isEmpty()) {
            return "other";
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        if (ua.equals("cli") || ua.startsWith("infisicalcli") || ua.startsWith("keyhaven-cli")) {
            return "cli";
        }
        if (ua.startsWith("k8-operator")) {
            return "k8-operator";
        }
        if (ua.startsWith("terraform")) {
            return "terraform";
        }
        if (ua.contains("infisicalnodesdk") || ua.contains("node")) {
            return "InfisicalNodeSDK";
        }
        if (ua.contains("infisicalpythonsdk") || ua.contains("python")) {
            return "InfisicalPythonSDK";
        }
        if (ua.contains("mozilla")) {
            return "web";
        }
        return "other";
    }
}
