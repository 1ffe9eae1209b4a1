package dev.keyhaven.server.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the outbox small and visible: purges delivered items after {@code delivered-retention} and
 * dead ones after {@code dead-retention} (every node, hourly; the deletes are idempotent), and
 * publishes the items per state as the gauge {@code keyhaven.outbox.items} (Prometheus:
 * {@code keyhaven_outbox_items{state="pending"|"dead"}}), read from the database at each scrape.
 */
@Component
class OutboxMaintenance {
    private static final Logger log = LoggerFactory.getLogger(OutboxMaintenance.class);
    private final OutboxStore store;
    private final OutboxProperties settings;
    private final Clock clock;

    OutboxMaintenance(OutboxStore store, OutboxProperties settings, Clock clock, ObjectProvider<MeterRegistry> meters) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            for (String state : new String[] {OutboxStore.PENDING, OutboxStore.DEAD}) {
                Gauge.builder("keyhaven.outbox.items", store, s -> count(s, state))
                        .description("Outbox items in this state")
                        .tag("state", state)
                        .register(registry);
            }
        }
    }

    private static double count(OutboxStore store, String state) {
        try {
            return store.count(state);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    @Scheduled(initialDelayString = "PT7M", fixedDelayString = "PT1H")
    public void purge() {
        long now = clock.millis();
        int delivered = store.purge(
                OutboxStore.DELIVERED, now - settings.deliveredRetention().toMillis());
        int dead = store.purge(OutboxStore.DEAD, now - settings.deadRetention().toMillis());
        if (delivered + dead > 0) {
            log.info("Purged {} delivered and {} dead outbox items", delivered, dead);
        }
    }
}
