package dev.keyhaven.server.access;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The permission vocabularies as the rule parser reads them, by wire name: each subject with the
 * actions it knows and the resource fields its conditions may name. Built from {@link
 * ProjectSubject} and {@link OrgSubject}, which are the vocabulary; this is only their string view.
 */
final class ProjectSubjects {
    record Subject(Set<String> actions, Set<String> conditions) {}

    /** The project permission vocabulary (Infisical's V2 schema). */
    static final Map<String, Subject> ALL = Arrays.stream(ProjectSubject.values())
            .collect(Collectors.collectingAndThen(
                    Collectors.toMap(
                            ProjectSubject::wire,
                            s -> new Subject(wires(s.actions(), ProjectAction::wire), s.conditions()),
                            (a, b) -> a,
                            LinkedHashMap::new),
                    Collections::unmodifiableMap));

    /** The org permission vocabulary (org roles). */
    static final Map<String, Subject> ORG = Arrays.stream(OrgSubject.values())
            .collect(Collectors.collectingAndThen(
                    Collectors.toMap(
                            OrgSubject::wire,
                            s -> new Subject(wires(s.actions(), OrgAction::wire), s.conditions()),
                            (a, b) -> a,
                            LinkedHashMap::new),
                    Collections::unmodifiableMap));

    /** Fields whose condition values are paths and must start with {@code /}. */
    static final List<String> PATH_FIELDS = List.of("secretPath");

    private ProjectSubjects() {}

    private static <A> Set<String> wires(Set<A> actions, Function<A, String> wire) {
        return actions.stream().map(wire).collect(Collectors.toUnmodifiableSet());
    }
}
