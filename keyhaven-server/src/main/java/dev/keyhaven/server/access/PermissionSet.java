package dev.keyhaven.server.access;

import dev.keyhaven.server.platform.web.ApiException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The effective rules of one actor in one scope (a project or the org), and the one place where
 * a request is judged. Allowed means some allow rule matches and no deny rule does: a matching
 * deny from any source beats every allow. The legacy secrets action {@code read} stands for
 * {@code describeSecret} plus {@code readValue}, in allows and in denies alike.
 */
public final class PermissionSet {
    /** What the legacy secrets action {@code read} stands for. */
    static final Set<String> READ_IMPLIED = Set.of("describeSecret", "readValue");

    private final RuleBook book;
    /** Where these rules hold; null for a set built only to compare rules (it records no check). */
    private final PermissionScope scope;
    /** The current request's trace, looked up on the first check (a set lives for one request). */
    private PermissionTrace trace;

    private boolean traceLooked;
    /** The last subject and action recorded: a listing asks the same pair per secret. */
    private String lastSubject;

    private String lastAction;

    public PermissionSet(List<Rule> rules) {
        this(new RuleBook(rules), null);
    }

    /** A set for one request over rules that may be shared between requests, held in a scope. */
    PermissionSet(RuleBook book, PermissionScope scope) {
        this.book = book;
        this.scope = scope;
    }

    public List<Rule> rules() {
        return book.rules();
    }

    /**
     * The same object for as long as these rules stand (across requests while the cached rules
     * hold): what a cache of rendered results keys on. A rebuilt set has a new one.
     */
    public Object version() {
        return book;
    }

    /** Whether the action is allowed on the project resource described by {@code resource}. */
    public boolean can(ProjectSubject subject, ProjectAction action, Map<String, Object> resource) {
        inScope(PermissionScope.PROJECT, subject.knows(action), subject, action);
        return can(subject.wire(), action.wire(), resource);
    }

    public boolean can(ProjectSubject subject, ProjectAction action) {
        return can(subject, action, Map.of());
    }

    /** Checks and throws the Infisical 403 {@code PermissionDenied} when not allowed. */
    public void require(ProjectSubject subject, ProjectAction action, Map<String, Object> resource) {
        inScope(PermissionScope.PROJECT, subject.knows(action), subject, action);
        require(subject.wire(), action.wire(), resource);
    }

    public void require(ProjectSubject subject, ProjectAction action) {
        require(subject, action, Map.of());
    }

    /**
     * True when the action may be allowed on some resource matching the given fields (before
     * listing a folder, where secret names and tags are not known yet); see {@link RuleIndex}.
     */
    public boolean canSome(ProjectSubject subject, ProjectAction action, Map<String, Object> partial) {
        inScope(PermissionScope.PROJECT, subject.knows(action), subject, action);
        return canSome(subject.wire(), action.wire(), partial);
    }

    public void requireSome(ProjectSubject subject, ProjectAction action, Map<String, Object> partial) {
        inScope(PermissionScope.PROJECT, subject.knows(action), subject, action);
        requireSome(subject.wire(), action.wire(), partial);
    }

    /** Whether the org action is allowed on the resource described by {@code resource}. */
    public boolean can(OrgSubject subject, OrgAction action, Map<String, Object> resource) {
        inScope(PermissionScope.ORG, subject.knows(action), subject, action);
        return can(subject.wire(), action.wire(), resource);
    }

    public boolean can(OrgSubject subject, OrgAction action) {
        return can(subject, action, Map.of());
    }

    /** Checks and throws the Infisical 403 {@code PermissionDenied} when not allowed. */
    public void require(OrgSubject subject, OrgAction action, Map<String, Object> resource) {
        inScope(PermissionScope.ORG, subject.knows(action), subject, action);
        require(subject.wire(), action.wire(), resource);
    }

    public void require(OrgSubject subject, OrgAction action) {
        require(subject, action, Map.of());
    }

    /**
     * A typed check must name a pair of its scope's vocabulary and be asked of a set of that scope:
     * anything else is a programming error, refused before it could be answered.
     */
    private void inScope(PermissionScope wanted, boolean known, Object subject, Object action) {
        if (!known) {
            throw new IllegalArgumentException(
                    "'" + action + "' is not an action of the " + wanted + " subject '" + subject + "'");
        }
        if (scope != null && scope != wanted) {
            throw new IllegalStateException(
                    "A " + wanted + " check on '" + subject + "' asked of " + scope + " permissions");
        }
    }

    boolean can(String subject, String action, Map<String, Object> resource) {
        trace(subject, action);
        if ("secrets".equals(subject) && "read".equals(action)) {
            // the legacy action means both halves; holding both is holding it
            return can(subject, "describeSecret", resource) && can(subject, "readValue", resource);
        }
        return book.relevant(subject, action).allows(resource);
    }

    /**
     * For reads that need only membership (the project itself, the projects one is in): having a
     * permission set means the actor is a member, so this passes and counts as the check; see
     * {@link MembershipOnly}.
     */
    public void requireMembership() {
        record(scope == null ? null : PermissionCheck.membership(scope));
    }

    private void trace(String subject, String action) {
        // literals and enum wire names are shared strings: identity is the cheap common case
        if (traceLooked && subject == lastSubject && action == lastAction) {
            return;
        }
        lastSubject = subject;
        lastAction = action;
        record(scope == null ? null : new PermissionCheck(scope, subject, action));
    }

    private void record(PermissionCheck check) {
        if (!traceLooked) {
            trace = PermissionTrace.current();
            traceLooked = true;
        }
        if (trace != null) {
            trace.record(check);
        }
    }

    boolean can(String subject, String action) {
        return can(subject, action, Map.of());
    }

    /** Checks and throws the Infisical 403 {@code PermissionDenied} when not allowed. */
    void require(String subject, String action, Map<String, Object> resource) {
        if (!can(subject, action, resource)) {
            throw ApiException.permissionDenied(action, subject, List.of());
        }
    }

    void require(String subject, String action) {
        require(subject, action, Map.of());
    }

    /**
     * True when the action may be allowed on some resource matching the given fields: allow rules
     * count when the fields they name match, deny rules only when every field they name matches.
     * Used before listing a folder, where secret names and tags are not known yet.
     */
    boolean canSome(String subject, String action, Map<String, Object> partial) {
        trace(subject, action);
        return book.relevant(subject, action).allowsSome(partial);
    }

    void requireSome(String subject, String action, Map<String, Object> partial) {
        if (!canSome(subject, action, partial)) {
            throw ApiException.permissionDenied(action, subject, List.of());
        }
    }

    /**
     * Why {@link #can} answers as it does: the allow rules and deny rules that match the question.
     * When any deny matches it decided; otherwise the allows did, or nothing (deny by default).
     */
    public Explanation explain(String subject, String action, Map<String, Object> resource) {
        // counts as a check ran, but names none: it answers a question, often about someone else
        record(null);
        if ("secrets".equals(subject) && "read".equals(action)) {
            Explanation describe = explain(subject, "describeSecret", resource);
            Explanation value = explain(subject, "readValue", resource);
            List<Rule> allows = new java.util.ArrayList<>(describe.allows());
            allows.addAll(value.allows());
            List<Rule> denies = new java.util.ArrayList<>(describe.denies());
            denies.addAll(value.denies());
            return new Explanation(describe.allowed() && value.allowed(), allows, denies);
        }
        List<Rule> allows = new java.util.ArrayList<>();
        List<Rule> denies = new java.util.ArrayList<>();
        for (Rule rule : book.rules()) {
            if (rule.coversSubject(subject) && covers(rule, subject, action) && rule.matches(resource)) {
                (rule.inverted() ? denies : allows).add(rule);
            }
        }
        return new Explanation(denies.isEmpty() && !allows.isEmpty(), allows, denies);
    }

    /** The answer to a permission question and the rules that gave it. */
    public record Explanation(boolean allowed, List<Rule> allows, List<Rule> denies) {}

    static boolean covers(Rule rule, String subject, String action) {
        if (rule.coversAction(action)) {
            return true;
        }
        return "secrets".equals(subject)
                && READ_IMPLIED.contains(action)
                && rule.actions().contains("read");
    }

    /**
     * True when everything {@code other} allows is allowed here too (for grants: nobody grants
     * more than they hold). Each granted allow rule must be covered, action by action, by an allow
     * held here whose conditions it implies, and must not reach anything a deny held here could
     * match; see {@link RuleContainment}. Granted denies only narrow and always pass, and so does
     * an allow whose template could not be filled in for its holder (it matches nothing).
     */
    public boolean coversAllOf(PermissionSet other) {
        for (Rule r : other.rules()) {
            if (r.inverted() || r.conditions().stream().anyMatch(Condition::neverHolds)) {
                continue;
            }
            for (String action : r.actions()) {
                if (!RuleContainment.covers(book.rules(), r, action)) {
                    return false;
                }
            }
        }
        return true;
    }
}
