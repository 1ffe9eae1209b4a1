package dev.keyhaven.server.dynamic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The statement templates: only documented variables, and only checked values put in. */
class StatementTemplateTest {
    private static final Set<String> SQL = Set.of("username", "password", "expiration", "database");

    @Test
    void documentedVariablesAreReplacedInEachStatement() {
        StatementTemplate t = StatementTemplate.parse(
                "creationStatement",
                "CREATE ROLE \"{{username}}\" LOGIN PASSWORD '{{ password }}' VALID UNTIL '{{expiration}}';"
                        + " GRANT CONNECT ON DATABASE {{database}} TO \"{{username}}\";",
                SQL);
        assertThat(t.render(Map.of(
                        "username", "kh_abc",
                        "password", "Secret123",
                        "expiration", "2030-01-01T00:00:00Z",
                        "database", "orders")))
                .containsExactly(
                        "CREATE ROLE \"kh_abc\" LOGIN PASSWORD 'Secret123' VALID UNTIL '2030-01-01T00:00:00Z'",
                        "GRANT CONNECT ON DATABASE orders TO \"kh_abc\"");
    }

    @Test
    void undocumentedOrBrokenVariablesAreRefused() {
        for (String bad : new String[] {
            "CREATE ROLE \"{{identity.name}}\"",
            "CREATE ROLE \"{{randomUsername}}\"",
            "DROP ROLE \"{{username\"",
            "DROP ROLE username}}",
            "   ",
            ";;;"
        }) {
            assertThatThrownBy(() -> StatementTemplate.parse("creationStatement", bad, SQL))
                    .as(bad)
                    .isInstanceOf(DynamicSecretException.class);
        }
        assertThatThrownBy(() -> StatementTemplate.parse("x", "SELECT 1;".repeat(40), SQL))
                .isInstanceOf(DynamicSecretException.class);
        assertThatThrownBy(() -> StatementTemplate.parse("x", "-".repeat(StatementTemplate.MAX_LENGTH + 1), SQL))
                .isInstanceOf(DynamicSecretException.class);
    }

    @Test
    void aValueThatCouldBreakOutOfItsQuotesIsNeverPutIn() {
        StatementTemplate t = StatementTemplate.parse("revocationStatement", "DROP ROLE \"{{username}}\"", SQL);
        for (String evil : new String[] {"x\"; DROP TABLE t; --", "a'b", "a;b", "a b", "a\nb", "a`b", "a\\b"}) {
            assertThatThrownBy(() -> t.render(Map.of("username", evil)))
                    .as(evil)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @RepeatedTest(20)
    void generatedValuesAlwaysPassTheCheck() {
        StatementTemplate t = StatementTemplate.parse("c", "{{username}} {{password}} {{expiration}}", SQL);
        String username = Generated.username();
        assertThat(username).matches("kh_[a-z0-9]{16}");
        assertThat(Generated.password()).matches("[A-Za-z0-9]{32}");
        assertThat(t.render(Map.of(
                        "username", username,
                        "password", Generated.password(),
                        "expiration", Generated.expiration(Instant.now()))))
                .hasSize(1);
    }

    @Test
    void ttlsAreReadAsInfisicalWritesThemAndBounded() {
        assertThat(Ttl.parse("ttl", "90s").toSeconds()).isEqualTo(90);
        assertThat(Ttl.parse("ttl", "15m").toMinutes()).isEqualTo(15);
        assertThat(Ttl.parse("ttl", "2h").toHours()).isEqualTo(2);
        assertThat(Ttl.parse("ttl", "7d").toDays()).isEqualTo(7);
        assertThat(Ttl.format(7200)).isEqualTo("2h");
        for (String bad : new String[] {"", "1w", "-1h", "10s", "4000d", "1h; DROP"}) {
            assertThatThrownBy(() -> Ttl.parse("ttl", bad))
                    .as(bad)
                    .isInstanceOf(dev.keyhaven.server.platform.web.ValidationException.class);
        }
    }
}
