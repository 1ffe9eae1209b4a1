package dev.keyhaven.server.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The rules of one subject and action, arranged so that a check reads only rules that can match:
 * a rule whose conditions pin the environment ({@code environment $eq prod}) can only match a
 * resource in that environment, so it is filed under it; every other rule is read for every
 * resource. Denies are read first and decide alone; then the first matching allow decides.
 *
 * <p>A listing checks every secret of one folder, so the rules are also narrowed per folder on
 * first use: conditions on the environment and the path are decided once for that folder, rules
 * they rule out are dropped, and the rest keep only their other conditions (names, tags). With
 * a thousand rules a folder usually keeps a handful. The answer is always the same as reading
 * every rule in order; only the work differs.
 */
final class RuleIndex {
    private static final String ENVIRONMENT = "environment";
    private static final String SECRET_PATH = "secretPath";
    /** Folders narrowed per index at most; past that, checks read the environment's rules (still correct). */
    private static final int MAX_FOLDERS = 512;

    private static final Bucket EMPTY = new Bucket(new Rule[0], new Rule[0]);

    /** Denies and allows, each in the order the set holds them. */
    private record Bucket(Rule[] denies, Rule[] allows) {
        static Bucket of(List<Rule> rules) {
            return new Bucket(
                    rules.stream().filter(Rule::inverted).toArray(Rule[]::new),
                    rules.stream().filter(r -> !r.inverted()).toArray(Rule[]::new));
        }
    }

    private record Folder(String environment, String secretPath) {}

    private final Bucket unpinned;
    private final Map<String, Bucket> byEnvironment;
    /** Every rule, for a resource whose environment is not a single string (then nothing is skipped). */
    private final Bucket all;

    private final Map<Folder, Bucket> byFolder = new ConcurrentHashMap<>();

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
            if (ENVIRONMENT.equals(c.field())
                    && "$eq".equals(c.op())
                    && c.values().size() == 1) {
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
        if (environment != null && resource.get(SECRET_PATH) instanceof String path) {
            Bucket folder = narrowed((String) environment, path, pinned);
            if (folder != null) {
                return decide(folder, EMPTY, resource);
            }
        }
        return decide(unpinned, pinned, resource);
    }

    /**
     * Whether the action may be allowed on some resource with these fields (see
     * {@link PermissionSet#canSome}): no deny matches every field it names, and some allow's
     * named fields do not rule it out. A rule pinned to another environment can do neither, so
     * only this environment's rules and the unpinned ones are read when the environment is given.
     */
    boolean allowsSome(Map<String, Object> partial) {
        Object environment = partial.get(ENVIRONMENT);
        Bucket a = all;
        Bucket b = EMPTY;
        if (environment instanceof String env) {
            a = unpinned;
            b = byEnvironment.getOrDefault(env, EMPTY);
        }
        if (anyMatch(a.denies, partial) || anyMatch(b.denies, partial)) {
            return false;
        }
        return anyMightMatch(b.allows, partial) || anyMightMatch(a.allows, partial);
    }

    private static boolean anyMightMatch(Rule[] rules, Map<String, Object> partial) {
        for (Rule rule : rules) {
            if (rule.mightMatch(partial)) {
                return true;
            }
        }
        return false;
    }

    private Bucket narrowed(String environment, String path, Bucket pinned) {
        Folder key = new Folder(environment, path);
        Bucket folder = byFolder.get(key);
        if (folder == null && byFolder.size() < MAX_FOLDERS) {
            folder = byFolder.computeIfAbsent(key, k -> narrow(k, pinned));
        }
        return folder;
    }

    /** The rules that can still match in this folder, with the folder's conditions taken off. */
    private Bucket narrow(Folder folder, Bucket pinned) {
        Map<String, Object> where = Map.of(ENVIRONMENT, folder.environment(), SECRET_PATH, folder.secretPath());
        List<Rule> kept = new ArrayList<>();
        for (Bucket b : List.of(unpinned, pinned)) {
            for (Rule[] rules : List.of(b.denies, b.allows)) {
                for (Rule rule : rules) {
                    Rule rest = withoutFolderConditions(rule, where);
                    if (rest != null) {
                        kept.add(rest);
                    }
                }
            }
        }
        return Bucket.of(kept);
    }

    /** Null when a condition on the folder fails; else the rule with only its other conditions. */
    private static Rule withoutFolderConditions(Rule rule, Map<String, Object> where) {
        List<Condition> rest = new ArrayList<>();
        for (Condition c : rule.conditions()) {
            if (ENVIRONMENT.equals(c.field()) || SECRET_PATH.equals(c.field())) {
                if (!c.test(where)) {
                    return null;
                }
            } else {
                rest.add(c);
            }
        }
        return rest.size() == rule.conditions().size()
                ? rule
                : new Rule(rule.subject(), rule.actions(), rest, rule.inverted(), rule.source());
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
