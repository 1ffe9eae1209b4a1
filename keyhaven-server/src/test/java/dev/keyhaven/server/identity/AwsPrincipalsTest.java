package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.server.platform.web.ValidationException;
import org.junit.jupiter.api.Test;

/** How AWS auth reads its allowed lists and matches the principal STS reports. */
class AwsPrincipalsTest {

    @Test
    void anAssumedRoleIsMatchedAsItsRoleAndAsTheRoleSessionWithoutSession() {
        String arn = "arn:aws:sts::111122223333:assumed-role/deploy/i-0abc123";
        assertThat(AwsPrincipals.forms(arn))
                .containsExactly(
                        arn, "arn:aws:sts::111122223333:assumed-role/deploy", "arn:aws:iam::111122223333:role/deploy");
        assertThat(AwsPrincipals.principalAllowed("arn:aws:iam::111122223333:role/deploy", arn))
                .isTrue();
        assertThat(AwsPrincipals.principalAllowed("arn:aws:iam::111122223333:role/dep", arn))
                .isFalse();
        assertThat(AwsPrincipals.principalAllowed(
                        "arn:aws:iam::111122223333:role/deploy", "arn:aws:sts::999999999999:assumed-role/deploy/x"))
                .isFalse();
    }

    @Test
    void aUserWithAPathMatchesWithAndWithoutIt() {
        String arn = "arn:aws-us-gov:iam::111122223333:user/ops/bob";
        assertThat(AwsPrincipals.forms(arn)).containsExactly(arn, "arn:aws-us-gov:iam::111122223333:user/bob");
        assertThat(AwsPrincipals.principalAllowed("arn:aws-us-gov:iam::111122223333:user/ops/*", arn))
                .isTrue();
        assertThat(AwsPrincipals.principalAllowed("arn:aws:iam::111122223333:user/bob", arn))
                .isFalse();
    }

    @Test
    void unknownPrincipalTypesAreMatchedAsGivenOnly() {
        assertThat(AwsPrincipals.forms("arn:aws:iam::111122223333:root"))
                .containsExactly("arn:aws:iam::111122223333:root");
        assertThat(AwsPrincipals.forms("not an arn")).containsExactly("not an arn");
    }

    @Test
    void starMatchesAnyRunOfCharactersAndNothingElseIsSpecial() {
        assertThat(AwsPrincipals.glob("arn:aws:iam::1:*", "arn:aws:iam::1:role/a/b"))
                .isTrue();
        assertThat(AwsPrincipals.glob("a*b*c", "abc")).isTrue();
        assertThat(AwsPrincipals.glob("a*b*c", "aXbYcZ")).isFalse();
        assertThat(AwsPrincipals.glob("ab*ba", "aba")).isFalse();
        assertThat(AwsPrincipals.glob("a.c", "abc")).isFalse();
        assertThat(AwsPrincipals.glob("*", "")).isTrue();
    }

    @Test
    void accountIdsAreExactTwelveDigitNumbers() {
        assertThat(AwsPrincipals.accountIds(" 111122223333,444455556666 ")).isEqualTo("111122223333, 444455556666");
        assertThat(AwsPrincipals.accountAllowed("111122223333, 444455556666", "444455556666"))
                .isTrue();
        assertThat(AwsPrincipals.accountAllowed("111122223333", "11112222333")).isFalse();
        assertThat(AwsPrincipals.accountAllowed("", "anything")).isTrue();
        assertThatThrownBy(() -> AwsPrincipals.accountIds("1111222233334")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> AwsPrincipals.accountIds("111122223333,")).isInstanceOf(ValidationException.class);
    }

    @Test
    void principalPatternsMustPinAnAccount() {
        assertThat(AwsPrincipals.principalArns(
                        "arn:aws:iam::111122223333:*,arn:aws-cn:sts::111122223333:assumed-role/x"))
                .isEqualTo("arn:aws:iam::111122223333:*, arn:aws-cn:sts::111122223333:assumed-role/x");
        for (String bad : new String[] {
            "*",
            "arn:aws:iam::*:role/x",
            "arn:aws:s3:::bucket",
            "arn:aws:iam::1:role/x",
            "arn:aws:iam::111122223333:group/x"
        }) {
            assertThatThrownBy(() -> AwsPrincipals.principalArns(bad)).as(bad).isInstanceOf(ValidationException.class);
        }
    }
}
