package dev.keyhaven.server.outbox;

import dev.keyhaven.server.platform.plugin.Plugins;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The destinations this node has, by name: every {@link OutboxDestination} bean. Two with one name
 * stop start-up, since an item could not say which of them it is for.
 */
@Component
class Destinations {
    private final Plugins<OutboxDestination> byName;

    Destinations(List<OutboxDestination> destinations) {
        this.byName = Plugins.of("outbox destination", destinations, OutboxDestination::name);
    }

    OutboxDestination require(String name) {
        return byName.find(name)
                .orElseThrow(() -> new IllegalArgumentException("no outbox destination named '" + name + "'"));
    }

    /** The names of the destinations that can deliver now. */
    List<String> readyNames() {
        return byName.all().stream()
                .filter(OutboxDestination::ready)
                .map(OutboxDestination::name)
                .toList();
    }

    OutboxDestination get(String name) {
        return byName.find(name).orElse(null);
    }
}
