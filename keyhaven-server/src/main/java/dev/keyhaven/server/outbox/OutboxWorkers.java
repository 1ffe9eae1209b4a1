package dev.keyhaven.server.outbox;

import dev.keyhaven.server.crypto.Keyring;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This node's dispatcher threads ({@code keyhaven.outbox.workers}): each runs a round, and when it
 * found nothing waits for a commit's nudge or the poll interval. Only in a serving server, so a
 * one-shot run (a migration) sends nothing. On shutdown a thread finishes the item in hand; what it
 * claimed and did not start is taken over by any node once the lease runs out.
 */
@Component
@ConditionalOnWebApplication
class OutboxWorkers implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(OutboxWorkers.class);
    private static final long ERROR_PAUSE_MILLIS = 5_000;

    private final OutboxStore store;
    private final Destinations destinations;
    private final Keyring keyring;
    private final OutboxProperties settings;
    private final Wakeup wakeup;
    private final Clock clock;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    OutboxWorkers(
            OutboxStore store,
            Destinations destinations,
            Keyring keyring,
            OutboxProperties settings,
            Wakeup wakeup,
            Clock clock) {
        this.store = store;
        this.destinations = destinations;
        this.keyring = keyring;
        this.settings = settings;
        this.wakeup = wakeup;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        running = true;
        String node = ManagementFactory.getRuntimeMXBean().getName();
        for (int i = 0; i < settings.workers(); i++) {
            OutboxDispatcher dispatcher =
                    new OutboxDispatcher(store, destinations, keyring, settings, clock, node + "#" + i);
            Thread t = new Thread(() -> loop(dispatcher), "outbox-dispatcher-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(OutboxDispatcher dispatcher) {
        while (running) {
            long seen = wakeup.generation();
            try {
                if (dispatcher.runOnce() == 0) {
                    wakeup.await(seen, settings.pollInterval());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // the database is away, say: try again later rather than spin
                log.warn("Outbox dispatch failed: {}", e.getClass().getSimpleName());
                try {
                    wakeup.await(wakeup.generation(), Duration.ofMillis(ERROR_PAUSE_MILLIS));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        wakeup.nudge();
        for (Thread t : threads) {
            try {
                t.join(15_000);
                if (t.isAlive()) {
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
