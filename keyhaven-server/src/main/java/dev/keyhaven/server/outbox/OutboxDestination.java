package dev.keyhaven.server.outbox;

/**
 * Somewhere the outbox delivers to: a notification channel (e-mail), and later audit streams,
 * secret syncs and webhooks. A destination is a Spring bean registered under its {@link #name()};
 * the dispatcher hands it one item at a time and takes a normal return as delivered and an
 * exception as "try again later" (or, for a {@link DeliveryFailure} that says so, "never"). Delivery
 * is at least once, so a destination should tolerate seeing an item twice (after a node died
 * mid-delivery, say). A node claims only items of destinations it has and that are {@link #ready()}.
 */
public interface OutboxDestination {

    /** The name stored with each item; unique among destinations and never changed once items carry it. */
    String name();

    /**
     * Whether the items of one target are delivered one at a time in enqueue order: the next item
     * waits until the one before it is delivered or dead. Off by default (independent messages).
     */
    default boolean ordered() {
        return false;
    }

    /** Whether this node can deliver now (configured); items wait while it cannot. */
    default boolean ready() {
        return true;
    }

    /**
     * Delivers one item. Throw to fail the attempt: the dispatcher records only the exception's
     * class name, or the {@link DeliveryFailure#getMessage() reason} of a {@link DeliveryFailure},
     * so a message carrying a secret never reaches the table or a log.
     */
    void deliver(OutboxItem item) throws Exception;
}
