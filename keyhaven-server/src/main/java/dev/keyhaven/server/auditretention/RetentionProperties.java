package dev.keyhaven.server.auditretention;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The instance's default audit retention, {@code KEYHAVEN_AUDIT_RETENTION_DAYS}: rows older than
 * this many days are deleted in organizations without a policy of their own; 0 (the default)
 * keeps them for ever.
 */
@ConfigurationProperties("keyhaven.audit-retention")
public record RetentionProperties(Integer days) {
    public RetentionProperties {
        days = days == null ? 0 : days;
        if (days < 0 || days > RetentionPolicy.MAX_DAYS) {
            throw new IllegalArgumentException(
                    "KEYHAVEN_AUDIT_RETENTION_DAYS must be between 0 (keep for ever) and " + RetentionPolicy.MAX_DAYS);
        }
    }
}
