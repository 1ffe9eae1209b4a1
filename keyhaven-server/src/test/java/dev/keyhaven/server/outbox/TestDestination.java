package dev.keyhaven.server.outbox;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A destination the outbox tests deliver to: it keeps what arrived, in order, and fails the first
 * {@code failures} attempts of each payload listed in {@code failing} (all of them for
 * {@link Integer#MAX_VALUE}). Each instance has its own name, so the shared server's dispatchers,
 * which know only their own destinations, never claim its items.
 */
final class TestDestination implements OutboxDestination {
    record Attempt(String payload, String target, int attempt, long at) {}

    final String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
    final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    final List<String> delivered = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> deliveriesById = new ConcurrentHashMap<>();
    private final boolean ordered;
    private final Map<String, Integer> failing;
    private final boolean permanent;

    TestDestination(boolean ordered, Map<String, Integer> failing, boolean permanent) {
        this.ordered = ordered;
        this.failing = failing;
        this.permanent = permanent;
    }

    static TestDestination reliable() {
        return new TestDestination(false, Map.of(), false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean ordered() {
        return ordered;
    }

    @Override
    public void deliver(OutboxItem item) throws DeliveryFailure {
        attempts.add(new Attempt(item.payload(), item.target(), item.attempt(), System.currentTimeMillis()));
        int failures = failing.getOrDefault(item.payload(), 0);
        long tried = attempts.stream()
                .filter(a -> a.payload().equals(item.payload()))
                .count();
        if (tried <= failures) {
            throw new DeliveryFailure("relay refused " + item.destination(), permanent, null);
        }
        delivered.add(item.payload());
        deliveriesById.computeIfAbsent(item.id(), k -> new AtomicInteger()).incrementAndGet();
    }
}
