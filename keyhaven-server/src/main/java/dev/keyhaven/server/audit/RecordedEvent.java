package dev.keyhaven.server.audit;

/**
 * An audit event as every sink receives it: the event, the client family derived from its
 * User-Agent ({@code userAgentType}, as Infisical classifies it) and the moment it was recorded
 * (epoch milliseconds, the row's {@code createdAt}) and the event's id (the row's {@code id}). The
 * moment and the id are taken once, so every sink stores the same ones, and a stream receiver can
 * tell a redelivered event from a new one by its id.
 */
public record RecordedEvent(AuditEvent event, String userAgentType, long recordedAt, String id) {}
