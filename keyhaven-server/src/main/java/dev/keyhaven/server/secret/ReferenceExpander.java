package dev.keyhaven.server.secret;

import dev.keyhaven.server.platform.log.Redaction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands secret references: {@code ${KEY}} (same environment and folder), {@code ${env.KEY}}
 * (root of another environment) and {@code ${env.a.b.KEY}} (folder {@code /a/b} of it). At most
 * {@value #MAX_DEPTH} levels deep; a reference that is missing, too deep, malformed or part of a
 * cycle is left exactly as written. Reading each target goes through the caller's {@link Lookup},
 * which checks permission.
 *
 * <p>One expander serves one request: a reference is resolved once and its expansion reused
 * (when it was complete, i.e. nothing in it was cut by the depth limit or a cycle), and the
 * request is held to its {@link ReferenceLimits}: references resolved, characters of one
 * expanded value and characters expanded in all.
 */
final class ReferenceExpander {
    static final int MAX_DEPTH = 10;
    static final Pattern REFERENCE = Pattern.compile("\\$\\{([a-zA-Z0-9\\-_.]+)}");

    /** Finds the value a reference points at; throws when the caller may not read it. */
    interface Lookup {
        Optional<String> value(String environment, String path, String key);
    }

    /** Finds the values of many references at once (by {@link Ref#id()}); a missing one is left out. */
    interface BatchLookup {
        Map<String, String> values(Collection<Ref> refs);
    }

    record Ref(String environment, String path, String key) {
        String id() {
            return environment + ":" + path + ":" + key;
        }
    }

    /** An expansion: its text, whether nothing in it was cut, and how many levels of references it used. */
    private record Expanded(String value, boolean complete, int height) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    private static final Expanded MISSING = new Expanded(null, true, 0);

    private final Lookup lookup;
    private final ReferenceLimits limits;
    private final Map<String, Expanded> memo = new HashMap<>();
    private int resolved;
    private long expandedChars;

    ReferenceExpander(Lookup lookup, ReferenceLimits limits) {
        this.lookup = lookup;
        this.limits = limits;
    }

    static boolean hasReferences(String value) {
        return value != null && value.contains("${") && REFERENCE.matcher(value).find();
    }

    /** How many references a value holds (well-formed or not, as written). */
    static int count(String value) {
        if (value == null || !value.contains("${")) {
            return 0;
        }
        int n = 0;
        Matcher m = REFERENCE.matcher(value);
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** The value of secret {@code ownKey} with its references expanded. */
    String expand(String value, String environment, String path, String ownKey) {
        if (!hasReferences(value)) {
            return value;
        }
        Deque<String> chain = new ArrayDeque<>();
        chain.push(new Ref(environment, path, ownKey).id());
        return expand(value, environment, path, chain, 0).value();
    }

    /** References resolved so far by this expander (each lookup counts; reused expansions do not). */
    int resolved() {
        return resolved;
    }

    private Expanded expand(String value, String environment, String path, Deque<String> chain, int depth) {
        if (!hasReferences(value)) {
            return new Expanded(value, true, 0);
        }
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder(value.length() + 64);
        boolean complete = true;
        int height = 0;
        while (m.find()) {
            String replacement = m.group();
            Ref ref = parse(m.group(1), environment, path);
            if (ref != null) {
                if (depth >= MAX_DEPTH || chain.contains(ref.id())) {
                    complete = false;
                } else {
                    Expanded target = memo.get(ref.id());
                    if (target == null || depth + 1 + target.height() > MAX_DEPTH) {
                        target = resolve(ref, chain, depth);
                    }
                    if (target.value() != null) {
                        replacement = target.value();
                        complete &= target.complete();
                        height = Math.max(height, target.height() + 1);
                    }
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            if (out.length() > limits.maxValueChars()) {
                throw ReferenceLimits.valueTooLong(limits.maxValueChars());
            }
        }
        m.appendTail(out);
        if (out.length() > limits.maxValueChars()) {
            throw ReferenceLimits.valueTooLong(limits.maxValueChars());
        }
        // every expansion the server builds counts, the reused ones included once
        expandedChars += out.length();
        if (expandedChars > limits.maxRequestChars()) {
            throw ReferenceLimits.requestTooLong(limits.maxRequestChars());
        }
        return new Expanded(out.toString(), complete, height);
    }

    private Expanded resolve(Ref ref, Deque<String> chain, int depth) {
        if (++resolved > limits.maxPerRequest()) {
            throw ReferenceLimits.tooManyResolved(limits.maxPerRequest());
        }
        Optional<String> target = lookup.value(ref.environment(), ref.path(), ref.key());
        if (target.isEmpty()) {
            memo.put(ref.id(), MISSING);
            return MISSING;
        }
        chain.push(ref.id());
        Expanded e = expand(target.get(), ref.environment(), ref.path(), chain, depth + 1);
        chain.pop();
        if (e.complete()) {
            memo.put(ref.id(), e);
        }
        return e;
    }

    /**
     * The shortest cycle that leads from a secret back to itself through references, e.g.
     * {@code [dev:/:A, dev:/:B, dev:/:A]}, or empty when there is none within the depth limit.
     * Walks the references level by level, loading each level with one call of {@code lookup};
     * refused (422) when it would visit more than {@code maxResolved} distinct references.
     */
    static Optional<List<String>> cycleThrough(
            String value, String environment, String path, String ownKey, BatchLookup lookup, int maxResolved) {
        String start = new Ref(environment, path, ownKey).id();
        Map<String, String> parent = new HashMap<>();
        Map<String, Ref> level = new LinkedHashMap<>();
        addRefs(value, environment, path, start, start, parent, level);
        for (int depth = 0; depth < MAX_DEPTH && !level.isEmpty(); depth++) {
            if (parent.containsKey(start)) {
                return Optional.of(path(parent, start));
            }
            if (depth == MAX_DEPTH - 1) {
                break;
            }
            Map<String, String> values = lookup.values(level.values());
            Map<String, Ref> next = new LinkedHashMap<>();
            for (Ref ref : level.values()) {
                String target = values.get(ref.id());
                if (target != null) {
                    addRefs(target, ref.environment(), ref.path(), ref.id(), start, parent, next);
                }
            }
            if (parent.size() > maxResolved) {
                throw ReferenceLimits.tooManyResolved(maxResolved);
            }
            level = next;
        }
        return parent.containsKey(start) ? Optional.of(path(parent, start)) : Optional.empty();
    }

    /** Adds the references of a value not seen before (and the start, when it comes back) to a level. */
    private static void addRefs(
            String value,
            String environment,
            String path,
            String from,
            String start,
            Map<String, String> parent,
            Map<String, Ref> level) {
        if (!hasReferences(value)) {
            return;
        }
        Matcher m = REFERENCE.matcher(value);
        while (m.find()) {
            Ref ref = parse(m.group(1), environment, path);
            if (ref == null || parent.containsKey(ref.id())) {
                continue;
            }
            parent.put(ref.id(), from);
            if (!ref.id().equals(start)) {
                level.put(ref.id(), ref);
            }
        }
    }

    private static List<String> path(Map<String, String> parent, String start) {
        List<String> cycle = new ArrayList<>();
        String at = start;
        do {
            cycle.add(at);
            at = parent.get(at);
        } while (!at.equals(start));
        cycle.add(start);
        Collections.reverse(cycle);
        return cycle;
    }

    /** Parses the inside of {@code ${...}}; null for a malformed reference. */
    static Ref parse(String inner, String environment, String path) {
        String[] parts = inner.split("\\.", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                return null;
            }
        }
        if (parts.length == 1) {
            return new Ref(environment, path, parts[0]);
        }
        StringBuilder folder = new StringBuilder();
        for (int i = 1; i < parts.length - 1; i++) {
            if (!SecretPath.FOLDER_NAME.matcher(parts[i]).matches()) {
                return null;
            }
            folder.append('/').append(parts[i]);
        }
        return new Ref(parts[0], folder.length() == 0 ? SecretPath.ROOT : folder.toString(), parts[parts.length - 1]);
    }
}
