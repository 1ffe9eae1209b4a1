package dev.keyhaven.server.platform.plugin;

import dev.keyhaven.server.platform.config.StartupException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The kinds of one plug-in family (auth methods, dynamic-secret providers, sync destinations,
 * audit sinks…), found by the name configuration and routes use, so code never grows a switch over
 * kinds. Built once from the beans Spring finds; two kinds claiming one name stop the start-up,
 * naming both.
 */
public final class Plugins<T> {
    private final String family;
    private final Map<String, T> byName;
    private final List<T> all;

    private Plugins(String family, Map<String, T> byName) {
        this.family = family;
        this.byName = byName;
        this.all = List.copyOf(byName.values());
    }

    /** Indexes {@code kinds} by {@code name}; a name must be non-blank and claimed once. */
    public static <T> Plugins<T> of(String family, Collection<? extends T> kinds, Function<? super T, String> name) {
        Map<String, T> byName = new LinkedHashMap<>();
        for (T kind : kinds) {
            String n = name.apply(kind);
            if (n == null || n.isBlank()) {
                throw new StartupException(family + " " + kind.getClass().getName() + " has no name");
            }
            T earlier = byName.putIfAbsent(n, kind);
            if (earlier != null) {
                throw new StartupException(family + " name '" + n + "' is claimed by both "
                        + earlier.getClass().getName() + " and "
                        + kind.getClass().getName());
            }
        }
        return new Plugins<>(family, Collections.unmodifiableMap(byName));
    }

    /** The kind of this name, or empty when none has it. */
    public Optional<T> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /** The names of all kinds, in registration order. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** All kinds, in registration order. */
    public List<T> all() {
        return all;
    }

    /** The family's name, for messages (e.g. {@code dynamic-secret provider}). */
    public String family() {
        return family;
    }
}
