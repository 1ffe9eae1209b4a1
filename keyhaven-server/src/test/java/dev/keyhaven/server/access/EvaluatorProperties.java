package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.actor.ActorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the evaluator, over generated rules and resources: no rule means deny, a matching
 * deny always wins, globs agree with an independent reference matcher, and templating never
 * widens what an identity may do.
 */
class EvaluatorProperties {
    private static final List<String> ENVS = List.of("dev", "staging", "prod");
    private static final List<String> SEGMENTS = List.of("a", "b", "api", "db", "team-1");

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of(SEGMENTS)
                .list()
                .ofMaxSize(3)
                .map(parts -> parts.isEmpty() ? "/" : "/" + String.join("/", parts));
    }

    @Provide
    Arbitrary<String> globs() {
        Arbitrary<String> segment = Arbitraries.of("a", "b", "api", "db", "team-1", "*", "**", "team-*", "{a,b}");
        return segment.list().ofMinSize(1).ofMaxSize(3).map(parts -> "/" + String.join("/", parts));
    }

    @Provide
    Arbitrary<Map<String, Object>> resources() {
        return Combinators.combine(Arbitraries.of(ENVS), paths(), Arbitraries.of("A_KEY", "DB_ROOT", "TOKEN"))
                .as((env, path, name) ->
                        Map.of("environment", env, "secretPath", path, "secretName", name, "secretTags", List.of()));
    }

    @Provide
    Arbitrary<Rule> rules() {
        Arbitrary<List<Condition>> conditions = Combinators.combine(
                        Arbitraries.of(ENVS).injectNull(0.3),
                        globs().injectNull(0.3),
                        Arbitraries.of("A_*", "DB_*", "TOKEN").injectNull(0.6))
                .as((env, glob, name) -> {
                    List<Condition> out = new ArrayList<>();
                    if (env != null) {
                        out.add(Condition.eq("environment", env));
                    }
                    if (glob != null) {
                        out.add(Condition.glob("secretPath", glob));
                    }
                    if (name != null) {
                        out.add(Condition.glob("secretName", name));
                    }
                    return out;
                });
        return Combinators.combine(
                        Arbitraries.of("readValue", "describeSecret", "read"), conditions, Arbitraries.of(true, false))
                .as((action, conds, inverted) -> new Rule("secrets", Set.of(action), conds, inverted, "generated"));
    }

    @Provide
    Arbitrary<List<Rule>> ruleLists() {
        return rules().list().ofMaxSize(20);
    }

    @Property
    void noRuleMeansDeny(@ForAll("resources") Map<String, Object> resource) {
        assertThat(new PermissionSet(List.of()).can("secrets", "readValue", resource))
                .isFalse();
    }

    @Property
    void aMatchingDenyAlwaysWins(
            @ForAll("ruleLists") List<Rule> rules, @ForAll("resources") Map<String, Object> resource) {
        List<Rule> withDeny = new ArrayList<>(rules);
        withDeny.add(new Rule(
                "secrets",
                Set.of("readValue"),
                List.of(Condition.eq("environment", (String) resource.get("environment"))),
                true,
                "deny"));
        withDeny.add(Rule.allow("secrets", "readValue"));
        assertThat(new PermissionSet(withDeny).can("secrets", "readValue", resource))
                .isFalse();
    }

    @Provide
    Arbitrary<Map<String, Object>> oddResources() {
        // resources the index must not misfile: no environment, or an environment given as a list
        return Combinators.combine(Arbitraries.of(ENVS).list().ofMaxSize(2).injectNull(0.5), paths())
                .as((envs, path) ->
                        envs == null ? Map.of("secretPath", path) : Map.of("environment", envs, "secretPath", path));
    }

    @Property
    void theIndexAnswersAsReadingEveryRule(
            @ForAll("ruleLists") List<Rule> rules,
            @ForAll("resourceLists") List<Map<String, Object>> resources,
            @ForAll("oddResources") Map<String, Object> odd) {
        // one set answers many resources, as in a listing: folders narrowed once are reused
        PermissionSet set = new PermissionSet(rules);
        List<Map<String, Object>> all = new ArrayList<>(resources);
        all.add(odd);
        all.addAll(resources);
        for (Map<String, Object> resource : all) {
            for (String action : List.of("readValue", "describeSecret")) {
                assertThat(set.can("secrets", action, resource))
                        .as(action + " " + resource)
                        .isEqualTo(readingEveryRule(rules, action, resource));
            }
        }
    }

    @Provide
    Arbitrary<List<Map<String, Object>>> resourceLists() {
        return resources().list().ofMinSize(1).ofMaxSize(8);
    }

    @Property
    void theIndexAnswersCanSomeAsReadingEveryRule(
            @ForAll("ruleLists") List<Rule> rules,
            @ForAll("paths") String path,
            @ForAll("oddResources") Map<String, Object> odd) {
        PermissionSet set = new PermissionSet(rules);
        List<Map<String, Object>> partials = new ArrayList<>();
        for (String env : ENVS) {
            partials.add(Map.of("environment", env, "secretPath", path));
        }
        partials.add(Map.of("secretPath", path));
        partials.add(odd);
        for (Map<String, Object> partial : partials) {
            for (String action : List.of("readValue", "describeSecret")) {
                assertThat(set.canSome("secrets", action, partial))
                        .as(action + " " + partial)
                        .isEqualTo(someByReadingEveryRule(rules, action, partial));
            }
        }
    }

    /** canSome's meaning, written plainly: no deny matches all it names, some allow is not ruled out. */
    private static boolean someByReadingEveryRule(List<Rule> rules, String action, Map<String, Object> partial) {
        boolean allowed = false;
        for (Rule rule : rules) {
            if (!(rule.actions().contains(action) || rule.actions().contains("read"))) {
                continue;
            }
            if (rule.inverted()) {
                if (rule.matches(partial)) {
                    return false;
                }
            } else if (rule.mightMatch(partial)) {
                allowed = true;
            }
        }
        return allowed;
    }

    /** The evaluator's meaning, written plainly: some matching allow and no matching deny. */
    private static boolean readingEveryRule(List<Rule> rules, String action, Map<String, Object> resource) {
        boolean allowed = false;
        for (Rule rule : rules) {
            boolean covers = rule.actions().contains(action) || rule.actions().contains("read");
            if (covers && rule.matches(resource)) {
                if (rule.inverted()) {
                    return false;
                }
                allowed = true;
            }
        }
        return allowed;
    }

    @Property
    void globsAgreeWithAReferenceMatcher(@ForAll("globs") String glob, @ForAll("paths") String path) {
        assertThat(Glob.matches(glob, path)).as(glob + " ~ " + path).isEqualTo(reference(glob, path));
        assertThat(Glob.matcher(glob).test(path)).as(glob + " ~ " + path).isEqualTo(reference(glob, path));
    }

    @Property
    void templatingNeverWidens(
            @ForAll("resources") Map<String, Object> resource,
            @ForAll("ruleLists") List<Rule> plain,
            @ForAll boolean inverted) {
        List<Rule> rules = new ArrayList<>(plain);
        rules.add(new Rule(
                "secrets",
                Set.of("readValue"),
                List.of(Condition.glob("secretPath", "/{{identity.metadata.team}}/**")),
                inverted,
                "templated"));
        Actor withoutTeam = new Actor(ActorType.IDENTITY, "id-1", "n", null, "org", "member", null, "ip", "ua");
        boolean rendered =
                new PermissionSet(RuleTemplates.render(rules, withoutTeam)).can("secrets", "readValue", resource);
        boolean withoutTheRule = new PermissionSet(plain).can("secrets", "readValue", resource);
        if (!inverted) {
            assertThat(rendered).isEqualTo(withoutTheRule);
        } else {
            assertThat(!rendered || withoutTheRule).isTrue();
        }
    }

    /**
     * A segment-by-segment matcher written independently of Glob: '*' within a segment, a whole
     * '**' segment for any number of segments, '{x,y}' alternation of whole segments.
     */
    private static boolean reference(String glob, String path) {
        List<String> g = List.of(glob.substring(1).split("/", -1));
        List<String> p =
                path.equals("/") ? List.of() : List.of(path.substring(1).split("/", -1));
        return match(g, 0, p, 0);
    }

    private static boolean match(List<String> g, int gi, List<String> p, int pi) {
        if (gi == g.size()) {
            return pi == p.size();
        }
        String seg = g.get(gi);
        if (seg.equals("**")) {
            for (int k = pi; k <= p.size(); k++) {
                if (match(g, gi + 1, p, k)) {
                    return true;
                }
            }
            return false;
        }
        if (pi == p.size()) {
            return false;
        }
        return segment(seg, p.get(pi)) && match(g, gi + 1, p, pi + 1);
    }

    private static boolean segment(String glob, String value) {
        if (glob.startsWith("{") && glob.endsWith("}")) {
            for (String alt : glob.substring(1, glob.length() - 1).split(",")) {
                if (segment(alt, value)) {
                    return true;
                }
            }
            return false;
        }
        String regex = Pattern.quote(glob).replace("*", "\\E[^/]*\\Q");
        return value.matches(regex);
    }
}
