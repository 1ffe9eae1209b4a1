package dev.keyhaven.server.outbox;

import dev.keyhaven.server.crypto.DecryptionException;
import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.platform.db.Ids;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dispatcher: claims a batch of due items under a lease, hands each to its destination and
 * records the outcome: delivered, retry after a backoff, or dead once the attempts are used up (or
 * the destination says retrying cannot help). Items of the batch whose lease is about to run out
 * are given back untried, so another node never starts an item this one is still sending. Logs
 * name the destination, the item and the reason, never the target or the payload.
 */
final class OutboxDispatcher {
    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
    /** Time kept in hand at the end of a lease: an item is not started with less left than this. */
    private static final long LEASE_MARGIN_MILLIS = 30_000;

    private static final long SWEEP_EVERY_MILLIS = 60_000;

    private final OutboxStore store;
    private final Destinations destinations;
    private final Keyring keyring;
    private final OutboxProperties settings;
    private final Backoff backoff;
    private final Clock clock;
    private final String node;
    private long lastSweep;

    OutboxDispatcher(
            OutboxStore store,
            Destinations destinations,
            Keyring keyring,
            OutboxProperties settings,
            Clock clock,
            String node) {
        this.store = store;
        this.destinations = destinations;
        this.keyring = keyring;
        this.settings = settings;
        this.backoff = new Backoff(settings.backoffBase(), settings.backoffMax());
        this.clock = clock;
        this.node = node.length() > 90 ? node.substring(0, 90) : node;
    }

    /** One round: claims and delivers a batch; returns how many items it claimed. */
    int runOnce() {
        long now = clock.millis();
        if (now - lastSweep >= SWEEP_EVERY_MILLIS) {
            lastSweep = now;
            int abandoned = store.deadLetterAbandoned(now, settings.maxAttempts());
            if (abandoned > 0) {
                log.warn("{} outbox items moved to the dead letters: their last attempt never finished", abandoned);
            }
        }
        List<String> ready = destinations.readyNames();
        if (ready.isEmpty() || !store.anyDue(ready, now, settings.maxAttempts())) {
            return 0;
        }
        List<OutboxStore.Claimed> batch = claim(ready, now);
        for (OutboxStore.Claimed item : batch) {
            deliver(item);
        }
        return batch.size();
    }

    /** Claims a batch without delivering it (what a node that dies at once leaves behind). */
    List<OutboxStore.Claimed> claim(List<String> ready, long now) {
        return store.claim(
                node + "/" + Ids.newId().substring(0, 8),
                ready,
                now,
                now + settings.lease().toMillis(),
                settings.batchSize(),
                settings.maxAttempts());
    }

    private void deliver(OutboxStore.Claimed item) {
        String claim = item.claim();
        long start = clock.millis();
        if (start + Math.min(LEASE_MARGIN_MILLIS, settings.lease().toMillis() / 2) >= item.claimedUntil()) {
            store.release(item.id(), claim, start);
            return;
        }
        OutboxDestination destination = destinations.get(item.destination());
        String payload;
        try {
            payload = keyring.openForInstance(item.sealedPayload(), Outbox.aad(item.id()));
        } catch (DecryptionException | IllegalArgumentException e) {
            dead(item, claim, "the payload cannot be opened with this instance's key");
            return;
        }
        try {
            destination.deliver(new OutboxItem(item.id(), item.destination(), item.target(), payload, item.attempts()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(item, claim, "interrupted", false);
            return;
        } catch (DeliveryFailure e) {
            failed(item, claim, reason(e.getMessage()), e.permanent());
            return;
        } catch (Exception e) {
            failed(item, claim, e.getClass().getSimpleName(), false);
            return;
        }
        if (store.delivered(item.id(), claim, clock.millis())) {
            log.debug("Outbox item {} delivered to {}", item.id(), item.destination());
        } else {
            log.warn("Outbox item {} was delivered to {} after its lease ran out", item.id(), item.destination());
        }
    }

    private void failed(OutboxStore.Claimed item, String claim, String reason, boolean permanent) {
        if (permanent || item.attempts() >= settings.maxAttempts()) {
            dead(item, claim, reason);
            return;
        }
        long delay = backoff.delayMillis(item.attempts());
        long now = clock.millis();
        store.retryLater(item.id(), claim, reason, now + delay, now);
        log.info(
                "Outbox item {} for {} failed (attempt {} of {}: {}); next try in {} ms",
                item.id(),
                item.destination(),
                item.attempts(),
                settings.maxAttempts(),
                reason,
                delay);
    }

    private void dead(OutboxStore.Claimed item, String claim, String reason) {
        store.dead(item.id(), claim, reason, clock.millis());
        log.warn(
                "Outbox item {} for {} moved to the dead letters after {} attempts: {}",
                item.id(),
                item.destination(),
                item.attempts(),
                reason);
    }

    private static String reason(String message) {
        if (message == null || message.isBlank()) {
            return "delivery failed";
        }
        return message.length() > 400 ? message.substring(0, 400) : message;
    }
}
