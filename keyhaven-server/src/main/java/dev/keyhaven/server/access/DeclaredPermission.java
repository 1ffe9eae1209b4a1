package dev.keyhaven.server.access;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an endpoint declares it checks, read from its {@link ProjectPermission}, {@link
 * OrgPermission} or {@link MembershipOnly} annotation and reduced to wire names: a scope and
 * either a subject with the actions it may ask for or membership alone. One shape for the guard,
 * the start-up check, the rate limits and the tests, whichever annotation the handler carries.
 */
public record DeclaredPermission(PermissionScope scope, String subject, Set<String> actions) {
    public DeclaredPermission {
        actions = actions == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(actions));
    }

    /** The declaration on a handler method, if it carries one. */
    public static Optional<DeclaredPermission> of(Method method) {
        List<DeclaredPermission> all = allOf(method);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /**
     * Every declaration on a handler method. More than one is a mistake {@link EndpointPolicyCheck}
     * reports, except the pair {@link #eitherScope} allows.
     */
    public static List<DeclaredPermission> allOf(Method method) {
        List<DeclaredPermission> out = new ArrayList<>();
        ProjectPermission p = method.getAnnotation(ProjectPermission.class);
        if (p != null) {
            out.add(new DeclaredPermission(
                    PermissionScope.PROJECT,
                    p.subject().wire(),
                    wires(Arrays.stream(p.actions()).map(ProjectAction::wire).toList())));
        }
        OrgPermission o = method.getAnnotation(OrgPermission.class);
        if (o != null) {
            out.add(new DeclaredPermission(
                    PermissionScope.ORG,
                    o.subject().wire(),
                    wires(Arrays.stream(o.actions()).map(OrgAction::wire).toList())));
        }
        MembershipOnly m = method.getAnnotation(MembershipOnly.class);
        if (m != null) {
            out.add(new DeclaredPermission(m.value(), null, Set.of()));
        }
        return out;
    }

    /**
     * True for a route whose resource lives either in the org or in one project, as an app
     * connection does: it declares one org and one project permission on the same subject, and the
     * request (the resource's scope) decides which of the two checks runs.
     */
    static boolean eitherScope(List<DeclaredPermission> declared) {
        return declared.size() == 2
                && declared.get(0).scope() != declared.get(1).scope()
                && !declared.get(0).membershipOnly()
                && declared.get(0).subject().equals(declared.get(1).subject());
    }

    private static Set<String> wires(List<String> actions) {
        return new LinkedHashSet<>(actions);
    }

    /** True for an endpoint that needs membership and no particular permission. */
    public boolean membershipOnly() {
        return subject == null;
    }

    /**
     * True when every declared pair is one the scope's vocabulary knows; membership needs none.
     * The annotations take enums, but an enum subject can still be paired with an action of
     * another subject, so the start-up check asks this.
     */
    public boolean inVocabulary() {
        if (membershipOnly()) {
            return true;
        }
        if (actions.isEmpty()) {
            return false;
        }
        ProjectSubjects.Subject known =
                (scope == PermissionScope.PROJECT ? ProjectSubjects.ALL : ProjectSubjects.ORG).get(subject);
        return known != null && known.actions().containsAll(actions);
    }

    /**
     * True when the checks that ran include the declared one: for membership, a membership check
     * in the declared scope; otherwise a check in the declared scope on the declared subject with
     * one of the declared actions. Further checks (an import's source, a move's destination, the
     * containment of a grant) may run beside it; the declaration names the endpoint's own.
     */
    public boolean satisfiedBy(Collection<PermissionCheck> ran) {
        for (PermissionCheck c : ran) {
            if (c.scope() != scope) {
                continue;
            }
            if (membershipOnly() ? c.membership() : subject.equals(c.subject()) && actions.contains(c.action())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return membershipOnly() ? scope + " membership" : scope + " " + subject + " " + actions;
    }
}
