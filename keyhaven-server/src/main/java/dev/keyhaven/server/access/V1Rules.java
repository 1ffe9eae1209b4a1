package dev.keyhaven.server.access;

import dev.keyhaven.server.platform.web.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates between Infisical's V1 permission rules, which the oldest routes and Terraform's
 * {@code permission} attributes still speak, and the V2 rules Keyhaven stores and evaluates. In V1
 * one {@code secrets} rule also covered secret imports, dynamic secrets and folder writes: on the
 * way in such a rule is widened into those V2 subjects, as Infisical's backfill does, and on the
 * way out the derived rules are folded away again, so a V1 client reads back what it wrote.
 */
public final class V1Rules {
    private static final Set<String> CRUD = Set.of("read", "create", "edit", "delete");
    private static final Set<String> ENVIRONMENT_OPERATORS = Set.of("$eq", "$ne", "$in");
    private static final Set<String> PATH_OPERATORS = Set.of("$eq", "$ne", "$in", "$glob");
    private static final Set<String> DERIVED_SUBJECTS = Set.of("secret-imports", "dynamic-secrets");
    private static final Map<String, String> DYNAMIC_ACTIONS = Map.of(
            "read",
            "read-root-credential",
            "create",
            "create-root-credential",
            "edit",
            "edit-root-credential",
            "delete",
            "delete-root-credential");

    private V1Rules() {}

    /**
     * V1 rules (V2 rules pass unchanged) as the V2 rules to store: every rule as sent, then for each
     * V1 secrets rule the same actions on {@code secret-imports}, the matching root-credential
     * actions (plus {@code lease} for edit) on {@code dynamic-secrets}, and its write actions on
     * {@code secret-folders} unless the list has folder rules of its own. Derived rules come last,
     * so a validation error still names the index of the rule the client sent; nothing here
     * validates, the caller's rule parser does.
     */
    public static List<Map<String, Object>> toV2(List<Map<String, Object>> rules) {
        if (rules == null) {
            return null;
        }
        boolean ownFolderRules = rules.stream().anyMatch(r -> r != null && "secret-folders".equals(r.get("subject")));
        List<Map<String, Object>> imports = new ArrayList<>();
        List<Map<String, Object>> dynamic = new ArrayList<>();
        List<Map<String, Object>> folders = new ArrayList<>();
        for (Map<String, Object> rule : rules) {
            List<String> actions = v1SecretActions(rule);
            if (actions == null) {
                continue;
            }
            imports.add(derived("secret-imports", actions, rule));
            List<String> dynamicActions =
                    new ArrayList<>(actions.stream().map(DYNAMIC_ACTIONS::get).toList());
            if (actions.contains("edit")) {
                dynamicActions.add("lease");
            }
            dynamic.add(derived("dynamic-secrets", dynamicActions, rule));
            List<String> writes =
                    actions.stream().filter(a -> !"read".equals(a)).toList();
            if (!writes.isEmpty() && !ownFolderRules) {
                folders.add(derived("secret-folders", writes, rule));
            }
        }
        List<Map<String, Object>> out = new ArrayList<>(rules);
        out.addAll(imports);
        out.addAll(dynamic);
        out.addAll(folders);
        return out;
    }

    /**
     * Stored V2 rules as V1 rules, one action per rule. Dropped, because V1 cannot say them:
     * {@code secret-imports} and {@code dynamic-secrets} rules (V1 derived them from secrets rules);
     * folder actions other than {@code read}; a lone {@code describeSecret} or {@code readValue}
     * ({@code describeSecret} with {@code readValue} reads as {@code read}); and whole secrets rules
     * with a condition V1 has no field or operator for ({@code secretName}, {@code secretTags},
     * {@code eventType}, {@code environment} with {@code $glob}), since leaving out only the
     * condition would show wider access than was granted. Identical results appear once.
     */
    public static List<Map<String, Object>> toV1(List<Map<String, Object>> rules) {
        Set<Map<String, Object>> out = new LinkedHashSet<>();
        for (Map<String, Object> rule : rules) {
            String subject = String.valueOf(rule.get("subject"));
            if (DERIVED_SUBJECTS.contains(subject)) {
                continue;
            }
            List<String> actions = actions(rule.get("action"));
            if ("secret-folders".equals(subject)) {
                actions = actions.contains("read") ? List.of("read") : List.of();
            } else if ("secrets".equals(subject)) {
                if (!v1Conditions(rule.get("conditions"))) {
                    continue;
                }
                actions = secretActionsV1(actions);
            }
            for (String action : actions) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("subject", subject);
                one.put("action", List.of(action));
                if (rule.get("conditions") != null) {
                    one.put("conditions", rule.get("conditions"));
                }
                if (Boolean.TRUE.equals(rule.get("inverted"))) {
                    one.put("inverted", true);
                }
                out.add(one);
            }
        }
        return new ArrayList<>(out);
    }

    /** A role or privilege answer with its rules shown as V1 rules; answers without rules stay as they are. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> withV1Rules(Map<String, Object> answer) {
        if (!(answer.get("permissions") instanceof List<?> rules)) {
            return answer;
        }
        Map<String, Object> out = new LinkedHashMap<>(answer);
        out.put("permissions", toV1((List<Map<String, Object>>) rules));
        return out;
    }

    /**
     * Terraform's {@code privilegePermission} ({@code {actions, subject: "secrets", conditions:
     * {environment, secretPath?: {$glob}}}}) as V1 rules, one per action; a 422 naming the field
     * when it has another shape.
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> fromPrivilegePermission(String field, Map<String, Object> permission) {
        if (!(permission.get("actions") instanceof List<?> actions) || actions.isEmpty()) {
            throw ValidationException.field(
                    field + ".actions", "Expected a non-empty list of read, create, edit, delete");
        }
        for (Object a : actions) {
            if (!(a instanceof String s) || !CRUD.contains(s)) {
                throw ValidationException.field(
                        field + ".actions", "Invalid enum value. Expected 'read' | 'create' | 'edit' | 'delete'");
            }
        }
        if (!"secrets".equals(permission.get("subject"))) {
            throw ValidationException.field(field + ".subject", "Invalid enum value. Expected 'secrets'");
        }
        if (!(permission.get("conditions") instanceof Map<?, ?> raw)) {
            throw ValidationException.required(field + ".conditions");
        }
        Map<String, Object> conditions = (Map<String, Object>) raw;
        if (!(conditions.get("environment") instanceof String environment) || environment.isBlank()) {
            throw ValidationException.required(field + ".conditions.environment");
        }
        Map<String, Object> v1Conditions = new LinkedHashMap<>();
        v1Conditions.put("environment", environment);
        Object path = conditions.get("secretPath");
        if (path != null) {
            if (!(path instanceof Map<?, ?> p) || !(p.get("$glob") instanceof String glob) || glob.isEmpty()) {
                throw ValidationException.field(
                        field + ".conditions.secretPath.$glob", "Expected a non-empty glob string");
            }
            v1Conditions.put("secretPath", Map.of("$glob", glob));
        }
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object a : new LinkedHashSet<>(actions)) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("subject", "secrets");
            rule.put("action", a);
            rule.put("conditions", v1Conditions);
            rules.add(rule);
        }
        return rules;
    }

    /** The actions of a well-formed V1 secrets rule, or null for anything else (a V2 or malformed rule). */
    private static List<String> v1SecretActions(Map<String, Object> rule) {
        if (rule == null || !"secrets".equals(rule.get("subject"))) {
            return null;
        }
        Object inverted = rule.get("inverted");
        if (inverted != null && !(inverted instanceof Boolean)) {
            return null;
        }
        List<String> actions = new ArrayList<>();
        Object raw = rule.get("action");
        if (raw instanceof String s) {
            actions.add(s);
        } else if (raw instanceof List<?> list && !list.isEmpty()) {
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    return null;
                }
                if (!actions.contains(s)) {
                    actions.add(s);
                }
            }
        } else {
            return null;
        }
        return CRUD.containsAll(actions) && v1Conditions(rule.get("conditions")) ? actions : null;
    }

    /** True when V1 can state these conditions: environment ($eq, $ne, $in) and secretPath (also $glob) only. */
    private static boolean v1Conditions(Object conditions) {
        if (conditions == null) {
            return true;
        }
        if (!(conditions instanceof Map<?, ?> map)) {
            return false;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Set<String> operators = "environment".equals(e.getKey())
                    ? ENVIRONMENT_OPERATORS
                    : "secretPath".equals(e.getKey()) ? PATH_OPERATORS : null;
            Object value = e.getValue();
            boolean expressible = operators != null
                    && (value instanceof String
                            || value instanceof Map<?, ?> ops && !ops.isEmpty() && operators.containsAll(ops.keySet()));
            if (!expressible) {
                return false;
            }
        }
        return true;
    }

    private static List<String> secretActionsV1(List<String> actions) {
        List<String> out = new ArrayList<>();
        if (actions.contains("read") || actions.contains("describeSecret") && actions.contains("readValue")) {
            out.add("read");
        }
        for (String a : actions) {
            if (CRUD.contains(a) && !out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    private static Map<String, Object> derived(String subject, List<String> actions, Map<String, Object> source) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("subject", subject);
        rule.put("action", List.copyOf(actions));
        if (source.get("conditions") != null) {
            rule.put("conditions", source.get("conditions"));
        }
        if (Boolean.TRUE.equals(source.get("inverted"))) {
            rule.put("inverted", true);
        }
        return rule;
    }

    private static List<String> actions(Object raw) {
        if (raw instanceof String s) {
            return List.of(s);
        }
        List<String> out = new ArrayList<>();
        if (raw instanceof List<?> list) {
            list.forEach(o -> out.add(String.valueOf(o)));
        }
        return out;
    }
}
