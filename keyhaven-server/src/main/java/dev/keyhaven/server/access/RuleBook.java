package dev.keyhaven.server.access;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An actor's effective rules in one scope, with the per-subject-and-action indexes built on
 * first use. Immutable apart from those indexes (which only ever add entries), so one book can
 * serve many requests and threads; each request wraps it in its own {@link PermissionSet}.
 */
final class RuleBook {
    private final List<Rule> rules;
    private final Map<String, Map<String, RuleIndex>> index = new ConcurrentHashMap<>();

    RuleBook(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    List<Rule> rules() {
        return rules;
    }

    /** The rules that speak about this subject and action. */
    RuleIndex relevant(String subject, String action) {
        return index.computeIfAbsent(subject, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(
                        action,
                        k -> RuleIndex.of(
                                rules,
                                rule -> rule.coversSubject(subject) && PermissionSet.covers(rule, subject, action)));
    }
}
