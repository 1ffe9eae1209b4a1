package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.actor.ActorType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The evaluator: deny by default, deny beats allow, legacy read, conditions narrow only. */
class PermissionSetTest {
    private static final Map<String, Object> PROD_DB = Map.of(
            "environment",
            "prod",
            "secretPath",
            "/backend",
            "secretName",
            "DB_ROOT_PASSWORD",
            "secretTags",
            List.of("db"));

    @Test
    void noRuleMeansDeny() {
        assertThat(new PermissionSet(List.of()).can("secrets", "readValue", PROD_DB))
                .isFalse();
    }

    @Test
    void aMatchingDenyBeatsEveryAllow() {
        Rule allow = Rule.allow("secrets", "readValue", "describeSecret");
        Rule deny = new Rule(
                "secrets", Set.of("readValue"), List.of(Condition.glob("secretName", "DB_ROOT_*")), true, "privilege");
        PermissionSet set = new PermissionSet(List.of(deny, allow));
        assertThat(set.can("secrets", "readValue", PROD_DB)).isFalse();
        assertThat(set.can("secrets", "describeSecret", PROD_DB)).isTrue();
        assertThat(set.can(
                        "secrets",
                        "readValue",
                        Map.of(
                                "environment",
                                "prod",
                                "secretPath",
                                "/backend",
                                "secretName",
                                "API_KEY",
                                "secretTags",
                                List.of())))
                .isTrue();
    }

    @Test
    void legacyReadStandsForDescribeAndValue() {
        PermissionSet set = new PermissionSet(List.of(Rule.allow("secrets", "read")));
        assertThat(set.can("secrets", "describeSecret", PROD_DB)).isTrue();
        assertThat(set.can("secrets", "readValue", PROD_DB)).isTrue();
        assertThat(set.can("secrets", "edit", PROD_DB)).isFalse();
        PermissionSet denied = new PermissionSet(List.of(
                Rule.allow("secrets", "describeSecret", "readValue"),
                new Rule("secrets", Set.of("read"), List.of(), true, "deny")));
        assertThat(denied.can("secrets", "readValue", PROD_DB)).isFalse();
    }

    @Test
    void conditionsNarrowAndAMissingFieldNeverMatches() {
        Rule prodOnly = new Rule(
                "secrets",
                Set.of("readValue"),
                List.of(Condition.eq("environment", "prod"), Condition.glob("secretPath", "/backend/**")),
                false,
                "role");
        PermissionSet set = new PermissionSet(List.of(prodOnly));
        assertThat(set.can("secrets", "readValue", PROD_DB)).isTrue();
        assertThat(set.can("secrets", "readValue", Map.of("environment", "dev", "secretPath", "/backend")))
                .isFalse();
        assertThat(set.can("secrets", "readValue", Map.of("environment", "prod")))
                .isFalse();
        assertThat(set.canSome("secrets", "readValue", Map.of("environment", "prod")))
                .isTrue();
        assertThat(set.canSome("secrets", "readValue", Map.of("environment", "dev")))
                .isFalse();
    }

    @Test
    void tagConditionsMatchAnyOfTheSecretsTags() {
        Rule tagged = new Rule(
                "secrets",
                Set.of("readValue"),
                List.of(Condition.in("secretTags", List.of("db", "cache"))),
                false,
                "role");
        PermissionSet set = new PermissionSet(List.of(tagged));
        assertThat(set.can("secrets", "readValue", PROD_DB)).isTrue();
        assertThat(set.can("secrets", "readValue", Map.of("secretTags", List.of("web"))))
                .isFalse();
    }

    @Test
    void builtInAdminCoversEveryRoleAndViewerCoversNoWrite() {
        PermissionSet admin = new PermissionSet(BuiltInRoles.project("admin").orElseThrow());
        PermissionSet viewer = new PermissionSet(BuiltInRoles.project("viewer").orElseThrow());
        PermissionSet member = new PermissionSet(BuiltInRoles.project("member").orElseThrow());
        assertThat(admin.coversAllOf(member)).isTrue();
        assertThat(member.coversAllOf(viewer)).isTrue();
        assertThat(member.coversAllOf(admin)).isFalse();
        assertThat(viewer.coversAllOf(member)).isFalse();
        assertThat(viewer.can("secrets", "create", PROD_DB)).isFalse();
        assertThat(viewer.can("secrets", "readValue", PROD_DB)).isTrue();
        assertThat(member.can("workspace", "delete")).isFalse();
        assertThat(admin.can("workspace", "delete")).isTrue();
    }

    @Test
    void anAllowWhoseTemplateCouldNotBeFilledInIsCoveredByAnything() {
        Rule teamOnly = new Rule(
                "secrets",
                Set.of("readValue"),
                List.of(Condition.glob("secretPath", "/{{identity.metadata.team}}/**")),
                false,
                "custom-role:team");
        Actor noTeam = new Actor(ActorType.IDENTITY, "i-1", "ci", null, "org", "member", null, null, null);
        PermissionSet rendered = new PermissionSet(RuleTemplates.render(List.of(teamOnly), noTeam));
        assertThat(rendered.can("secrets", "readValue", Map.of("secretPath", "/payments/x")))
                .isFalse();
        assertThat(new PermissionSet(List.of()).coversAllOf(rendered))
                .as("it allows nothing")
                .isTrue();
        Actor payments = new Actor(
                ActorType.IDENTITY, "i-2", "ci", null, "org", "member", null, null, null, Map.of("team", "payments"));
        assertThat(new PermissionSet(List.of())
                        .coversAllOf(new PermissionSet(RuleTemplates.render(List.of(teamOnly), payments))))
                .isFalse();
    }
}
