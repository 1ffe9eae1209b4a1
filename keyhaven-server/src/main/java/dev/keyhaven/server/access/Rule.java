package dev.keyhaven.server.access;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One permission rule: actions on a subject, optionally limited by conditions on the resource,
 * and {@code inverted} for a deny. Subject {@code all} and action {@code manage} are wildcards
 * (the built-in admin role).
 */
public record Rule(String subject, Set<String> actions, List<Condition> conditions, boolean inverted, String source) {
    public static final String ALL = "all";
    public static final String MANAGE = "manage";

    public Rule {
        actions = Set.copyOf(actions);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    public static Rule allow(String subject, String... actions) {
        return new Rule(subject, Set.of(actions), List.of(), false, null);
    }

    public Rule from(String newSource) {
        return new Rule(subject, actions, conditions, inverted, newSource);
    }

    boolean coversSubject(String s) {
        return subject.equals(s) || subject.equals(ALL);
    }

    boolean coversAction(String action) {
        return actions.contains(action) || actions.contains(MANAGE);
    }

    /** Like {@link #matches}, but conditions on fields the resource does not name count as met. */
    boolean mightMatch(Map<String, Object> resource) {
        for (Condition c : conditions) {
            if (resource.containsKey(c.field()) && !c.test(resource)) {
                return false;
            }
        }
        return true;
    }

    boolean matches(Map<String, Object> resource) {
        for (Condition c : conditions) {
            if (!c.test(resource)) {
                return false;
            }
        }
        return true;
    }
}
