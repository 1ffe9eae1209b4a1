package dev.keyhaven.bench;

import dev.keyhaven.server.access.BuiltInRoles;
import dev.keyhaven.server.access.PermissionSet;
import dev.keyhaven.server.access.Rule;
import dev.keyhaven.server.access.RuleParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one permission check with 1,000 rules spread over custom roles, group roles and
 * privileges (as stored: V2 rule JSON with environment, path-glob and name conditions, 5 % of them
 * denies), against the built-in viewer role. "cached" evaluates an already built set (what every
 * check after the first in a request costs); "uncached" also compiles the stored rules, globs
 * included (what the first check of a request costs when no compiled role is cached).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EvaluatorBenchmark {
    private static final String[] ENVS = {"dev", "staging", "prod", "qa"};
    private static final String[] SUBJECTS = {"secrets", "secret-folders", "secret-imports", "dynamic-secrets", "tags"};

    private List<Map<String, Object>> storedRules;
    private PermissionSet thousand;
    private PermissionSet viewer;
    private Map<String, Object> resource;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        storedRules = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String subject = SUBJECTS[random.nextInt(SUBJECTS.length)];
            String action = subject.equals("secrets") ? (random.nextBoolean() ? "readValue" : "describeSecret")
                    : subject.equals("dynamic-secrets") ? "lease" : "read";
            Map<String, Object> conditions = subject.equals("tags") ? Map.of()
                    : Map.of("environment", ENVS[random.nextInt(ENVS.length)],
                            "secretPath", Map.of("$glob", "/team-" + random.nextInt(50) + "/**"));
            if (subject.equals("secrets") && random.nextInt(4) == 0) {
                conditions = Map.of("environment", ENVS[random.nextInt(ENVS.length)],
                        "secretPath", Map.of("$glob", "/team-" + random.nextInt(50) + "/**"),
                        "secretName", Map.of("$glob", "KEY_" + random.nextInt(100) + "*"));
            }
            Map<String, Object> rule = new java.util.LinkedHashMap<>();
            rule.put("subject", subject);
            rule.put("action", action);
            if (!conditions.isEmpty()) {
                rule.put("conditions", conditions);
            }
            if (random.nextInt(20) == 0) {
                rule.put("inverted", true);
            }
            storedRules.add(rule);
        }
        storedRules = RuleParser.normalize("permissions", storedRules);
        thousand = build(storedRules);
        viewer = new PermissionSet(BuiltInRoles.project("viewer").orElseThrow());
        resource = Map.of("environment", "prod", "secretPath", "/team-42/api", "secretName", "KEY_77_TOKEN",
                "secretTags", List.of());
    }

    private static PermissionSet build(List<Map<String, Object>> stored) {
        List<Rule> rules = new ArrayList<>();
        for (int source = 0; source < 10; source++) {
            rules.addAll(RuleParser.compile(stored.subList(source * 100, source * 100 + 100),
                    source < 6 ? "custom-role:r" + source : source < 8 ? "group-role:g" + source : "privilege:p" + source));
        }
        return new PermissionSet(rules);
    }

    @Benchmark
    public boolean cachedThousandRules() {
        return thousand.can("secrets", "readValue", resource);
    }

    @Benchmark
    public boolean cachedBuiltInViewer() {
        return viewer.can("secrets", "readValue", resource);
    }

    @Benchmark
    public boolean uncachedThousandRules() {
        return build(storedRules).can("secrets", "readValue", resource);
    }
}
