package dev.keyhaven.server.identity;

import dev.keyhaven.server.platform.plugin.Plugins;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The registry of machine auth methods: every {@link MachineAuthMethod} bean, found by its name
 * ({@code ldap-auth}) so code never switches over kinds, and the one question asked of all of them
 * at once: which methods a page of identities has. Methods are resolved on first use, because they
 * depend on {@link IdentityService}, which asks this registry.
 */
@Component
public class MachineAuthMethods {
    private final ObjectProvider<MachineAuthMethod<?, ?>> provider;
    private final AttachedMethodsStore attached;
    private volatile Plugins<MachineAuthMethod<?, ?>> methods;

    MachineAuthMethods(ObjectProvider<MachineAuthMethod<?, ?>> provider, AttachedMethodsStore attached) {
        this.provider = provider;
        this.attached = attached;
    }

    /** Every method, in registration order (the order of an identity's {@code authMethods}). */
    public List<MachineAuthMethod<?, ?>> all() {
        return registry().all();
    }

    public Optional<MachineAuthMethod<?, ?>> byName(String name) {
        return registry().find(name);
    }

    private Plugins<MachineAuthMethod<?, ?>> registry() {
        Plugins<MachineAuthMethod<?, ?>> m = methods;
        if (m == null) {
            m = Plugins.of("machine auth method", provider.orderedStream().toList(), MachineAuthMethod::name);
            methods = m;
        }
        return m;
    }

    /** The names of the methods each identity has, for every identity given (empty when none), in one query. */
    public Map<String, List<String>> attachedTo(Collection<String> identityIds) {
        List<MachineAuthMethod<?, ?>> all = all();
        List<String> tables = all.stream().map(m -> m.store().table()).toList();
        Map<String, Set<Integer>> found = attached.attached(tables, identityIds);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String id : identityIds) {
            Set<Integer> positions = found.getOrDefault(id, Set.of());
            List<String> names = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (positions.contains(i)) {
                    names.add(all.get(i).name());
                }
            }
            out.put(id, List.copyOf(names));
        }
        return out;
    }
}
