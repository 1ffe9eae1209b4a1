package dev.keyhaven.server.access;

import dev.keyhaven.server.platform.web.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads permission rules in Infisical's V2 shape ({@code {subject, action, conditions?,
 * inverted?}}) and refuses anything it does not understand with a 422 naming the rule and field:
 * unknown subjects, actions or condition fields, malformed globs, paths not starting with
 * {@code /}, and {@code read} mixed with {@code describeSecret}/{@code readValue}.
 */
public final class RuleParser {
    private static final Set<String> OPERATORS = Set.of("$eq", "$ne", "$in", "$glob");

    private RuleParser() {}

    /** Validated project rules in their normal form: action always a list, inverted only when true. */
    public static List<Map<String, Object>> normalize(String field, List<Map<String, Object>> raw) {
        return normalize(field, raw, ProjectSubjects.ALL);
    }

    /** Validated org rules (org subjects and actions). */
    public static List<Map<String, Object>> normalizeOrg(String field, List<Map<String, Object>> raw) {
        return normalize(field, raw, ProjectSubjects.ORG);
    }

    private static List<Map<String, Object>> normalize(
            String field, List<Map<String, Object>> raw, Map<String, ProjectSubjects.Subject> vocabulary) {
        if (raw == null) {
            throw ValidationException.required(field);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            out.add(normalizeOne(field + "." + i, raw.get(i), vocabulary));
        }
        return out;
    }

    /** Compiles normalized rules (as stored) for the evaluator, each tagged with its source. */
    @SuppressWarnings("unchecked")
    public static List<Rule> compile(List<Map<String, Object>> normalized, String source) {
        List<Rule> rules = new ArrayList<>();
        for (Map<String, Object> r : normalized) {
            List<Condition> conditions = new ArrayList<>();
            Map<String, Object> conds = (Map<String, Object>) r.getOrDefault("conditions", Map.of());
            for (Map.Entry<String, Object> c : conds.entrySet()) {
                conditions.addAll(conditions(c.getKey(), c.getValue()));
            }
            rules.add(new Rule(
                    (String) r.get("subject"),
                    Set.copyOf((List<String>) r.get("action")),
                    conditions,
                    Boolean.TRUE.equals(r.get("inverted")),
                    source));
        }
        return rules;
    }

    @SuppressWarnings("unchecked")
    private static List<Condition> conditions(String field, Object value) {
        List<Condition> out = new ArrayList<>();
        if (value instanceof String s) {
            out.add(Condition.eq(field, s));
            return out;
        }
        for (Map.Entry<String, Object> op : ((Map<String, Object>) value).entrySet()) {
            switch (op.getKey()) {
                case "$eq" -> out.add(Condition.eq(field, (String) op.getValue()));
                case "$ne" -> out.add(Condition.ne(field, (String) op.getValue()));
                case "$in" -> out.add(Condition.in(field, (List<String>) op.getValue()));
                default -> out.add(Condition.glob(field, (String) op.getValue()));
            }
        }
        return out;
    }

    private static Map<String, Object> normalizeOne(
            String at, Map<String, Object> rule, Map<String, ProjectSubjects.Subject> vocabulary) {
        if (rule == null) {
            throw ValidationException.invalidType(at, "object", "null");
        }
        if (!(rule.get("subject") instanceof String subject)) {
            throw ValidationException.required(at + ".subject");
        }
        ProjectSubjects.Subject known = vocabulary.get(subject);
        if (known == null) {
            throw ValidationException.field(at + ".subject", "Unknown subject '" + subject + "'");
        }
        List<String> actions = actions(at + ".action", rule.get("action"));
        for (String a : actions) {
            if (!known.actions().contains(a)) {
                throw ValidationException.field(
                        at + ".action",
                        "Unknown action '" + a + "' for subject '" + subject + "'; allowed: "
                                + String.join(", ", new java.util.TreeSet<>(known.actions())));
            }
        }
        if ("secrets".equals(subject)
                && actions.contains("read")
                && (actions.contains("describeSecret") || actions.contains("readValue"))) {
            throw ValidationException.field(
                    at + ".action",
                    "'read' already means describeSecret and readValue; do not combine them in one rule");
        }
        Object inverted = rule.get("inverted");
        if (inverted != null && !(inverted instanceof Boolean)) {
            throw ValidationException.invalidType(at + ".inverted", "boolean", "another type");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("subject", subject);
        out.put("action", actions);
        Object conds = rule.get("conditions");
        if (conds != null) {
            out.put("conditions", conditions(at + ".conditions", conds, known));
        }
        if (Boolean.TRUE.equals(inverted)) {
            out.put("inverted", true);
        }
        return out;
    }

    private static List<String> actions(String at, Object raw) {
        List<String> out = new ArrayList<>();
        if (raw instanceof String s) {
            out.add(s);
        } else if (raw instanceof List<?> list && !list.isEmpty()) {
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw ValidationException.invalidType(at, "string", "another type");
                }
                if (!out.contains(s)) {
                    out.add(s);
                }
            }
        } else {
            throw ValidationException.field(at, "An action or a non-empty list of actions is required");
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> conditions(String at, Object raw, ProjectSubjects.Subject known) {
        if (!(raw instanceof Map<?, ?> map)) {
            throw ValidationException.invalidType(at, "object", "another type");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
            String field = e.getKey();
            String fieldAt = at + "." + field;
            if (!known.conditions().contains(field)) {
                throw ValidationException.field(fieldAt, "Unknown condition field '" + field + "' for this subject");
            }
            Object v = e.getValue();
            if (v instanceof String s) {
                checkValue(fieldAt, field, "$eq", s);
                out.put(field, s);
                continue;
            }
            if (!(v instanceof Map<?, ?> ops) || ops.isEmpty()) {
                throw ValidationException.field(
                        fieldAt, "Expected a string or an object of operators ($eq, $ne, $in, $glob)");
            }
            Map<String, Object> normalizedOps = new LinkedHashMap<>();
            for (Map.Entry<String, Object> op : ((Map<String, Object>) ops).entrySet()) {
                String name = op.getKey();
                if (!OPERATORS.contains(name)) {
                    throw ValidationException.field(fieldAt, "Unknown operator '" + name + "'");
                }
                if ("secretTags".equals(field) && !"$in".equals(name)) {
                    throw ValidationException.field(fieldAt, "secretTags supports only $in");
                }
                if ("$in".equals(name)) {
                    if (!(op.getValue() instanceof List<?> list) || list.isEmpty()) {
                        throw ValidationException.field(fieldAt + ".$in", "Expected a non-empty list of strings");
                    }
                    List<String> values = new ArrayList<>();
                    for (Object o : list) {
                        if (!(o instanceof String s)) {
                            throw ValidationException.invalidType(fieldAt + ".$in", "string", "another type");
                        }
                        checkValue(fieldAt + ".$in", field, name, s);
                        values.add(s);
                    }
                    normalizedOps.put(name, values);
                } else {
                    if (!(op.getValue() instanceof String s)) {
                        throw ValidationException.invalidType(fieldAt + "." + name, "string", "another type");
                    }
                    checkValue(fieldAt + "." + name, field, name, s);
                    normalizedOps.put(name, s);
                }
            }
            out.put(field, normalizedOps);
        }
        return out;
    }

    private static void checkValue(String at, String field, String op, String value) {
        if (ProjectSubjects.PATH_FIELDS.contains(field) && !value.startsWith("/")) {
            throw ValidationException.field(at, "A secretPath condition must start with '/'");
        }
        if ("$glob".equals(op)) {
            try {
                Glob.compile(value);
            } catch (IllegalArgumentException e) {
                throw ValidationException.field(at, "Malformed glob: " + e.getMessage());
            }
        }
    }
}
