package dev.keyhaven.server.identity;

import dev.keyhaven.server.audit.AuditEventType;

/**
 * The audit event types a machine auth method's configuration changes are recorded as:
 * {@code add-identity-<method>}, {@code update-identity-<method>} and {@code revoke-identity-<method>},
 * declared by each method rather than looked up by name.
 */
public record AuthMethodEvents(AuditEventType attached, AuditEventType updated, AuditEventType revoked) {}
