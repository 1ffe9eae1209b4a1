package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.server.platform.web.ValidationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The V1 ⇄ V2 rule translation on its own, including the cases the API tests do not reach. */
class V1RulesTest {
    private static final Map<String, Object> DEV = Map.of("environment", "dev");

    @Test
    void aV1SecretsRuleIsWidenedToTheSubjectsItUsedToCover() {
        List<Map<String, Object>> v2 = V1Rules.toV2(List.of(Map.of(
                "subject",
                "secrets",
                "action",
                List.of("read", "create", "delete"),
                "conditions",
                DEV,
                "inverted",
                true)));
        assertThat(v2)
                .containsExactly(
                        Map.of(
                                "subject",
                                "secrets",
                                "action",
                                List.of("read", "create", "delete"),
                                "conditions",
                                DEV,
                                "inverted",
                                true),
                        Map.of(
                                "subject",
                                "secret-imports",
                                "action",
                                List.of("read", "create", "delete"),
                                "conditions",
                                DEV,
                                "inverted",
                                true),
                        Map.of(
                                "subject",
                                "dynamic-secrets",
                                "action",
                                List.of("read-root-credential", "create-root-credential", "delete-root-credential"),
                                "conditions",
                                DEV,
                                "inverted",
                                true),
                        Map.of(
                                "subject",
                                "secret-folders",
                                "action",
                                List.of("create", "delete"),
                                "conditions",
                                DEV,
                                "inverted",
                                true));
    }

    @Test
    void ownFolderRulesReplaceTheDerivedOnesAndV2RulesPassAsSent() {
        List<Map<String, Object>> sent = List.of(
                Map.of("subject", "secrets", "action", "edit"),
                Map.of("subject", "secret-folders", "action", "read"),
                Map.of("subject", "secrets", "action", "describeSecret"),
                Map.of("subject", "secrets", "action", "read", "conditions", Map.of("secretName", "X")),
                Map.of(
                        "subject",
                        "secrets",
                        "action",
                        "read",
                        "conditions",
                        Map.of("environment", Map.of("$glob", "p*"))),
                Map.of("subject", "tags", "action", "read"));
        assertThat(V1Rules.toV2(sent))
                .containsExactlyElementsOf(concat(
                        sent,
                        List.of(
                                Map.of("subject", "secret-imports", "action", List.of("edit")),
                                Map.of(
                                        "subject",
                                        "dynamic-secrets",
                                        "action",
                                        List.of("edit-root-credential", "lease")))));
    }

    @Test
    void readingBackGivesOneActionPerRuleAndOnlyWhatV1CanSay() {
        List<Map<String, Object>> stored = List.of(
                Map.of("subject", "secrets", "action", List.of("read", "edit"), "conditions", DEV),
                Map.of("subject", "secret-imports", "action", List.of("read", "edit"), "conditions", DEV),
                Map.of("subject", "dynamic-secrets", "action", List.of("read-root-credential"), "conditions", DEV),
                Map.of("subject", "secret-folders", "action", List.of("edit"), "conditions", DEV),
                Map.of("subject", "secrets", "action", List.of("readValue", "describeSecret", "delete")),
                Map.of("subject", "secrets", "action", List.of("readValue")),
                Map.of(
                        "subject",
                        "secrets",
                        "action",
                        List.of("read"),
                        "conditions",
                        Map.of("secretTags", Map.of("$in", List.of("a")))),
                Map.of("subject", "secrets", "action", List.of("read"), "conditions", DEV),
                Map.of("subject", "all", "action", List.of("manage")));
        assertThat(V1Rules.toV1(stored))
                .containsExactly(
                        Map.of("subject", "secrets", "action", List.of("read"), "conditions", DEV),
                        Map.of("subject", "secrets", "action", List.of("edit"), "conditions", DEV),
                        Map.of("subject", "secrets", "action", List.of("read")),
                        Map.of("subject", "secrets", "action", List.of("delete")),
                        Map.of("subject", "all", "action", List.of("manage")));
    }

    @Test
    void v1RulesRoundTripThroughTheStoredForm() {
        List<Map<String, Object>> v1 = List.of(
                Map.of(
                        "subject",
                        "secrets",
                        "action",
                        List.of("read"),
                        "conditions",
                        Map.of("environment", "prod", "secretPath", Map.of("$glob", "/a/**"))),
                Map.of(
                        "subject",
                        "secrets",
                        "action",
                        List.of("edit"),
                        "conditions",
                        Map.of("environment", "prod", "secretPath", Map.of("$glob", "/a/**"))),
                Map.of("subject", "secret-folders", "action", List.of("read")),
                Map.of("subject", "role", "action", List.of("read")));
        List<Map<String, Object>> stored = RuleParser.normalize("permissions", V1Rules.toV2(v1));
        assertThat(V1Rules.toV1(stored)).isEqualTo(v1);
    }

    @Test
    void privilegePermissionBecomesOneRulePerActionAndIsChecked() {
        Map<String, Object> tf = Map.of(
                "actions",
                List.of("read", "edit", "read"),
                "subject",
                "secrets",
                "conditions",
                Map.of("environment", "dev", "secretPath", Map.of("$glob", "/x/*")));
        Map<String, Object> conditions = Map.of("environment", "dev", "secretPath", Map.of("$glob", "/x/*"));
        assertThat(V1Rules.fromPrivilegePermission("privilegePermission", tf))
                .containsExactly(
                        Map.of("subject", "secrets", "action", "read", "conditions", conditions),
                        Map.of("subject", "secrets", "action", "edit", "conditions", conditions));
        assertThatThrownBy(() -> V1Rules.fromPrivilegePermission(
                        "p", Map.of("actions", List.of(), "subject", "secrets", "conditions", DEV)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("non-empty");
        assertThatThrownBy(() ->
                        V1Rules.fromPrivilegePermission("p", Map.of("actions", List.of("read"), "subject", "secrets")))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Required");
    }

    private static List<Map<String, Object>> concat(List<Map<String, Object>> a, List<Map<String, Object>> b) {
        List<Map<String, Object>> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
