package dev.keyhaven.server.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.server.platform.web.ApiException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reference syntax, depth limit, cycles, reuse and limits, against an in-memory folder map. */
class ReferenceExpanderTest {
    private final Map<String, String> store = new HashMap<>();
    private final List<String> lookups = new ArrayList<>();
    private final ReferenceExpander.Lookup lookup = (env, path, key) -> {
        lookups.add(env + ":" + path + ":" + key);
        return Optional.ofNullable(store.get(env + ":" + path + ":" + key));
    };
    private final List<Collection<ReferenceExpander.Ref>> batches = new ArrayList<>();
    private final ReferenceExpander.BatchLookup batchLookup = refs -> {
        batches.add(List.copyOf(refs));
        Map<String, String> out = new HashMap<>();
        refs.forEach(r -> {
            if (store.containsKey(r.id())) {
                out.put(r.id(), store.get(r.id()));
            }
        });
        return out;
    };

    private String expand(String value, String ownKey) {
        return new ReferenceExpander(lookup, ReferenceLimits.defaults()).expand(value, "dev", "/", ownKey);
    }

    private Optional<List<String>> cycle(String value, String ownKey) {
        return ReferenceExpander.cycleThrough(value, "dev", "/", ownKey, batchLookup, 10_000);
    }

    @Test
    void resolvesTheThreeForms() {
        store.put("dev:/:USER", "app");
        store.put("prod:/:HOST", "db");
        store.put("prod:/a/b:PORT", "5432");
        assertThat(expand("${USER}@${prod.HOST}:${prod.a.b.PORT}", "URL")).isEqualTo("app@db:5432");
    }

    @Test
    void unresolvedAndMalformedReferencesStayAsWritten() {
        assertThat(expand("${MISSING} ${a..b} ${} ${.x}", "K")).isEqualTo("${MISSING} ${a..b} ${} ${.x}");
    }

    @Test
    void expansionStopsAtTenLevels() {
        for (int i = 0; i < 15; i++) {
            store.put("dev:/:K" + i, "${K" + (i + 1) + "}");
        }
        store.put("dev:/:K15", "end");
        assertThat(expand("${K0}", "START")).startsWith("${K").doesNotContain("end");
    }

    @Test
    void aReferenceReusedAtDifferentDepthsStillStopsAtTenLevels() {
        // K5 is first reached at depth 1 (complete within the limit there), then again at depth 6
        for (int i = 5; i < 12; i++) {
            store.put("dev:/:K" + i, "${K" + (i + 1) + "}");
        }
        store.put("dev:/:K12", "end");
        store.put("dev:/:K0", "${K1}");
        for (int i = 1; i < 5; i++) {
            store.put("dev:/:K" + i, "${K" + (i + 1) + "}");
        }
        String value =
                new ReferenceExpander(lookup, ReferenceLimits.defaults()).expand("${K5}|${K0}", "dev", "/", "START");
        assertThat(value).startsWith("end|").doesNotEndWith("end");
    }

    @Test
    void cyclesAreLeftAsWrittenAndFound() {
        store.put("dev:/:A", "a-${B}");
        store.put("dev:/:B", "b-${A}");
        assertThat(expand("a-${B}", "A")).isEqualTo("a-b-${A}");
        assertThat(cycle("a-${B}", "A")).contains(List.of("dev:/:A", "dev:/:B", "dev:/:A"));
        assertThat(cycle("x${SELF}", "SELF")).contains(List.of("dev:/:SELF", "dev:/:SELF"));
        store.put("dev:/:C", "${D}");
        assertThat(cycle("${C}", "E")).isEmpty();
    }

    @Test
    void theCycleCheckFindsCyclesUpToTenLevelsAndLoadsOneBatchPerLevel() {
        for (int i = 0; i < 8; i++) {
            store.put("dev:/:L" + i, "${L" + (i + 1) + "} ${dev.OTHER" + i + "}");
        }
        store.put("dev:/:L8", "${START}");
        assertThat(cycle("${L0}", "START"))
                .hasValueSatisfying(c -> assertThat(c)
                        .hasSize(11)
                        .startsWith("dev:/:START", "dev:/:L0")
                        .endsWith("dev:/:L8", "dev:/:START"));
        assertThat(batches).hasSize(9);

        // one level more is beyond the depth expansion follows, so it is no cycle either
        store.put("dev:/:L8", "${L9}");
        store.put("dev:/:L9", "${START}");
        batches.clear();
        assertThat(cycle("${L0}", "START")).isEmpty();
        assertThat(batches).hasSize(9);
    }

    @Test
    void theCycleCheckRefusesAWalkBeyondItsBound() {
        StringBuilder wide = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            wide.append("${W").append(i).append('}');
            store.put("dev:/:W" + i, "${X" + i + "a}${X" + i + "b}");
        }
        assertThatThrownBy(() -> ReferenceExpander.cycleThrough(wide.toString(), "dev", "/", "START", batchLookup, 150))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("KEYHAVEN_REFERENCES_MAX_PER_REQUEST");
                });
    }

    @Test
    void eachReferenceIsLookedUpOncePerRequest() {
        // a diamond: TOP -> A, B; A -> C; B -> C; C -> D
        store.put("dev:/:A", "a(${C})");
        store.put("dev:/:B", "b(${C})");
        store.put("dev:/:C", "c(${D})");
        store.put("dev:/:D", "d");
        ReferenceExpander expander = new ReferenceExpander(lookup, ReferenceLimits.defaults());
        assertThat(expander.expand("${A}${B}${A}", "dev", "/", "TOP")).isEqualTo("a(c(d))b(c(d))a(c(d))");
        assertThat(expander.expand("${C}", "dev", "/", "OTHER")).isEqualTo("c(d)");
        assertThat(lookups).containsExactlyInAnyOrder("dev:/:A", "dev:/:B", "dev:/:C", "dev:/:D");
        assertThat(expander.resolved()).isEqualTo(4);
    }

    @Test
    void aThreeLevelFanOutIsRefusedBeforeItGrows() {
        fanOut();
        StringBuilder top = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            top.append("${L1_").append(i).append('}');
        }
        assertThatThrownBy(() -> expand(top.toString(), "TOP")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.error()).isEqualTo("ReferenceLimitExceeded");
            assertThat(e.getMessage()).contains("KEYHAVEN_REFERENCES_MAX_VALUE_CHARS");
        });
        // memoized: each of the 300 secrets was looked up at most once before the value grew too long
        assertThat(lookups).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(300);
    }

    @Test
    void theLimitsOfOneRequestAddUp() {
        fanOut();
        // a level-2 value resolves itself and 100 leaves; the second one reuses the leaves
        ReferenceExpander expander = new ReferenceExpander(lookup, new ReferenceLimits(null, 101, null, null));
        assertThat(expander.expand("${L2_0}", "dev", "/", "A")).hasSize(100 * 12);
        assertThatThrownBy(() -> expander.expand("${L2_1}", "dev", "/", "B"))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.getMessage()).contains("KEYHAVEN_REFERENCES_MAX_PER_REQUEST"));
        // each expansion built counts: 1,200 characters for L2_0 and 1,200 for the value holding it
        ReferenceExpander small = new ReferenceExpander(lookup, new ReferenceLimits(null, null, null, 3000));
        small.expand("${L2_0}", "dev", "/", "A");
        assertThatThrownBy(() -> small.expand("${L2_1}", "dev", "/", "B"))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.getMessage()).contains("KEYHAVEN_REFERENCES_MAX_REQUEST_CHARS"));
    }

    /** Level 1 and 2: 100 secrets each, each referencing all 100 of the next level; level 3: 100 leaves. */
    private void fanOut() {
        for (int level = 1; level <= 2; level++) {
            StringBuilder refs = new StringBuilder();
            for (int j = 0; j < 100; j++) {
                refs.append("${L").append(level + 1).append('_').append(j).append('}');
            }
            for (int i = 0; i < 100; i++) {
                store.put("dev:/:L" + level + "_" + i, refs.toString());
            }
        }
        for (int i = 0; i < 100; i++) {
            store.put("dev:/:L3_" + i, String.format("leaf-%07d", i));
        }
    }
}
