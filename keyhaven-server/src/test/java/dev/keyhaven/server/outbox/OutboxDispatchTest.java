package dev.keyhaven.server.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.support.Db;
import dev.keyhaven.server.support.TestServer;
import dev.keyhaven.server.support.TestServers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox's delivery guarantees on both databases, with real dispatchers on the shared test
 * server's database: only committed items leave, each is delivered once, failures back off and end
 * in the dead letters, an abandoned claim is taken over, concurrent dispatchers split the work, and
 * an ordered destination keeps its order through a failure.
 */
class OutboxDispatchTest {

    /** The server's outbox parts, with a destination of the test's own. */
    private static final class Rig {
        final TestServer server;
        final TestDestination destination;
        final OutboxStore store;
        final Destinations destinations;
        final Outbox outbox;
        final JdbcClient jdbc;
        final TransactionTemplate tx;
        /** The dispatchers' clock: the system's, moved on by the test where it would otherwise wait. */
        final OffsetClock clock = new OffsetClock();

        Rig(Db db, TestDestination destination) {
            this.server = TestServers.shared(db);
            this.destination = destination;
            this.store = server.bean(OutboxStore.class);
            this.destinations = new Destinations(List.of(destination));
            this.outbox = new Outbox(
                    store, destinations, server.bean(Keyring.class), server.bean(Wakeup.class), Clock.systemUTC());
            this.jdbc = server.bean(JdbcClient.class);
            this.tx = server.bean(TransactionTemplate.class);
        }

        OutboxDispatcher dispatcher(String node, OutboxProperties settings) {
            return new OutboxDispatcher(store, destinations, server.bean(Keyring.class), settings, clock, node);
        }

        String state(String id) {
            return jdbc.sql("SELECT state FROM outbox_items WHERE id = ?")
                    .param(id)
                    .query(String.class)
                    .single();
        }

        int attempts(String id) {
            return jdbc.sql("SELECT attempts FROM outbox_items WHERE id = ?")
                    .param(id)
                    .query(Integer.class)
                    .single();
        }

        long rows() {
            return jdbc.sql("SELECT COUNT(*) FROM outbox_items WHERE destination = ?")
                    .param(destination.name())
                    .query(Long.class)
                    .single();
        }
    }

    private static OutboxProperties settings(Duration backoffBase, int maxAttempts, Duration lease) {
        return new OutboxProperties(
                Duration.ofMillis(20), 20, 1, maxAttempts, backoffBase, Duration.ofSeconds(5), lease, null, null);
    }

    private static final OutboxProperties QUICK = settings(Duration.ofMillis(100), 5, Duration.ofMinutes(5));

    /** Runs rounds until {@code done} holds, failing after ten seconds. */
    private static void runUntil(OutboxDispatcher dispatcher, java.util.function.BooleanSupplier done) {
        await("the outbox settled within 10 s")
                .atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .pollInSameThread()
                .until(() -> {
                    while (!done.getAsBoolean()) {
                        if (dispatcher.runOnce() == 0) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anItemEnqueuedInARolledBackTransactionIsNeverSent(Db db) {
        Rig rig = new Rig(db, TestDestination.reliable());
        rig.tx.executeWithoutResult(s -> {
            rig.outbox.enqueue(rig.destination.name(), "someone", "rolled back");
            s.setRollbackOnly();
        });
        String committed = rig.tx.execute(s -> rig.outbox.enqueue(rig.destination.name(), "someone", "committed"));

        OutboxDispatcher dispatcher = rig.dispatcher("node-a", QUICK);
        assertThat(dispatcher.runOnce()).isEqualTo(1);
        assertThat(dispatcher.runOnce()).isZero();

        assertThat(rig.destination.delivered).containsExactly("committed");
        assertThat(rig.rows()).isEqualTo(1);
        assertThat(rig.state(committed)).isEqualTo("delivered");
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anItemIsDeliveredOnceAndItsPayloadIsSealedUntilThen(Db db) {
        Rig rig = new Rig(db, TestDestination.reliable());
        String payload = "https://keyhaven.test/verify-email?token=0123456789abcdef-secret";
        String id = rig.outbox.enqueue(rig.destination.name(), "ada@example.com", payload);
        String stored = rig.jdbc
                .sql("SELECT payload FROM outbox_items WHERE id = ?")
                .param(id)
                .query(String.class)
                .single();
        assertThat(stored).isNotBlank().doesNotContain("0123456789abcdef").doesNotContain("verify-email");

        OutboxDispatcher first = rig.dispatcher("node-a", QUICK);
        OutboxDispatcher second = rig.dispatcher("node-b", QUICK);
        assertThat(first.runOnce()).isEqualTo(1);
        assertThat(second.runOnce()).isZero();
        assertThat(first.runOnce()).isZero();

        assertThat(rig.destination.delivered).containsExactly(payload);
        assertThat(rig.destination.attempts.get(0).target()).isEqualTo("ada@example.com");
        assertThat(rig.state(id)).isEqualTo("delivered");
        assertThat(rig.attempts(id)).isEqualTo(1);
        assertThat(rig.jdbc
                        .sql("SELECT payload FROM outbox_items WHERE id = ?")
                        .param(id)
                        .query(String.class)
                        .optional())
                .as("a delivered item keeps no payload")
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aFailingDestinationIsRetriedWithGrowingWaitsAndThenDeadLettered(Db db) throws Exception {
        Rig rig = new Rig(db, new TestDestination(false, Map.of("doomed", Integer.MAX_VALUE), false));
        OutboxProperties settings = settings(Duration.ofMillis(200), 4, Duration.ofMinutes(5));
        String id = rig.outbox.enqueue(rig.destination.name(), "someone", "doomed");
        OutboxDispatcher dispatcher = rig.dispatcher("node-a", settings);

        runUntil(dispatcher, () -> rig.state(id).equals("dead"));

        List<TestDestination.Attempt> attempts = rig.destination.attempts;
        assertThat(attempts).extracting(TestDestination.Attempt::attempt).containsExactly(1, 2, 3, 4);
        Backoff backoff = new Backoff(settings.backoffBase(), settings.backoffMax());
        for (int i = 1; i < attempts.size(); i++) {
            long wait = attempts.get(i).at() - attempts.get(i - 1).at();
            assertThat(wait)
                    .as("the wait after failure %d is at least half of its step", i)
                    .isGreaterThanOrEqualTo(backoff.ceilingMillis(i) / 2);
        }
        long firstWait = attempts.get(1).at() - attempts.get(0).at();
        long lastWait = attempts.get(3).at() - attempts.get(2).at();
        assertThat(lastWait).as("waits grow").isGreaterThan(firstWait);
        assertThat(rig.attempts(id)).isEqualTo(4);
        assertThat(rig.destination.delivered).isEmpty();

        OutboxStore.Row dead = rig.store.page("dead", 0, 100).stream()
                .filter(r -> r.id().equals(id))
                .findFirst()
                .orElseThrow();
        assertThat(dead.lastError()).isEqualTo("relay refused " + rig.destination.name());
        assertThat(dead.claimedBy()).isNull();
        rig.clock.advance(settings.backoffMax());
        assertThat(dispatcher.runOnce()).as("a dead item is not tried again").isZero();
        assertThat(rig.destination.attempts).hasSize(4);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aPermanentFailureGoesToTheDeadLettersAtOnce(Db db) {
        Rig rig = new Rig(db, new TestDestination(false, Map.of("refused", 1), true));
        String id = rig.outbox.enqueue(rig.destination.name(), "someone", "refused");
        assertThat(rig.dispatcher("node-a", QUICK).runOnce()).isEqualTo(1);
        assertThat(rig.state(id)).isEqualTo("dead");
        assertThat(rig.attempts(id)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anItemClaimedByADispatcherThatDiedIsTakenOverWhenTheLeaseRunsOut(Db db) throws Exception {
        Rig rig = new Rig(db, TestDestination.reliable());
        OutboxProperties shortLease = settings(Duration.ofMillis(100), 5, Duration.ofMillis(500));
        String id = rig.outbox.enqueue(rig.destination.name(), "someone", "survives a restart");
        OutboxDispatcher dying = rig.dispatcher("node-a", shortLease);
        List<OutboxStore.Claimed> claimed = dying.claim(List.of(rig.destination.name()), System.currentTimeMillis());
        assertThat(claimed).extracting(OutboxStore.Claimed::id).containsExactly(id);

        OutboxDispatcher restarted = rig.dispatcher("node-a-restarted", shortLease);
        assertThat(restarted.runOnce()).as("the lease still holds").isZero();
        rig.clock.advance(Duration.ofMillis(600));
        assertThat(restarted.runOnce()).isEqualTo(1);

        assertThat(rig.destination.delivered).containsExactly("survives a restart");
        assertThat(rig.state(id)).isEqualTo("delivered");
        assertThat(rig.attempts(id)).as("the abandoned attempt counts").isEqualTo(2);
        assertThat(rig.store.delivered(id, claimed.get(0).claim(), System.currentTimeMillis()))
                .as("the first claim no longer writes")
                .isFalse();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void concurrentDispatchersDeliverEveryItemExactlyOnce(Db db) throws Exception {
        Rig rig = new Rig(db, TestDestination.reliable());
        int items = 300;
        List<String> ids = new ArrayList<>();
        rig.tx.executeWithoutResult(s -> {
            for (int i = 0; i < items; i++) {
                ids.add(rig.outbox.enqueue(rig.destination.name(), "target-" + (i % 7), "item-" + i));
            }
        });
        OutboxProperties settings =
                new OutboxProperties(null, 7, null, 5, Duration.ofMillis(100), null, Duration.ofMinutes(5), null, null);
        int dispatchers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(dispatchers);
        AtomicInteger idleRounds = new AtomicInteger();
        try {
            List<Future<Integer>> claimedPerDispatcher = new ArrayList<>();
            for (int d = 0; d < dispatchers; d++) {
                OutboxDispatcher dispatcher = rig.dispatcher("node-" + d, settings);
                claimedPerDispatcher.add(pool.submit(() -> {
                    AtomicInteger total = new AtomicInteger();
                    await("every item delivered")
                            .atMost(Duration.ofSeconds(60))
                            .pollDelay(Duration.ZERO)
                            .pollInterval(Duration.ofMillis(5))
                            .pollInSameThread()
                            .until(() -> {
                                while (rig.destination.deliveriesById.size() < items) {
                                    int n = dispatcher.runOnce();
                                    total.addAndGet(n);
                                    if (n == 0) {
                                        idleRounds.incrementAndGet();
                                        return false;
                                    }
                                }
                                return true;
                            });
                    return total.get();
                }));
            }
            int claimed = 0;
            for (Future<Integer> f : claimedPerDispatcher) {
                claimed += f.get();
            }
            assertThat(claimed).as("claims across all dispatchers").isEqualTo(items);
        } finally {
            pool.shutdownNow();
        }
        assertThat(rig.destination.deliveriesById).hasSize(items);
        assertThat(rig.destination.deliveriesById.values())
                .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(rig.destination.deliveriesById.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(rig.jdbc
                        .sql("SELECT COUNT(*) FROM outbox_items WHERE destination = ? AND state = 'delivered'"
                                + " AND attempts = 1")
                        .param(rig.destination.name())
                        .query(Long.class)
                        .single())
                .isEqualTo(items);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void anOrderedDestinationKeepsEachTargetsOrderThroughAFailure(Db db) throws Exception {
        Rig rig = new Rig(db, new TestDestination(true, Map.of("a-1", 2), false));
        for (String p : List.of("a-1", "a-2", "a-3")) {
            rig.outbox.enqueue(rig.destination.name(), "target-a", p);
        }
        rig.outbox.enqueue(rig.destination.name(), "target-b", "b-1");
        OutboxDispatcher dispatcher = rig.dispatcher("node-a", QUICK);

        assertThat(dispatcher.runOnce()).as("the head of each target's line").isEqualTo(2);
        assertThat(rig.destination.delivered).containsExactly("b-1");
        assertThat(dispatcher.runOnce())
                .as("a-2 waits for a-1, which waits for its retry")
                .isZero();

        runUntil(dispatcher, () -> rig.destination.delivered.size() == 4);
        assertThat(rig.destination.delivered).containsExactly("b-1", "a-1", "a-2", "a-3");
        assertThat(rig.destination.attempts)
                .extracting(TestDestination.Attempt::payload)
                .containsExactly("a-1", "b-1", "a-1", "a-1", "a-2", "a-3");
    }
}
