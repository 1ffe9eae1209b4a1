package dev.keyhaven.server.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reference syntax, depth limit and cycles, against an in-memory folder map. */
class ReferenceExpanderTest {
    private final Map<String, String> store = new HashMap<>();
    private final ReferenceExpander.Lookup lookup = (env, path, key) -> Optional.ofNullable(store.get(env + ":" + path + ":" + key));

    @Test
    void resolvesTheThreeForms() {
        store.put("dev:/:USER", "app");
        store.put("prod:/:HOST", "db");
        store.put("prod:/a/b:PORT", "5432");
        assertThat(ReferenceExpander.expand("${USER}@${prod.HOST}:${prod.a.b.PORT}", "dev", "/", "URL", lookup))
                .isEqualTo("app@db:5432");
    }

    @Test
    void unresolvedAndMalformedReferencesStayAsWritten() {
        assertThat(ReferenceExpander.expand("${MISSING} ${a..b} ${} ${.x}", "dev", "/", "K", lookup))
                .isEqualTo("${MISSING} ${a..b} ${} ${.x}");
    }

    @Test
    void expansionStopsAtTenLevels() {
        for (int i = 0; i < 15; i++) {
            store.put("dev:/:K" + i, "${K" + (i + 1) + "}");
        }
        store.put("dev:/:K15", "end");
        String value = ReferenceExpander.expand("${K0}", "dev", "/", "START", lookup);
        assertThat(value).startsWith("${K").doesNotContain("end");
    }

    @Test
    void cyclesAreLeftAsWrittenAndFound() {
        store.put("dev:/:A", "a-${B}");
        store.put("dev:/:B", "b-${A}");
        assertThat(ReferenceExpander.expand("a-${B}", "dev", "/", "A", lookup)).isEqualTo("a-b-${A}");
        assertThat(ReferenceExpander.cycleThrough("a-${B}", "dev", "/", "A", lookup))
                .contains(java.util.List.of("dev:/:A", "dev:/:B", "dev:/:A"));
        store.put("dev:/:C", "${D}");
        assertThat(ReferenceExpander.cycleThrough("${C}", "dev", "/", "E", lookup)).isEmpty();
    }
}
