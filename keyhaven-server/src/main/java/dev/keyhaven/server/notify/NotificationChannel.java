package dev.keyhaven.server.notify;

import dev.keyhaven.server.outbox.DeliveryFailure;
import dev.keyhaven.server.outbox.OutboxDestination;
import dev.keyhaven.server.outbox.OutboxItem;

/**
 * One way of telling a person something: e-mail now, chat (Slack, Teams) with the approvals.
 * A channel is an {@link OutboxDestination}: {@link Notifications} queues a message in the outbox
 * of the transaction that causes it, and the dispatcher later calls {@link #send} with the recipient
 * the channel checked when it was queued. A new channel is a bean implementing {@link #name()},
 * {@link #ready()} (configured on this instance), {@link #recipient} and {@link #send}.
 */
public interface NotificationChannel extends OutboxDestination {

    /**
     * The recipient as the channel stores and sends to it; throws {@link IllegalArgumentException}
     * for a value that is not exactly one valid recipient (a second address, a header, a newline).
     */
    String recipient(String recipient);

    /** Sends one message; an exception fails the attempt (see {@link OutboxDestination#deliver}). */
    void send(String recipient, Mail message) throws Exception;

    @Override
    default void deliver(OutboxItem item) throws Exception {
        Mail message;
        try {
            message = MailPayload.read(item.payload());
        } catch (RuntimeException e) {
            throw new DeliveryFailure("the payload is not a message", true, e);
        }
        send(item.target(), message);
    }
}
