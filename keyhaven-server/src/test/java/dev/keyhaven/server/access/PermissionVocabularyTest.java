package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The permission vocabularies: the enums are the only list of subjects and actions, the rule
 * parser reads exactly them, the built-in roles name only their pairs, and the access-control
 * page lists them as they are.
 */
class PermissionVocabularyTest {
    private static final String START = "<!-- vocabulary:start -->";
    private static final String END = "<!-- vocabulary:end -->";

    @Test
    void builtInProjectRolesNameOnlyVocabularyPairs() {
        assertThat(outside(BuiltInRoles.PROJECT, ProjectSubjects.ALL)).isEmpty();
    }

    @Test
    void builtInOrgRolesNameOnlyVocabularyPairs() {
        assertThat(outside(BuiltInRoles.ORG, ProjectSubjects.ORG)).isEmpty();
    }

    /** Pairs the roles name that the vocabulary lacks; the admin wildcard ({@code all}/{@code manage}) is not a pair. */
    private static List<String> outside(
            Map<String, List<Rule>> roles, Map<String, ProjectSubjects.Subject> vocabulary) {
        List<String> out = new ArrayList<>();
        roles.forEach((role, rules) -> {
            for (Rule r : rules) {
                if (r.subject().equals(Rule.ALL) && r.actions().equals(Set.of(Rule.MANAGE))) {
                    continue;
                }
                ProjectSubjects.Subject known = vocabulary.get(r.subject());
                for (String action : r.actions()) {
                    if (known == null || !known.actions().contains(action)) {
                        out.add(role + ": " + r.subject() + " " + action);
                    }
                }
            }
        });
        return out;
    }

    @Test
    void theParserReadsExactlyTheEnums() {
        for (ProjectSubject s : ProjectSubject.values()) {
            ProjectSubjects.Subject parsed = ProjectSubjects.ALL.get(s.wire());
            assertThat(parsed.actions())
                    .isEqualTo(s.actions().stream().map(ProjectAction::wire).collect(Collectors.toSet()));
            assertThat(parsed.conditions()).isEqualTo(s.conditions());
        }
        for (OrgSubject s : OrgSubject.values()) {
            ProjectSubjects.Subject parsed = ProjectSubjects.ORG.get(s.wire());
            assertThat(parsed.actions())
                    .isEqualTo(s.actions().stream().map(OrgAction::wire).collect(Collectors.toSet()));
            assertThat(parsed.conditions()).isEqualTo(s.conditions());
        }
        assertThat(ProjectSubjects.ALL).hasSize(ProjectSubject.values().length);
        assertThat(ProjectSubjects.ORG).hasSize(OrgSubject.values().length);
    }

    @Test
    void everyWireNameReadsBackAsItsConstantAndEveryActionBelongsToASubject() {
        for (ProjectSubject s : ProjectSubject.values()) {
            assertThat(ProjectSubject.fromWire(s.wire())).contains(s);
        }
        for (OrgSubject s : OrgSubject.values()) {
            assertThat(OrgSubject.fromWire(s.wire())).contains(s);
        }
        for (ProjectAction a : ProjectAction.values()) {
            assertThat(ProjectAction.fromWire(a.wire())).contains(a);
            assertThat(Arrays.stream(ProjectSubject.values()).anyMatch(s -> s.knows(a)))
                    .as(a.wire())
                    .isTrue();
        }
        for (OrgAction a : OrgAction.values()) {
            assertThat(OrgAction.fromWire(a.wire())).contains(a);
            assertThat(Arrays.stream(OrgSubject.values()).anyMatch(s -> s.knows(a)))
                    .as(a.wire())
                    .isTrue();
        }
        assertThat(ProjectSubject.fromWire("all")).isEmpty();
        assertThat(ProjectAction.fromWire("manage")).isEmpty();
    }

    @Test
    void theAccessControlPageListsTheVocabularyAsItIs() throws IOException {
        Path page = Files.exists(Path.of("../docs/access-control.md"))
                ? Path.of("../docs/access-control.md")
                : Path.of("docs/access-control.md");
        String text = Files.readString(page);
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        assertThat(start)
                .as("%s marks the vocabulary with %s ... %s", page, START, END)
                .isNotNegative();
        assertThat(end).isGreaterThan(start);
        assertThat(text.substring(start + START.length(), end))
                .as("regenerate the section of %s from the enums", page)
                .isEqualTo(vocabularyMarkdown());
    }

    /** The vocabulary section of the access-control page, as the enums say it. */
    static String vocabularyMarkdown() {
        return "\n### Project subjects\n\n"
                + table(
                        Arrays.asList(ProjectSubject.values()),
                        ProjectSubject::wire,
                        s -> s.actions().stream().map(ProjectAction::wire).toList(),
                        ProjectSubject::conditions)
                + "\n### Org subjects\n\n"
                + table(
                        Arrays.asList(OrgSubject.values()),
                        OrgSubject::wire,
                        s -> s.actions().stream().map(OrgAction::wire).toList(),
                        OrgSubject::conditions);
    }

    private static <S> String table(
            List<S> subjects,
            Function<S, String> wire,
            Function<S, List<String>> actions,
            Function<S, Set<String>> conditions) {
        StringBuilder out = new StringBuilder("| Subject | Actions | Condition fields |\n|---|---|---|\n");
        for (S s : subjects) {
            List<String> fields = conditions.apply(s).stream().sorted().toList();
            out.append("| `")
                    .append(wire.apply(s))
                    .append("` | ")
                    .append(code(actions.apply(s)))
                    .append(" | ")
                    .append(fields.isEmpty() ? "—" : code(fields))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String code(List<String> names) {
        return names.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "));
    }
}
