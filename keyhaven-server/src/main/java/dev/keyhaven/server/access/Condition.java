package dev.keyhaven.server.access;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A condition on one resource field, in the Mongo style Infisical uses: {@code $eq}, {@code $ne},
 * {@code $in} and {@code $glob}. A field the resource does not carry never matches, so a
 * condition can only narrow a rule. For list-valued fields (tags) {@code $in} means "any of".
 */
public record Condition(String field, String op, List<String> values, List<Predicate<String>> globs) {

    public static Condition eq(String field, String value) {
        return new Condition(field, "$eq", List.of(value), List.of());
    }

    public static Condition ne(String field, String value) {
        return new Condition(field, "$ne", List.of(value), List.of());
    }

    public static Condition in(String field, List<String> values) {
        return new Condition(field, "$in", List.copyOf(values), List.of());
    }

    public static Condition glob(String field, String pattern) {
        return new Condition(field, "$glob", List.of(pattern), List.of(Glob.matcher(pattern)));
    }

    /** A condition that never holds: an allow rule whose template could not be filled in. */
    static Condition never(String field) {
        return new Condition(field, "$never", List.of(), List.of());
    }

    /** True for the condition {@link #never} made: nothing meets it. */
    boolean neverHolds() {
        return "$never".equals(op);
    }

    /** True when a value holds a {@code {{variable}}} to fill in per actor. */
    boolean templated() {
        for (String v : values) {
            if (v.contains("{{")) {
                return true;
            }
        }
        return false;
    }

    /** The same condition with new values (globs compiled anew). */
    Condition withValues(List<String> newValues) {
        return switch (op) {
            case "$glob" -> glob(field, newValues.get(0));
            case "$in" -> in(field, newValues);
            case "$ne" -> ne(field, newValues.get(0));
            default -> eq(field, newValues.get(0));
        };
    }

    boolean test(Map<String, Object> resource) {
        if (neverHolds()) {
            return false;
        }
        Object value = resource.get(field);
        if (value == null) {
            return false;
        }
        if (value instanceof Collection<?> many) {
            return switch (op) {
                case "$in" -> many.stream().anyMatch(v -> values.contains(String.valueOf(v)));
                case "$eq" -> many.contains(values.get(0));
                case "$ne" -> !many.contains(values.get(0));
                default -> many.stream().anyMatch(v -> globs.get(0).test(String.valueOf(v)));
            };
        }
        String s = value.toString();
        return switch (op) {
            case "$eq" -> s.equals(values.get(0));
            case "$ne" -> !s.equals(values.get(0));
            case "$in" -> values.contains(s);
            case "$glob" -> globs.get(0).test(s);
            default -> false;
        };
    }
}
