package dev.keyhaven.server.secret;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands secret references: {@code ${KEY}} (same environment and folder), {@code ${env.KEY}}
 * (root of another environment) and {@code ${env.a.b.KEY}} (folder {@code /a/b} of it). At most
 * {@value #MAX_DEPTH} levels deep; a reference that is missing, too deep, malformed or part of a
 * cycle is left exactly as written. Reading each target goes through the caller's {@link Lookup},
 * which checks permission.
 */
final class ReferenceExpander {
    static final int MAX_DEPTH = 10;
    static final Pattern REFERENCE = Pattern.compile("\\$\\{([a-zA-Z0-9\\-_.]+)}");

    /** Finds the value a reference points at; throws when the caller may not read it. */
    interface Lookup {
        Optional<String> value(String environment, String path, String key);
    }

    record Ref(String environment, String path, String key) {
        String id() {
            return environment + ":" + path + ":" + key;
        }
    }

    private ReferenceExpander() {}

    static boolean hasReferences(String value) {
        return value != null && value.contains("${") && REFERENCE.matcher(value).find();
    }

    static String expand(String value, String environment, String path, String ownKey, Lookup lookup) {
        Deque<String> chain = new ArrayDeque<>();
        chain.push(new Ref(environment, path, ownKey).id());
        return expand(value, environment, path, lookup, chain, 0);
    }

    private static String expand(String value, String environment, String path, Lookup lookup, Deque<String> chain, int depth) {
        if (!hasReferences(value)) {
            return value;
        }
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String original = m.group();
            Ref ref = parse(m.group(1), environment, path);
            String replacement = original;
            if (ref != null && depth < MAX_DEPTH && !chain.contains(ref.id())) {
                Optional<String> target = lookup.value(ref.environment(), ref.path(), ref.key());
                if (target.isPresent()) {
                    chain.push(ref.id());
                    replacement = expand(target.get(), ref.environment(), ref.path(), lookup, chain, depth + 1);
                    chain.pop();
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The cycle that leads from a secret back to itself through references, e.g.
     * {@code [dev:/:A, dev:/:B, dev:/:A]}, or empty when there is none within the depth limit.
     */
    static Optional<List<String>> cycleThrough(String value, String environment, String path, String ownKey, Lookup lookup) {
        Ref start = new Ref(environment, path, ownKey);
        Deque<String> chain = new ArrayDeque<>();
        chain.addLast(start.id());
        return search(value, environment, path, start.id(), lookup, chain, 0);
    }

    private static Optional<List<String>> search(String value, String environment, String path, String startId,
            Lookup lookup, Deque<String> chain, int depth) {
        if (!hasReferences(value) || depth >= MAX_DEPTH) {
            return Optional.empty();
        }
        Matcher m = REFERENCE.matcher(value);
        while (m.find()) {
            Ref ref = parse(m.group(1), environment, path);
            if (ref == null) {
                continue;
            }
            if (ref.id().equals(startId)) {
                List<String> cycle = new ArrayList<>(chain);
                cycle.add(startId);
                return Optional.of(cycle);
            }
            if (chain.contains(ref.id())) {
                continue;
            }
            Optional<String> target = lookup.value(ref.environment(), ref.path(), ref.key());
            if (target.isPresent()) {
                chain.addLast(ref.id());
                Optional<List<String>> found = search(target.get(), ref.environment(), ref.path(), startId, lookup, chain, depth + 1);
                chain.removeLast();
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
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
