package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Granting inside guardrails: a grantor covers a conditional grant its own conditional rules contain, and no more. */
class RuleContainmentTest {
    private static final Condition PROD = Condition.eq("environment", "prod");
    private static final Condition BACKEND = Condition.glob("secretPath", "/backend/**");

    private static Rule read(Condition... conditions) {
        return new Rule("secrets", Set.of("read"), List.of(conditions), false, "test");
    }

    private static Rule deny(Condition... conditions) {
        return new Rule("secrets", Set.of("read"), List.of(conditions), true, "test");
    }

    private static boolean covers(List<Rule> grantor, Rule... granted) {
        return new PermissionSet(grantor).coversAllOf(new PermissionSet(List.of(granted)));
    }

    private static final List<Rule> TEAM_LEAD = List.of(read(PROD, BACKEND));

    @Test
    void theSameConditionalRuleIsCovered() {
        assertThat(covers(
                        TEAM_LEAD,
                        read(Condition.eq("environment", "prod"), Condition.glob("secretPath", "/backend/**"))))
                .isTrue();
    }

    @Test
    void aNarrowerPathIsCovered() {
        assertThat(covers(TEAM_LEAD, read(PROD, Condition.glob("secretPath", "/backend/api/**"))))
                .isTrue();
        assertThat(covers(TEAM_LEAD, read(PROD, Condition.eq("secretPath", "/backend"))))
                .isTrue();
        assertThat(covers(TEAM_LEAD, read(PROD, Condition.glob("secretPath", "/backend"))))
                .isTrue();
    }

    @Test
    void aSiblingPathIsRefused() {
        assertThat(covers(TEAM_LEAD, read(PROD, Condition.glob("secretPath", "/frontend/**"))))
                .isFalse();
        // a common prefix is not a subtree
        assertThat(covers(TEAM_LEAD, read(PROD, Condition.glob("secretPath", "/backend-old/**"))))
                .isFalse();
        assertThat(covers(TEAM_LEAD, read(PROD, Condition.glob("secretPath", "/**"))))
                .isFalse();
    }

    @Test
    void anotherEnvironmentIsRefused() {
        assertThat(covers(TEAM_LEAD, read(Condition.eq("environment", "dev"), BACKEND)))
                .isFalse();
        assertThat(covers(TEAM_LEAD, read(Condition.in("environment", List.of("prod", "dev")), BACKEND)))
                .isFalse();
        assertThat(covers(TEAM_LEAD, read(Condition.in("environment", List.of("prod")), BACKEND)))
                .isTrue();
    }

    @Test
    void aGrantWithoutTheGrantorsConditionIsRefused() {
        assertThat(covers(TEAM_LEAD, read(BACKEND))).isFalse();
        assertThat(covers(TEAM_LEAD, read())).isFalse();
    }

    @Test
    void aGrantorDenyThatCouldMatchRefusesTheGrant() {
        List<Rule> guarded = List.of(read(PROD, BACKEND), deny(PROD, Condition.glob("secretName", "DB_ROOT_*")));
        assertThat(covers(guarded, read(PROD, BACKEND))).isFalse();
        assertThat(covers(guarded, read(PROD, Condition.glob("secretPath", "/backend/api/**"))))
                .isFalse();
        // provably outside the deny: another name, or the deny is for another environment
        assertThat(covers(guarded, read(PROD, BACKEND, Condition.eq("secretName", "API_KEY"))))
                .isTrue();
        List<Rule> devDeny = List.of(read(PROD, BACKEND), deny(Condition.eq("environment", "dev")));
        assertThat(covers(devDeny, read(PROD, BACKEND))).isTrue();
    }

    @Test
    void aDenyOnAnotherSubtreeDoesNotRefuse() {
        List<Rule> guarded = List.of(read(PROD, BACKEND), deny(Condition.glob("secretPath", "/backend/vault/**")));
        assertThat(covers(guarded, read(PROD, Condition.glob("secretPath", "/backend/api/**"))))
                .isTrue();
        assertThat(covers(guarded, read(PROD, Condition.glob("secretPath", "/backend/vault/keys/**"))))
                .isFalse();
        assertThat(covers(guarded, read(PROD, BACKEND))).isFalse();
    }

    @Test
    void aNameUnderTheGrantorsGlobIsCovered() {
        List<Rule> apiKeys = List.of(read(PROD, Condition.glob("secretName", "API_*")));
        assertThat(covers(apiKeys, read(PROD, Condition.eq("secretName", "API_TOKEN"))))
                .isTrue();
        assertThat(covers(apiKeys, read(PROD, Condition.in("secretName", List.of("API_TOKEN", "API_KEY")))))
                .isTrue();
        assertThat(covers(apiKeys, read(PROD, Condition.eq("secretName", "DB_PASSWORD"))))
                .isFalse();
        assertThat(covers(apiKeys, read(PROD, Condition.glob("secretName", "API_T*"))))
                .isFalse();
    }

    @Test
    void notEqualIsImpliedOnlyByWhatExcludesTheValue() {
        List<Rule> notProd = List.of(read(Condition.ne("environment", "prod")));
        assertThat(covers(notProd, read(Condition.eq("environment", "dev")))).isTrue();
        assertThat(covers(notProd, read(Condition.ne("environment", "prod")))).isTrue();
        assertThat(covers(notProd, read(Condition.eq("environment", "prod")))).isFalse();
        assertThat(covers(notProd, read(Condition.ne("environment", "dev")))).isFalse();
    }

    @Test
    void legacyReadNeedsBothHalves() {
        List<Rule> halves = List.of(
                new Rule("secrets", Set.of("describeSecret"), List.of(PROD), false, "a"),
                new Rule("secrets", Set.of("readValue"), List.of(PROD, BACKEND), false, "b"));
        assertThat(covers(halves, read(PROD, BACKEND))).isTrue();
        assertThat(covers(halves, read(PROD))).isFalse();
        assertThat(covers(halves, new Rule("secrets", Set.of("describeSecret"), List.of(PROD), false, "c")))
                .isTrue();
    }

    @Test
    void tagConditionsAreImpliedOnlyByTheSameCondition() {
        List<Rule> dbTagged = List.of(read(PROD, Condition.in("secretTags", List.of("db", "cache"))));
        assertThat(covers(dbTagged, read(PROD, Condition.in("secretTags", List.of("cache", "db")))))
                .isTrue();
        assertThat(covers(dbTagged, read(PROD))).isFalse();
    }

    @Test
    void templatedValuesAreNeverImplied() {
        List<Rule> own = List.of(read(Condition.glob("secretPath", "/{{identity.metadata.team}}/**")));
        assertThat(covers(own, read(Condition.glob("secretPath", "/{{identity.metadata.team}}/**"))))
                .isFalse();
        assertThat(covers(TEAM_LEAD, read(PROD, BACKEND, Condition.eq("secretName", "{{identity.id}}"))))
                .isTrue();
        assertThat(covers(TEAM_LEAD, read(PROD, Condition.glob("secretPath", "/backend/{{identity.id}}/**"))))
                .isFalse();
    }

    @Test
    void wildcardsNeedTheWildcardUnconditionedAndNoDeny() {
        Rule everything = Rule.allow(Rule.ALL, Rule.MANAGE);
        assertThat(covers(List.of(everything), everything)).isTrue();
        assertThat(covers(List.of(new Rule(Rule.ALL, Set.of(Rule.MANAGE), List.of(PROD), false, "a")), everything))
                .isFalse();
        List<Rule> adminWithDeny =
                new ArrayList<>(List.of(everything, deny(Condition.glob("secretName", "DB_ROOT_*"))));
        assertThat(covers(adminWithDeny, everything)).isFalse();
        assertThat(covers(adminWithDeny, Rule.allow("secrets", Rule.MANAGE))).isFalse();
        assertThat(covers(adminWithDeny, Rule.allow("role", Rule.MANAGE))).isTrue();
        assertThat(covers(adminWithDeny, read(PROD, BACKEND))).isFalse();
        assertThat(covers(adminWithDeny, read(PROD, BACKEND, Condition.eq("secretName", "API_KEY"))))
                .isTrue();
        assertThat(covers(TEAM_LEAD, new Rule("secrets", Set.of(Rule.MANAGE), List.of(PROD, BACKEND), false, "a")))
                .isFalse();
    }

    @Test
    void grantedDeniesAlwaysPass() {
        assertThat(covers(TEAM_LEAD, read(PROD, BACKEND), deny(Condition.eq("environment", "dev"))))
                .isTrue();
    }
}
