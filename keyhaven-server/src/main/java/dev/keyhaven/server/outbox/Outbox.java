package dev.keyhaven.server.outbox;

import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.platform.db.Ids;
import java.time.Clock;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one way out of the process: {@link #enqueue} writes an item in the caller's transaction, so
 * it is sent if and only if that transaction commits, and the dispatchers deliver it later, at least
 * once, retrying with backoff (see docs/outbox.md). The payload is sealed with the instance key,
 * since what leaves (a link with a one-time token, an audit event) can be worth stealing from a
 * backup; the target stays readable, as admins see it in the dead-letter list, so it must never
 * hold a credential.
 */
@Service
public class Outbox {
    private final OutboxStore store;
    private final Destinations destinations;
    private final Keyring keyring;
    private final Wakeup wakeup;
    private final Clock clock;

    Outbox(OutboxStore store, Destinations destinations, Keyring keyring, Wakeup wakeup, Clock clock) {
        this.store = store;
        this.destinations = destinations;
        this.keyring = keyring;
        this.wakeup = wakeup;
        this.clock = clock;
    }

    /**
     * Queues {@code payload} for {@code target} at the named destination, inside the current
     * transaction when there is one; returns the item's id.
     */
    public String enqueue(String destination, String target, String payload) {
        OutboxDestination d = destinations.require(destination);
        if (target == null || target.isBlank() || payload == null) {
            throw new IllegalArgumentException("an outbox item needs a target and a payload");
        }
        String id = Ids.newId();
        String orderingKey = d.ordered() ? destination + ":" + target : null;
        store.insert(id, destination, target, orderingKey, keyring.sealForInstance(payload, aad(id)), clock.millis());
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wakeup.nudge();
                }
            });
        } else {
            wakeup.nudge();
        }
        return id;
    }

    /** Binds a sealed payload to its item, so a payload copied onto another row does not open. */
    static String aad(String itemId) {
        return "keyhaven:outbox:v1:" + itemId;
    }
}
