package dev.keyhaven.server.outbox;

/**
 * One item as its destination receives it: the target and the payload opened from its seal.
 * {@code attempt} counts from 1. The payload can hold a link with a token, so {@link #toString()}
 * leaves it out.
 */
public record OutboxItem(String id, String destination, String target, String payload, int attempt) {
    @Override
    public String toString() {
        return "OutboxItem[id=" + id + ", destination=" + destination + ", attempt=" + attempt + "]";
    }
}
