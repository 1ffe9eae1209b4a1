package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Soundness of the grant check, over generated rules: whenever a grantor's rules cover a grant
 * ({@link PermissionSet#coversAllOf}), the grant allows nothing the grantor is not allowed, on
 * every resource of a small world (every environment, path, name and tag set there is). The
 * world's alphabet is small so that globs, names and paths collide often.
 */
class ContainmentProperties {
    private static final List<String> ENVS = List.of("dev", "staging", "prod");
    private static final List<String> PATHS = paths();
    private static final List<String> NAMES = List.of("A_KEY", "DB_ROOT", "DB_ROOT_PW", "TOKEN");
    private static final List<List<String>> TAGS =
            List.of(List.of(), List.of("db"), List.of("web"), List.of("db", "web"));
    private static final List<Map<String, Object>> WORLD = world();
    private static final List<String> SECRET_ACTIONS = List.of("describeSecret", "readValue", "read", "edit");

    private static List<String> paths() {
        List<String> out = new ArrayList<>(List.of("/"));
        for (String top : List.of("a", "b", "api", "ab")) {
            out.add("/" + top);
            for (String mid : List.of("a", "b")) {
                out.add("/" + top + "/" + mid);
                out.add("/" + top + "/" + mid + "/a");
            }
        }
        return List.copyOf(out);
    }

    private static List<Map<String, Object>> world() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String env : ENVS) {
            for (String path : PATHS) {
                for (String name : NAMES) {
                    for (List<String> tags : TAGS) {
                        out.add(Map.of("environment", env, "secretPath", path, "secretName", name, "secretTags", tags));
                    }
                }
            }
        }
        return out;
    }

    private static Arbitrary<String> pathGlobs() {
        Arbitrary<String> segment = Arbitraries.of("a", "b", "api", "ab", "*", "**", "{a,b}", "a*");
        Arbitrary<String> built = segment.list().ofMinSize(1).ofMaxSize(3).map(parts -> "/" + String.join("/", parts));
        return Arbitraries.oneOf(
                built,
                Arbitraries.of("/**", "**", "/a/**", "/a/b/**", "/a/b/a/**", "/api/**", "/a", "/ab/**", "/a/*/**"));
    }

    /** One condition on a field, with every operator the parser allows there. */
    private static Arbitrary<Condition> condition(String field, List<String> values, Arbitrary<String> globs) {
        Arbitrary<String> value = Arbitraries.of(values);
        return Arbitraries.frequencyOf(
                Tuple.of(1, value.map(v -> Condition.eq(field, v))),
                Tuple.of(1, value.map(v -> Condition.ne(field, v))),
                Tuple.of(1, value.set().ofMinSize(1).ofMaxSize(2).map(s -> Condition.in(field, List.copyOf(s)))),
                Tuple.of(3, globs.map(g -> Condition.glob(field, g))));
    }

    private static Arbitrary<Condition> env() {
        return condition("environment", ENVS, Arbitraries.of("pr*", "*", "{dev,prod}", "**", "prod"));
    }

    private static Arbitrary<Condition> path() {
        return condition("secretPath", PATHS, pathGlobs());
    }

    private static Arbitrary<Condition> name() {
        return condition("secretName", NAMES, Arbitraries.of("A_*", "DB_*", "DB_ROOT_*", "*", "**", "TOKEN"));
    }

    private static Arbitrary<Condition> tags() {
        return Arbitraries.of("db", "web", "ops")
                .set()
                .ofMinSize(1)
                .ofMaxSize(2)
                .map(s -> Condition.in("secretTags", List.copyOf(s)));
    }

    private static Arbitrary<List<Condition>> conditions() {
        return Combinators.combine(
                        env().list().ofMaxSize(1),
                        path().list().ofMaxSize(2),
                        name().list().ofMaxSize(1),
                        tags().list().ofMaxSize(1))
                .as((e, p, n, t) -> {
                    List<Condition> out = new ArrayList<>(e);
                    out.addAll(p);
                    out.addAll(n);
                    out.addAll(t);
                    return out;
                });
    }

    @Provide
    Arbitrary<Rule> rules() {
        Arbitrary<String> subject = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just("secrets")),
                Tuple.of(1, Arbitraries.just("role")),
                Tuple.of(1, Arbitraries.just(Rule.ALL)));
        Arbitrary<Set<String>> actions = Arbitraries.of("read", "readValue", "describeSecret", "edit", "read", "manage")
                .set()
                .ofMinSize(1)
                .ofMaxSize(2);
        return Combinators.combine(subject, actions, conditions(), Arbitraries.of(false, false, false, false, true))
                .as((s, a, c, inverted) -> new Rule(s, a, c, inverted, "generated"));
    }

    @Provide
    Arbitrary<List<Rule>> held() {
        return rules().list().ofMinSize(1).ofMaxSize(8);
    }

    /**
     * How to build one granted rule: at random, or from one of the grantor's own allows — as is,
     * with conditions added, or with one or every condition swapped for a random one on the same
     * field (so that implication between different conditions is what decides).
     */
    record Seed(Rule random, int mode, int pick, Map<String, Condition> swaps) {}

    @Provide
    Arbitrary<List<Seed>> seeds() {
        Arbitrary<Map<String, Condition>> swaps = Combinators.combine(env(), path(), name(), tags())
                .as((e, p, n, t) -> Map.of("environment", e, "secretPath", p, "secretName", n, "secretTags", t));
        return Combinators.combine(
                        rules(),
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(0, 50),
                        swaps)
                .as(Seed::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(2);
    }

    @Property(tries = 3000)
    void aCoveredGrantNeverAllowsMoreThanTheGrantor(
            @ForAll("held") List<Rule> held, @ForAll("seeds") List<Seed> seeds) {
        List<Rule> granted = granted(held, seeds);
        PermissionSet grantor = new PermissionSet(held);
        PermissionSet grant = new PermissionSet(granted);
        boolean covered = grantor.coversAllOf(grant);
        boolean conditional = held.stream()
                .filter(r -> !r.inverted())
                .allMatch(r -> !r.conditions().isEmpty());
        boolean swapped = seeds.stream().anyMatch(seed -> seed.mode() >= 3);
        // the property says something only if coverage is often decided by comparing conditions
        Statistics.label("covered").collect(covered);
        Statistics.label("covered by conditional rules").collect(covered && conditional);
        Statistics.label("covered with swapped conditions").collect(covered && conditional && swapped);
        Statistics.label("covered").coverage(c -> c.check(true).percentage(p -> p >= 5));
        Statistics.label("covered by conditional rules")
                .coverage(c -> c.check(true).percentage(p -> p >= 2));
        Statistics.label("covered with swapped conditions")
                .coverage(c -> c.check(true).percentage(p -> p >= 0.3));
        if (!covered) {
            return;
        }
        for (Map<String, Object> resource : WORLD) {
            for (String action : SECRET_ACTIONS) {
                if (grant.can("secrets", action, resource)) {
                    assertThat(grantor.can("secrets", action, resource))
                            .as("%s %s granted %s by %s", action, resource, granted, held)
                            .isTrue();
                }
            }
        }
        for (String env : ENVS) {
            for (String path : PATHS) {
                Map<String, Object> folder = Map.of("environment", env, "secretPath", path);
                if (grant.canSome("secrets", "describeSecret", folder)) {
                    assertThat(grantor.canSome("secrets", "describeSecret", folder))
                            .as("some describeSecret in %s granted %s by %s", folder, granted, held)
                            .isTrue();
                }
            }
        }
        for (String action : List.of("edit", "read", "delete")) {
            if (grant.can("role", action)) {
                assertThat(grantor.can("role", action))
                        .as("role %s granted %s by %s", action, granted, held)
                        .isTrue();
            }
        }
    }

    /** Two conditions on one field, so that implication and disjointness are often in question. */
    @Provide
    Arbitrary<List<Condition>> pairs() {
        return Arbitraries.oneOf(
                env().list().ofSize(2),
                path().list().ofSize(2),
                name().list().ofSize(2),
                tags().list().ofSize(2));
    }

    @Property(tries = 3000)
    void anImpliedConditionHoldsWhereverTheImplyingOneDoes(@ForAll("pairs") List<Condition> pair) {
        Condition granted = pair.get(0);
        Condition held = pair.get(1);
        boolean implied = RuleContainment.implies(List.of(granted), List.of(held));
        Statistics.label("implied").collect(implied);
        Statistics.label("implied").coverage(c -> c.check(true).percentage(p -> p >= 10));
        if (implied) {
            for (Map<String, Object> resource : WORLD) {
                if (granted.test(resource)) {
                    assertThat(held.test(resource))
                            .as("%s implies %s on %s", granted, held, resource)
                            .isTrue();
                }
            }
        }
    }

    @Property(tries = 3000)
    void disjointConditionsNeverHoldTogether(@ForAll("pairs") List<Condition> pair) {
        boolean disjoint = RuleContainment.disjoint(List.of(pair.get(0)), List.of(pair.get(1)));
        Statistics.label("disjoint").collect(disjoint);
        Statistics.label("disjoint").coverage(c -> c.check(true).percentage(p -> p >= 10));
        if (disjoint) {
            for (Map<String, Object> resource : WORLD) {
                assertThat(pair.get(0).test(resource) && pair.get(1).test(resource))
                        .as("%s and %s both hold on %s", pair.get(0), pair.get(1), resource)
                        .isFalse();
            }
        }
    }

    private static List<Rule> granted(List<Rule> held, List<Seed> seeds) {
        List<Rule> allows = held.stream().filter(r -> !r.inverted()).toList();
        List<Rule> out = new ArrayList<>();
        for (Seed seed : seeds) {
            Rule r = seed.random();
            if (seed.mode() == 0 || allows.isEmpty()) {
                out.add(r);
                continue;
            }
            Rule base = allows.get(seed.pick() % allows.size());
            List<Condition> conditions = new ArrayList<>(base.conditions());
            if (seed.mode() == 2) {
                conditions.addAll(r.conditions());
            } else if (seed.mode() == 3 && !conditions.isEmpty()) {
                int i = seed.pick() % conditions.size();
                conditions.set(i, seed.swaps().get(conditions.get(i).field()));
            } else if (seed.mode() == 4) {
                conditions.replaceAll(c -> seed.swaps().get(c.field()));
            }
            out.add(new Rule(base.subject(), base.actions(), conditions, r.inverted() && seed.mode() == 2, "granted"));
        }
        return out;
    }
}
