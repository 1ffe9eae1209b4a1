package dev.keyhaven.server.access;

import dev.keyhaven.server.actor.Actor;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills in templated condition values per actor: {@code {{identity.id}}},
 * {@code {{identity.username}}} (the identity's name) and {@code {{identity.metadata.<key>}}}. A
 * variable that cannot be filled in never widens access: an allow condition holding it never
 * matches, and a deny condition holding it is dropped, so the deny applies more broadly.
 */
final class RuleTemplates {
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");

    private RuleTemplates() {}

    static List<Rule> render(List<Rule> rules, Actor actor) {
        boolean any = false;
        for (Rule r : rules) {
            for (Condition c : r.conditions()) {
                any |= c.templated();
            }
        }
        if (!any) {
            return rules;
        }
        List<Rule> out = new ArrayList<>(rules.size());
        for (Rule r : rules) {
            if (r.conditions().stream().noneMatch(Condition::templated)) {
                out.add(r);
                continue;
            }
            List<Condition> conditions = new ArrayList<>();
            for (Condition c : r.conditions()) {
                if (!c.templated()) {
                    conditions.add(c);
                    continue;
                }
                List<String> values = new ArrayList<>();
                boolean resolved = true;
                for (String v : c.values()) {
                    String filled = fill(v, actor);
                    resolved &= filled != null;
                    values.add(filled);
                }
                if (resolved) {
                    conditions.add(c.withValues(values));
                } else if (!r.inverted()) {
                    conditions.add(Condition.never(c.field()));
                }
            }
            out.add(new Rule(r.subject(), r.actions(), conditions, r.inverted(), r.source()));
        }
        return out;
    }

    /** The value with every variable filled in, or null when one is unknown for this actor. */
    static String fill(String value, Actor actor) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = variable(m.group(1), actor);
            if (v == null) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String variable(String name, Actor actor) {
        switch (name) {
            case "identity.id":
                return actor.id();
            case "identity.username":
            case "identity.name":
                return actor.name();
            default:
                if (name.startsWith("identity.metadata.")) {
                    return actor.metadata().get(name.substring("identity.metadata.".length()));
                }
                return null;
        }
    }
}
