package dev.keyhaven.server.outbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The destinations this node has, by name: every {@link OutboxDestination} bean. Two with one name
 * stop start-up, since an item could not say which of them it is for.
 */
@Component
class Destinations {
    private final Map<String, OutboxDestination> byName;

    Destinations(List<OutboxDestination> destinations) {
        Map<String, OutboxDestination> map = new LinkedHashMap<>();
        for (OutboxDestination d : destinations) {
            if (map.putIfAbsent(d.name(), d) != null) {
                throw new IllegalStateException("two outbox destinations are named '" + d.name() + "'");
            }
        }
        this.byName = Map.copyOf(map);
    }

    OutboxDestination require(String name) {
        OutboxDestination d = byName.get(name);
        if (d == null) {
            throw new IllegalArgumentException("no outbox destination named '" + name + "'");
        }
        return d;
    }

    /** The names of the destinations that can deliver now. */
    List<String> readyNames() {
        return byName.values().stream()
                .filter(OutboxDestination::ready)
                .map(OutboxDestination::name)
                .toList();
    }

    OutboxDestination get(String name) {
        return byName.get(name);
    }
}
