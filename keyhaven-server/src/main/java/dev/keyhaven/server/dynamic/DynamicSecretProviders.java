package dev.keyhaven.server.dynamic;

import dev.keyhaven.server.platform.plugin.Plugins;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The dynamic-secret providers this server has, by type. */
@Component
public class DynamicSecretProviders {
    private final Plugins<DynamicSecretProvider> providers;

    public DynamicSecretProviders(ObjectProvider<DynamicSecretProvider> providers) {
        this.providers =
                Plugins.of("dynamic-secret provider", providers.orderedStream().toList(), DynamicSecretProvider::type);
    }

    public Optional<DynamicSecretProvider> find(String type) {
        return providers.find(type);
    }

    public Set<String> types() {
        return providers.names();
    }
}
