package dev.keyhaven.server.access;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Whether a granted allow rule stays inside what a grantor holds ("nobody grants more than they
 * hold"), decided by comparing conditions, never by trying resources. A grantor's allow counts
 * when every one of its conditions is implied by the granted rule's (whatever the granted rule
 * matches, it matches too); a grantor's deny on the same subject and action must provably match
 * nothing the granted rule allows, or the grant would let the grantee escape it. Every case it
 * cannot prove (two arbitrary globs, templated values, tag lists) counts as not covered, so the
 * answer can be too strict but never too generous.
 */
final class RuleContainment {
    /** Fields whose resource value is a list, where {@code $in} means any-of and values are not exclusive. */
    private static final Set<String> LIST_FIELDS = Set.of("secretTags");

    private static final Set<String> OPS = Set.of("$eq", "$ne", "$in", "$glob");

    private RuleContainment() {}

    /** True when every resource the granted rule allows for this action, the held rules allow too. */
    static boolean covers(List<Rule> held, Rule granted, String action) {
        String subject = granted.subject();
        if (Rule.ALL.equals(subject) || Rule.MANAGE.equals(action)) {
            return coversWildcard(held, subject, action);
        }
        if ("secrets".equals(subject) && "read".equals(action)) {
            // the legacy action is both halves; each must be held
            for (String half : PermissionSet.READ_IMPLIED) {
                if (!coversExactly(held, granted, half)) {
                    return false;
                }
            }
            return true;
        }
        return coversExactly(held, granted, action);
    }

    private static boolean coversExactly(List<Rule> held, Rule granted, String action) {
        String subject = granted.subject();
        boolean allowed = false;
        for (Rule h : held) {
            if (!h.coversSubject(subject) || !PermissionSet.covers(h, subject, action)) {
                continue;
            }
            if (h.inverted()) {
                if (!disjoint(granted.conditions(), h.conditions())) {
                    return false;
                }
            } else if (!allowed && implies(granted.conditions(), h.conditions())) {
                allowed = true;
            }
        }
        return allowed;
    }

    /**
     * A granted wildcard (subject {@code all} or action {@code manage}) reaches things no
     * condition can be compared on, so it needs the same wildcard held without conditions, and
     * no held deny on a subject it reaches.
     */
    private static boolean coversWildcard(List<Rule> held, String subject, String action) {
        boolean anySubject = Rule.ALL.equals(subject);
        boolean allowed = false;
        for (Rule h : held) {
            if (h.inverted()) {
                if (anySubject || h.coversSubject(subject)) {
                    return false;
                }
                continue;
            }
            boolean subjectHeld = anySubject ? Rule.ALL.equals(h.subject()) : h.coversSubject(subject);
            if (subjectHeld && h.coversAction(action) && h.conditions().isEmpty()) {
                allowed = true;
            }
        }
        return allowed;
    }

    /** True when every resource meeting all {@code granted} conditions meets all {@code held} ones. */
    static boolean implies(List<Condition> granted, List<Condition> held) {
        for (Condition g : held) {
            boolean implied = false;
            for (Condition r : granted) {
                if (r.field().equals(g.field()) && implies(r, g)) {
                    implied = true;
                    break;
                }
            }
            if (!implied) {
                return false;
            }
        }
        return true;
    }

    /** True when no resource can meet both lists of conditions. */
    static boolean disjoint(List<Condition> granted, List<Condition> deny) {
        for (Condition r : granted) {
            for (Condition d : deny) {
                if (r.field().equals(d.field())
                        && !LIST_FIELDS.contains(r.field())
                        && comparable(r)
                        && comparable(d)
                        && disjoint(View.of(r), View.of(d))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean comparable(Condition c) {
        return OPS.contains(c.op()) && !c.templated();
    }

    private static boolean implies(Condition r, Condition g) {
        if (!comparable(r) || !comparable(g)) {
            return false;
        }
        if (r.op().equals(g.op()) && Set.copyOf(r.values()).equals(Set.copyOf(g.values()))) {
            return true;
        }
        if (LIST_FIELDS.contains(g.field())) {
            // a secret has many tags: "any of" conditions imply one another only when identical
            return false;
        }
        View rv = View.of(r);
        View gv = View.of(g);
        return switch (gv.op) {
            case "$eq" ->
                switch (rv.op) {
                    case "$eq", "$in" -> rv.values.stream().allMatch(gv.values.get(0)::equals);
                    default -> false;
                };
            case "$in" ->
                switch (rv.op) {
                    case "$eq", "$in" -> gv.values.containsAll(rv.values);
                    default -> false;
                };
            case "$ne" ->
                switch (rv.op) {
                    case "$eq", "$in" -> !rv.values.contains(gv.values.get(0));
                    case "$ne" -> rv.values.equals(gv.values);
                    default -> false;
                };
            default ->
                switch (rv.op) {
                    case "$eq", "$in" -> rv.values.stream().allMatch(gv.glob);
                    case "$ne" -> "**".equals(gv.pattern);
                    default -> globWithin(rv.pattern, gv.pattern);
                };
        };
    }

    /** True when every value glob {@code inner} matches, glob {@code outer} matches (non-literal both). */
    private static boolean globWithin(String inner, String outer) {
        if (inner.equals(outer) || "**".equals(outer)) {
            return true;
        }
        String parent = subtree(outer);
        // "P/**" is P and everything below it; a glob that starts with the literal "P/" stays below P
        return parent != null && inner.startsWith(parent + "/");
    }

    /** For a glob of the shape {@code P/**} with P literal, P (possibly empty); else null. */
    private static String subtree(String glob) {
        if (!glob.endsWith("/**")) {
            return null;
        }
        String parent = glob.substring(0, glob.length() - 3);
        return Glob.isLiteral(parent) ? parent : null;
    }

    private static boolean disjoint(View a, View b) {
        if (order(a.op) > order(b.op)) {
            View t = a;
            a = b;
            b = t;
        }
        return switch (a.op) {
            case "$eq", "$in" ->
                switch (b.op) {
                    case "$eq", "$in" -> a.values.stream().noneMatch(b.values::contains);
                    case "$ne" -> a.values.stream().allMatch(b.values.get(0)::equals);
                    default -> a.values.stream().noneMatch(b.glob);
                };
            case "$ne" -> false;
            default -> disjointSubtrees(a.pattern, b.pattern);
        };
    }

    private static boolean disjointSubtrees(String a, String b) {
        String p = subtree(a);
        String q = subtree(b);
        if (p == null || q == null || p.isEmpty() || q.isEmpty()) {
            return false;
        }
        return !p.equals(q) && !p.startsWith(q + "/") && !q.startsWith(p + "/");
    }

    private static int order(String op) {
        return switch (op) {
            case "$eq", "$in" -> 0;
            case "$ne" -> 1;
            default -> 2;
        };
    }

    /**
     * A condition as compared here: a glob without special characters is the equality it
     * means, and a glob's pattern is read with repeated {@code **} collapsed.
     */
    private record View(String op, List<String> values, String pattern, Predicate<String> glob) {
        static View of(Condition c) {
            if (!"$glob".equals(c.op())) {
                return new View(c.op(), c.values(), null, null);
            }
            String pattern = Glob.normalize(c.values().get(0));
            if (Glob.isLiteral(pattern)) {
                return new View("$eq", List.of(pattern), null, null);
            }
            return new View("$glob", List.of(pattern), pattern, c.globs().get(0));
        }
    }
}
