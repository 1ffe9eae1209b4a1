package dev.keyhaven.server.audit;

/**
 * An audit event as every sink receives it: the event, the client family derived from its
 * User-Agent ({@code userAgentType}, as Infisical classifies it) and the moment it was recorded
 * (epoch milliseconds, the row's {@code createdAt}). The moment is taken once, so every sink
 * stores the same one.
 */
public record RecordedEvent(AuditEvent event, String userAgentType, long recordedAt) {}
