package dev.keyhaven.server.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The rules of one subject and action, arranged so that a check reads only rules that can match:
 * a rule whose conditions pin the environment ({@code environment $eq prod}) can only match a
 * resource in that environment, so it is filed under it; every other rule is read for every
 * resource. Denies are read first and decide alone; then the first matching allow decides.
 * The answer is the same as reading every rule in order; only the work differs.
 */
final class RuleIndex {
    private static final String ENVIRONMENT = "environment";
    private static final Bucket EMPTY = new Bucket(new Rule[0], new Rule[0]);

    /** Denies and allows, each in the order the set holds them. */
    private record Bucket(Rule[] denies, Rule[] allows) {
        static Bucket of(List<Rule> rules) {
            return new Bucket(rules.stream().filter(Rule::inverted).toArray(Rule[]::new),
                    rules.stream().filter(r -> !r.inverted()).toArray(Rule[]::new));
        }
    }

    private final Bucket unpinned;
    private final Map<String, Bucket> byEnvironment;
    /** Every rule, for a resource whose environment is not a single string (then nothing is skipped). */
    private final Bucket all;

    private RuleIndex(Bucket unpinned, Map<String, Bucket> byEnvironment, Bucket all) {
        this.unpinned = unpinned;
        this.byEnvironment = byEnvironment;
        this.all = all;
    }

    static RuleIndex of(List<Rule> rules, Predicate<Rule> relevant) {
        List<Rule> all = new ArrayList<>();
        List<Rule> unpinned = new ArrayList<>();
        Map<String, List<Rule>> pinned = new HashMap<>();
        for (Rule rule : rules) {
            if (!relevant.test(rule)) {
                continue;
            }
            all.add(rule);
            String environment = pinnedEnvironment(rule);
            if (environment == null) {
                unpinned.add(rule);
            } else {
                pinned.computeIfAbsent(environment, k -> new ArrayList<>()).add(rule);
            }
        }
        Map<String, Bucket> byEnvironment = new HashMap<>();
        pinned.forEach((env, list) -> byEnvironment.put(env, Bucket.of(list)));
        return new RuleIndex(Bucket.of(unpinned), Map.copyOf(byEnvironment), Bucket.of(all));
    }

    /** The environment an {@code $eq} condition of the rule requires, or null when it requires none. */
    private static String pinnedEnvironment(Rule rule) {
        for (Condition c : rule.conditions()) {
            if (ENVIRONMENT.equals(c.field()) && "$eq".equals(c.op()) && c.values().size() == 1) {
                return c.values().get(0);
            }
        }
        return null;
    }

    /** Allowed when some allow rule matches and no deny rule does. */
    boolean allows(Map<String, Object> resource) {
        Object environment = resource.get(ENVIRONMENT);
        if (environment != null && !(environment instanceof String)) {
            return decide(all, EMPTY, resource);
        }
        // a pinned rule cannot match a resource without an environment or in another one
        Bucket pinned = environment == null ? EMPTY : byEnvironment.getOrDefault(environment, EMPTY);
        return decide(unpinned, pinned, resource);
    }

    private static boolean decide(Bucket a, Bucket b, Map<String, Object> resource) {
        if (anyMatch(a.denies, resource) || anyMatch(b.denies, resource)) {
            return false;
        }
        return anyMatch(b.allows, resource) || anyMatch(a.allows, resource);
    }

    private static boolean anyMatch(Rule[] rules, Map<String, Object> resource) {
        for (Rule rule : rules) {
            if (rule.matches(resource)) {
                return true;
            }
        }
        return false;
    }
}
