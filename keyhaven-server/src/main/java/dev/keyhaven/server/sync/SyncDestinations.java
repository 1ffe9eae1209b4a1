package dev.keyhaven.server.sync;

import dev.keyhaven.server.platform.plugin.Plugins;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The sync destinations this server has, by type. */
@Component
public class SyncDestinations {
    private final Plugins<SyncDestination> destinations;

    public SyncDestinations(ObjectProvider<SyncDestination> destinations) {
        this.destinations =
                Plugins.of("sync destination", destinations.orderedStream().toList(), SyncDestination::type);
    }

    public Optional<SyncDestination> find(String type) {
        return destinations.find(type);
    }

    public Set<String> types() {
        return destinations.names();
    }
}
