package dev.keyhaven.server.auditstream;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How audit log streams run, from {@code KEYHAVEN_AUDIT_STREAMS_*}: how long each organization's
 * list of streams is kept before it is read again ({@code DIRECTORY_TTL}, default 5s), which is also
 * how soon another node sees a stream created or deleted elsewhere.
 */
@ConfigurationProperties("keyhaven.audit-streams")
public record AuditStreamProperties(Duration directoryTtl) {
    public AuditStreamProperties {
        if (directoryTtl == null) {
            directoryTtl = Duration.ofSeconds(5);
        }
        if (directoryTtl.isNegative() || directoryTtl.isZero()) {
            throw new IllegalArgumentException("keyhaven.audit-streams.directory-ttl must be positive");
        }
    }
}
